package org.tensorscope.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.widgets.Display;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.ui.api.TensorscopePreferences;
import org.tensorscope.ui.internal.session.DebugSession;
import org.tensorscope.ui.internal.session.Demo;
import org.tensorscope.ui.internal.session.RunConfiguration;

/**
 * After a model opens, a background job runs it once so that the first Run is warm: never for a
 * model whose ops reach outside it, never when the preference is off, and never in the way of the
 * user's own Run.
 */
class WarmUpTest {

    @TempDir
    Path folder;

    private final Display display = Display.getCurrent();
    private final DebugSession session = TestServices.get(DebugSession.class);

    @AfterEach
    void warmUpOnAgain() {
        TensorscopePreferences.store().setToDefault(TensorscopePreferences.WARM_UP);
        Job.getJobManager().cancel(DebugSession.WARM_UP_FAMILY);
    }

    private void open(Path model, RunConfiguration configuration) {
        session.closeModel();
        session.open(model, configuration, false);
        assertTrue(UiWait.until(display, () -> session.graph().isPresent()
                && session.graph().get().source().equals(model), 60_000), model + " did not open");
    }

    private static Job[] warmUps() {
        return Job.getJobManager().find(DebugSession.WARM_UP_FAMILY);
    }

    private static RunConfiguration hdrFrame() {
        return new RunConfiguration(null, List.of(Demo.FRAME), "HDR frame", Device.CPU, HealthMode.FULL);
    }

    @Test
    void openingAModelWarmsItUpAndARunStartedMeanwhileGetsItsOwnResult() throws Exception {
        Path model = Demo.modelFile();
        open(model, hdrFrame());
        Job[] warming = warmUps();
        assertEquals(1, warming.length, "opening the model schedules its warm-up");
        assertEquals("Warming up " + model.getFileName(), warming[0].getName());
        assertTrue(warming[0].isSystem(), "the warm-up is not a job of the user's");
        assertEquals(Job.DECORATE, warming[0].getPriority());

        Job run = session.run();
        assertTrue(UiWait.until(display, () -> session.outcome().isPresent(), 180_000), "the Run did not land");
        assertTrue(UiWait.until(display, () -> warmUps().length == 0 && run.getState() == Job.NONE, 60_000));
        TraceOutcome outcome = session.outcome().get();
        assertTrue(outcome.origin().isPresent(), "the user's Run traced the HDR frame to its origin");
        assertFalse(outcome.report().finite());
        assertEquals(HealthMode.FULL, session.configuration().mode(), "the Run kept the user's health check");
    }

    @Test
    void aWarmUpThatFinishedShowsNoRunAndTheFirstRunGetsItsResult() throws Exception {
        Path model = Demo.modelFile();
        open(model, hdrFrame());
        assertEquals(1, warmUps().length);
        assertTrue(UiWait.until(display, () -> warmUps().length == 0, 180_000), "the warm-up did not finish");
        assertTrue(session.outcome().isEmpty(), "the warm-up's run is not shown as a run");

        session.run();
        assertTrue(UiWait.until(display, () -> session.outcome().isPresent(), 180_000), "the Run did not land");
        assertTrue(session.outcome().get().origin().isPresent());
    }

    @Test
    void noWarmUpWhenThePreferenceIsOff() throws Exception {
        TensorscopePreferences.store().setValue(TensorscopePreferences.WARM_UP, false);
        open(Demo.modelFile(), hdrFrame());
        assertEquals(0, warmUps().length, "the user turned the warm-up off");
    }

    @Test
    void aModelThatReachesOutsideIsNotWarmedUp() throws Exception {
        Path target = folder.resolve("written-by-the-model.txt");
        Path model = Files.writeString(folder.resolve("writes.pbtxt"), SideEffectConsentTest.graph(false, target));
        open(model, null);
        assertEquals(0, warmUps().length, "a model holding WriteFile runs only when the user says so");
        assertTrue(UiWait.until(display, () -> Job.getJobManager().find(DebugSession.JOB_FAMILY).length == 0, 30_000));
        assertFalse(Files.exists(target), "nothing ran the model");
        assertSame(null, session.outcome().orElse(null));
    }
}
