package org.tensorscope.tensorflow.internal.tflite;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/** Table {@code SignatureDef}: named inputs and outputs of one subgraph, as in the SavedModel it came from. */
final class TfliteSignatureDef extends FlatTable {

    TfliteSignatureDef(ByteBuffer file, int position) {
        super(file, position);
    }

    /** Input name to tensor index (table {@code TensorMap}). */
    Map<String, Integer> inputs() {
        return tensorMap(0);
    }

    Map<String, Integer> outputs() {
        return tensorMap(1);
    }

    String key() {
        return string(2);
    }

    long subgraphIndex() {
        return Integer.toUnsignedLong(int32(4, 0));
    }

    private Map<String, Integer> tensorMap(int field) {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0, n = length(field, 4); i < n; i++) {
            TensorMap entry = new TensorMap(file(), table(field, i));
            map.put(entry.name(), entry.tensorIndex());
        }
        return map;
    }

    /** Table {@code TensorMap}: an alias and the tensor's index in the subgraph. */
    private static final class TensorMap extends FlatTable {

        TensorMap(ByteBuffer file, int position) {
            super(file, position);
        }

        String name() {
            String name = string(0);
            return name == null ? "" : name;
        }

        int tensorIndex() {
            return int32(1, 0);
        }
    }
}
