package org.tensorscope.ui.internal.session;

import org.eclipse.core.runtime.jobs.Job;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.tensorscope.core.service.Contributions;

/**
 * The workbench's view of the installed contributions: one tracker set, and the inference worker,
 * from the first use to the bundle's stop (the worker starts with the first model opened, or soon
 * after the window shows). When the workbench closes, the session's jobs are cancelled before the
 * worker stops under them.
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
        Job.getJobManager().cancel(SessionJobs.FAMILY);
        Job.getJobManager().cancel(ModelWarmUp.FAMILY);
        contributions.close();
    }

    /** The installed loaders, backends, cause rules and inspectors. */
    public Contributions contributions() {
        return contributions;
    }
}
