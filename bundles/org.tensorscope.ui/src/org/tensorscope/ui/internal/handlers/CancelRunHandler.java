package org.tensorscope.ui.internal.handlers;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.runtime.jobs.Job;
import org.tensorscope.ui.internal.session.DebugSession;

/**
 * Run > Cancel: cancels the model jobs (loading, running, fetching). A job stops at its next
 * progress step; a single TensorFlow run in progress finishes first.
 */
public class CancelRunHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        Job.getJobManager().cancel(DebugSession.JOB_FAMILY);
        return null;
    }
}
