package org.tensorscope.ui.internal.session;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.tensorscope.core.service.Contributions;

/**
 * The workbench's view of the installed contributions: one tracker set, and the inference worker,
 * from the first use to the bundle's stop (the worker starts with the first model opened, or soon
 * after the window shows).
 */
@Component(service = UiContributions.class)
public final class UiContributions {

    private Contributions contributions;

    @Activate
    void activate(BundleContext context) {
        contributions = new Contributions(context);
    }

    @Deactivate
    void deactivate() {
        contributions.close();
    }

    /** The installed loaders, backends, cause rules and inspectors. */
    public Contributions contributions() {
        return contributions;
    }
}
