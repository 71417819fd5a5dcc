package org.tensorscope.ui;

import java.util.List;

/**
 * Ids of the Tensorscope views, for bundles that open or contribute to them.
 */
public final class TensorscopeViews {

    public static final String MODEL_EXPLORER = "org.tensorscope.ui.views.modelExplorer";
    public static final String GRAPH = "org.tensorscope.ui.views.graph";
    public static final String TENSOR_INSPECTOR = "org.tensorscope.ui.views.tensorInspector";
    public static final String HISTOGRAM = "org.tensorscope.ui.views.histogram";
    public static final String LAYER_PROFILE = "org.tensorscope.ui.views.layerProfile";
    public static final String NAN_TRACE = "org.tensorscope.ui.views.nanTrace";
    public static final String BREAKPOINTS = "org.tensorscope.ui.views.breakpoints";
    public static final String SEQUENCE = "org.tensorscope.ui.views.sequence";
    public static final String COMPARE = "org.tensorscope.ui.views.compare";

    public static final List<String> ALL = List.of(MODEL_EXPLORER, GRAPH, TENSOR_INSPECTOR, HISTOGRAM, LAYER_PROFILE,
            NAN_TRACE, BREAKPOINTS, SEQUENCE, COMPARE);

    private TensorscopeViews() {
    }
}
