package org.tensorscope.ui.internal;

import org.eclipse.swt.graphics.Point;
import org.eclipse.ui.application.ActionBarAdvisor;
import org.eclipse.ui.application.IActionBarConfigurer;
import org.eclipse.ui.application.IWorkbenchConfigurer;
import org.eclipse.ui.application.IWorkbenchWindowConfigurer;
import org.eclipse.ui.application.WorkbenchAdvisor;
import org.eclipse.ui.application.WorkbenchWindowAdvisor;

/**
 * Opens windows on the Model Debugging perspective.
 */
public class TensorscopeWorkbenchAdvisor extends WorkbenchAdvisor {

    @Override
    public void initialize(IWorkbenchConfigurer configurer) {
        configurer.setSaveAndRestore(true);
    }

    @Override
    public String getInitialWindowPerspectiveId() {
        return ModelDebuggingPerspective.ID;
    }

    @Override
    public WorkbenchWindowAdvisor createWorkbenchWindowAdvisor(IWorkbenchWindowConfigurer configurer) {
        return new WorkbenchWindowAdvisor(configurer) {
            @Override
            public ActionBarAdvisor createActionBarAdvisor(IActionBarConfigurer actionBars) {
                return new TensorscopeActionBarAdvisor(actionBars);
            }

            @Override
            public void preWindowOpen() {
                IWorkbenchWindowConfigurer window = getWindowConfigurer();
                window.setInitialSize(new Point(1280, 800));
                window.setShowCoolBar(true);
                window.setShowStatusLine(true);
                window.setShowProgressIndicator(true);
                window.setTitle("Tensorscope");
            }
        };
    }
}
