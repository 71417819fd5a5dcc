package org.tensorscope.ui.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;

/**
 * Closing the workbench while a run is under way: the session's jobs are cancelled before the
 * inference worker stops, and a run whose call through the stopped worker then fails ends
 * cancelled, with no error for the log. (In this package: the contributions' life cycle is the
 * component's, package-private.)
 */
class ClosingCancelsJobsTest {

    @Test
    void aRunUnderWayWhenTheContributionsCloseEndsCancelledNotFailed() throws Exception {
        UiContributions contributions = new UiContributions();
        contributions.activate(FrameworkUtil.getBundle(UiContributions.class).getBundleContext());
        CountDownLatch started = new CountDownLatch(1);
        Job run = SessionJobs.of("Running a model", monitor -> {
            started.countDown();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!monitor.isCanceled() && System.nanoTime() < end) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            // what a call through the stopped worker gives
            return Status.error("Tensorscope is shutting down", new IllegalStateException("worker ended"));
        });
        run.schedule();
        assertTrue(started.await(30, TimeUnit.SECONDS), "the run did not start");

        contributions.deactivate();

        assertTrue(run.join(30_000, null), "the run did not end");
        assertEquals(IStatus.CANCEL, run.getResult().getSeverity(), run.getResult().toString());
    }

    @Test
    void aRunThatFailsWithoutBeingCancelledStillFails() throws Exception {
        Job run = SessionJobs.of("Running a model", monitor -> Status.error("x: no such input"));
        run.schedule();

        assertTrue(run.join(30_000, null), "the run did not end");
        assertEquals(IStatus.ERROR, run.getResult().getSeverity());
        assertEquals("x: no such input", run.getResult().getMessage());
    }
}
