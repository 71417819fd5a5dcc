package org.tensorscope.ui.internal.session;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.IJobChangeListener;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.core.trace.PrefetchWindow;
import org.tensorscope.ui.TensorscopeViews;
import org.tensorscope.ui.internal.views.ShownInViews;
import org.tensorscope.ui.internal.views.TensorInspectorView;
import org.tensorscope.ui.tests.TestServices;
import org.tensorscope.ui.tests.UiWait;

/**
 * A trace landing with the Inspector open: the window around the origin (77 MB for the demo) is fetched in
 * pieces, the first one small, so that the Inspector, which waits for at most the piece under way, shows the
 * landing's values after a few MB have come, not after all of them (0.9 to 1.3 s on the development machine in
 * one piece). Each piece is a job of its own on the model's rule, so the pieces and the views' fetches run one
 * after another. (In this package: the run's tensors are the component's, package-private.)
 */
class LandingFetchTest {

    @Test
    void theWindowAroundTheOriginComesInPiecesTheFirstOneSmall() throws Exception {
        Display display = Display.getCurrent();
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        TensorInspectorView inspector = (TensorInspectorView) page.showView(TensorscopeViews.TENSOR_INSPECTOR);
        DebugSession session = TestServices.get(DebugSession.class);
        SteppingFocus focus = TestServices.get(SteppingFocus.class);
        RunTensorCache tensors = TestServices.get(RunTensorCache.class);
        // the bytes at hand as each piece starts: the jobs run one after another on the model's rule
        List<Long> atStart = new CopyOnWriteArrayList<>();
        IJobChangeListener ahead = new JobChangeAdapter() {
            @Override
            public void running(IJobChangeEvent event) {
                if (event.getJob().getName().equals("Fetching the tensors ahead")) {
                    atStart.add(tensors.bytesAtHand());
                }
            }
        };
        // no pieces of an earlier test's run: the bytes read are the landing run's
        session.closeModel();
        assertTrue(UiWait.until(display, () -> Job.getJobManager().find(DebugSession.JOB_FAMILY).length == 0, 60_000),
                "an earlier test's jobs did not end");
        TraceOutcome before = session.outcome().orElse(null);
        Job.getJobManager().addJobChangeListener(ahead);
        try {
            Demo.open(session);
            assertTrue(UiWait.until(display, () -> session.outcome().isPresent() && session.outcome().get() != before,
                    120_000), "the demo's trace did not finish");
            String landing = focus.focusTensor().orElseThrow();
            assertTrue(UiWait.until(display, () -> ShownInViews.values(inspector) != null
                    && ShownInViews.values(inspector).name().equals(landing), 60_000), "the landing's values not shown");
            assertTrue(UiWait.until(display, () -> Job.getJobManager().find(DebugSession.JOB_FAMILY).length == 0, 60_000),
                    "the fetches ahead did not end");
            long window = tensors.bytesAtHand();
            assertTrue(window > 3 * PrefetchWindow.FETCH_BYTES, "the window around the origin is more than three pieces,"
                    + " and it was fetched: " + window + " bytes at hand");
            assertTrue(atStart.size() > 3, "the window came in pieces: bytes at hand as each started " + atStart);
            // the first piece and a view's fetch after it, if one ran: a few MB each
            assertTrue(atStart.get(1) < window / 2, "the first piece, which the Inspector may wait for, brought "
                    + atStart.get(1) + " bytes of a window of " + window);
        } finally {
            Job.getJobManager().removeJobChangeListener(ahead);
            session.closeModel();
        }
    }
}
