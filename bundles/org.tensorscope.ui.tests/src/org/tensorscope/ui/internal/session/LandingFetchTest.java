package org.tensorscope.ui.internal.session;

import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * A trace landing with the Inspector open: the Inspector's fetch of the landing's values runs after a piece of
 * the tensors fetched ahead, not after the whole window around the origin (77 MB for the demo, 1 to 1.5 s on the
 * development machine), and the window is still fetched, piece after piece. (In this package: the run's tensors
 * are the component's, package-private.)
 */
class LandingFetchTest {

    @Test
    void theLandingsValuesWaitForAPieceOfTheWindowNotAllOfIt() throws Exception {
        Display display = Display.getCurrent();
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        TensorInspectorView inspector = (TensorInspectorView) page.showView(TensorscopeViews.TENSOR_INSPECTOR);
        DebugSession session = TestServices.get(DebugSession.class);
        SteppingFocus focus = TestServices.get(SteppingFocus.class);
        RunTensorCache tensors = TestServices.get(RunTensorCache.class);
        List<Long> atHandWhenTheViewFetched = new CopyOnWriteArrayList<>();
        IJobChangeListener views = new JobChangeAdapter() {
            @Override
            public void running(IJobChangeEvent event) {
                String name = event.getJob().getName();
                if (name.startsWith("Fetching ") && !name.contains("ahead")) {
                    atHandWhenTheViewFetched.add(tensors.bytesAtHand());
                }
            }
        };
        TraceOutcome before = session.outcome().orElse(null);
        Job.getJobManager().addJobChangeListener(views);
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
            assertFalse(atHandWhenTheViewFetched.isEmpty(), "the Inspector fetched the landing's values");
            assertTrue(atHandWhenTheViewFetched.get(0) < window / 2, "the Inspector's fetch waited for "
                    + atHandWhenTheViewFetched.get(0) + " bytes fetched ahead, of a window of " + window);
        } finally {
            Job.getJobManager().removeJobChangeListener(views);
            session.closeModel();
        }
    }
}
