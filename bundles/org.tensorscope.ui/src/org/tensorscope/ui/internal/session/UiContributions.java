package org.tensorscope.ui.internal.session;

import org.osgi.framework.FrameworkUtil;
import org.tensorscope.core.service.Contributions;

/**
 * The workbench's view of the installed contributions: one tracker set for its whole life.
 */
public final class UiContributions {

    private static Contributions instance;

    private UiContributions() {
    }

    public static synchronized Contributions get() {
        if (instance == null) {
            instance = new Contributions(FrameworkUtil.getBundle(UiContributions.class).getBundleContext());
            instance.startWorker();
        }
        return instance;
    }
}
