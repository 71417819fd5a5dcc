package org.tensorscope.tensorflow.internal.run;

import java.lang.reflect.Field;

import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Input;
import org.tensorflow.internal.c_api.TF_Output;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.global.tensorflow;

/**
 * Closes a loop in a graph: points a Merge's input at a NextIteration built after it. TF1's
 * while_loop does the same through TensorFlow's C API (TF_UpdateEdge), which TensorFlow Java does
 * not wrap; the graph's native handle is reached by reflection.
 */
final class LoopBackEdge {

    private LoopBackEdge() {
    }

    /** Makes {@code source} the {@code index}-th input of {@code merge}; the merge must not have run yet. */
    static void connect(Graph graph, Output<?> source, GraphOperation merge, int index) {
        TF_Graph handle;
        try {
            Field field = Graph.class.getDeclaredField("nativeHandle");
            field.setAccessible(true);
            handle = (TF_Graph) field.get(graph);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("this TensorFlow Java does not let Tensorscope add a loop variable", e);
        }
        GraphOperation producer = (GraphOperation) source.op();
        try (TF_Output output = new TF_Output(); TF_Input input = new TF_Input(); TF_Status status = TF_Status.newStatus()) {
            output.oper(producer.getUnsafeNativeHandle()).index(source.index());
            input.oper(merge.getUnsafeNativeHandle()).index(index);
            tensorflow.TF_UpdateEdge(handle, output, input, status);
            status.throwExceptionIfNotOK();
        }
    }
}
