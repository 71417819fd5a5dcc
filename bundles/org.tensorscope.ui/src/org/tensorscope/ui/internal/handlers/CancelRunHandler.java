package org.tensorscope.ui.internal.handlers;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.runtime.jobs.Job;

/**
 * Run > Cancel: cancels the running model jobs (loading, running, fetching).
 */
public class CancelRunHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        for (Job job : Job.getJobManager().find(null)) {
            if (job.getName().startsWith("Running ") || job.getName().startsWith("Opening ")) {
                job.cancel();
            }
        }
        return null;
    }
}
