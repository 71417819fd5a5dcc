package org.tensorscope.ui.internal;

import org.eclipse.ui.IFolderLayout;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;
import org.tensorscope.ui.TensorscopeViews;

/**
 * Model Explorer on the left, the Graph in the middle, NaN Trace and Breakpoints on the right, and the tensor
 * views (Inspector, Histogram, Layer Profile, Sequence, Compare) below.
 */
public class ModelDebuggingPerspective implements IPerspectiveFactory {

    public static final String ID = "org.tensorscope.ui.perspective.modelDebugging";

    @Override
    public void createInitialLayout(IPageLayout layout) {
        String editorArea = layout.getEditorArea();
        layout.setEditorAreaVisible(false);
        layout.addView(TensorscopeViews.MODEL_EXPLORER, IPageLayout.LEFT, 0.22f, editorArea);
        layout.addView(TensorscopeViews.NAN_TRACE, IPageLayout.RIGHT, 0.70f, editorArea);
        layout.addView(TensorscopeViews.BREAKPOINTS, IPageLayout.BOTTOM, 0.65f, TensorscopeViews.NAN_TRACE);
        IFolderLayout bottom = layout.createFolder("org.tensorscope.ui.folders.tensors", IPageLayout.BOTTOM, 0.55f,
                editorArea);
        bottom.addView(TensorscopeViews.TENSOR_INSPECTOR);
        bottom.addView(TensorscopeViews.HISTOGRAM);
        bottom.addView(TensorscopeViews.LAYER_PROFILE);
        bottom.addView(TensorscopeViews.SEQUENCE);
        bottom.addView(TensorscopeViews.COMPARE);
        layout.addView(TensorscopeViews.GRAPH, IPageLayout.TOP, 0.45f, editorArea);
        for (String id : TensorscopeViews.ALL) {
            layout.addShowViewShortcut(id);
        }
    }
}
