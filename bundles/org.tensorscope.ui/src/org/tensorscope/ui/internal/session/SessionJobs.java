package org.tensorscope.ui.internal.session;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.IJobFunction;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.ui.progress.IProgressConstants;

/** The jobs of the debugging session: one family, so that Run > Cancel finds them all. */
public final class SessionJobs {

    /** The family of the jobs Run > Cancel stops: loading, running and fetching. */
    public static final Object FAMILY = new Object();

    private SessionJobs() {
    }

    /**
     * A job of {@link #FAMILY}. Its failure is shown by {@link RunNotices}, not by the platform's
     * generic "Problem Occurred" dialog. A job cancelled while its work was under way ends cancelled
     * even when the work then failed: the workbench closing cancels the jobs and stops the inference
     * worker under them, whose calls then fail, and that is no error for the log.
     */
    static Job of(String name, IJobFunction body) {
        Job job = new Job(name) {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                IStatus status = body.run(monitor);
                return status.getSeverity() == IStatus.ERROR && monitor.isCanceled() ? Status.CANCEL_STATUS : status;
            }

            @Override
            public boolean belongsTo(Object family) {
                return family == FAMILY;
            }
        };
        job.setProperty(IProgressConstants.NO_IMMEDIATE_ERROR_PROMPT_PROPERTY, Boolean.TRUE);
        return job;
    }
}
