package org.tensorscope.ui.internal.views;

import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.ui.internal.graph.GraphDrawing;

/**
 * What the benchmarks wait for, read from the views' fields: this fragment shares the views' package,
 * so the product carries no getters for it.
 */
public final class MeasuredViews {

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

    /** The values the Tensor Inspector shows, null while they are fetched. */
    public static TensorData values(TensorInspectorView view) {
        return view.shown;
    }
}
