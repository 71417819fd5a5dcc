package org.tensorscope.tensorflow.internal.keras;

import java.util.List;

import org.tensorflow.proto.TensorProto;

/** The weights a container stores for each layer of a Keras model. */
public interface LayerWeights {

    /** One stored weight: its name as the container gives it ("kernel", "forward_lstm/lstm_cell/bias", or "0" when only the position is known). */
    record Weight(String name, TensorProto value) {

        /** The variable's own name: the last path component without ":0". */
        public String variable() {
            String n = name.endsWith(":0") ? name.substring(0, name.length() - 2) : name;
            return n.substring(n.lastIndexOf('/') + 1);
        }
    }

    /**
     * The weights of the layer at this path (the layer's name, preceded by the names of the models it is nested in),
     * in stored order; empty when the container stores none for it.
     */
    List<Weight> of(List<String> layerPath);
}
