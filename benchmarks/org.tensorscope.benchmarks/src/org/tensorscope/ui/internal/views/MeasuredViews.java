package org.tensorscope.ui.internal.views;

import java.lang.reflect.Method;

import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.ui.internal.graph.GraphDrawing;

/**
 * What the benchmarks wait for, read from the views' fields: this fragment shares the views' package,
 * so the product carries no getters for it.
 */
public final class MeasuredViews {

    private static Method drawn;

    private MeasuredViews() {
    }

    /** Whether the Graph view's drawing is of this model. */
    public static boolean isShowing(GraphView view, ModelGraph model) {
        return model != null && view.drawnGraph == model && view.canvas.drawing() != null;
    }

    /** The Graph view's drawing, null while the first layout runs. */
    public static GraphDrawing drawing(GraphView view) {
        return view.canvas.drawing();
    }

    /** Whether the Graph view outlines the box that shows this op. */
    public static boolean outlines(GraphView view, String op) {
        GraphDrawing drawing = view.canvas.drawing();
        return drawing != null && drawing.graph().nodeOf(op).filter(id -> id.equals(view.canvas.current())).isPresent();
    }

    /**
     * Whether the Histogram view (in another bundle: read through its field) has drawn the chart of
     * this tensor.
     */
    public static boolean histogramShows(Object view, String tensor) {
        try {
            // looked up once: the benchmark asks after every event the UI thread handles
            if (drawn == null || drawn.getDeclaringClass() != view.getClass()) {
                drawn = view.getClass().getDeclaredMethod("drawn");
                drawn.setAccessible(true);
            }
            return tensor.equals(drawn.invoke(view));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the Histogram view has no method telling what it drew", e);
        }
    }

    /** The values the Tensor Inspector shows, null while they are fetched. */
    public static TensorData values(TensorInspectorView view) {
        return view.shown;
    }
}
