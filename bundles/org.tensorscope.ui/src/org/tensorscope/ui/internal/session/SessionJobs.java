package org.tensorscope.ui.internal.session;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
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
     * generic "Problem Occurred" dialog.
     */
    static Job of(String name, IJobFunction body) {
        Job job = new Job(name) {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                return body.run(monitor);
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
