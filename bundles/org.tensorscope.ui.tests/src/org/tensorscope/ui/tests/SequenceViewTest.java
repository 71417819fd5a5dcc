package org.tensorscope.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.ToolBar;
import org.eclipse.swt.widgets.ToolItem;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.handlers.IHandlerService;
import org.eclipse.jface.bindings.keys.KeySequence;
import org.eclipse.ui.keys.IBindingService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.ui.TensorscopeViews;
import org.tensorscope.ui.api.EmptyStateView;
import org.tensorscope.ui.charts.tests.ChartViews;
import org.tensorscope.ui.internal.handlers.RunSequenceDialog;
import org.tensorscope.ui.internal.handlers.ShownInDialogs;
import org.tensorscope.ui.internal.session.DebugSession;
import org.tensorscope.ui.internal.session.SteppingFocus;
import org.tensorscope.ui.internal.session.RunConfiguration;
import org.tensorscope.ui.internal.session.SequenceSession;
import org.tensorscope.ui.internal.session.SequenceSettings;
import org.tensorscope.ui.internal.views.ShownInViews;
import org.tensorscope.ui.internal.views.TensorInspectorView;

/**
 * A recurrent state grown 1.1x per step, run as a sequence in the workbench: the Sequence view
 * charts its 30 steps and marks step 25, where it passes ten times its start; clicking a step and
 * Alt+F6 / Alt+Shift+F6 make that step the current run, and the Tensor Inspector shows its values.
 * A state that overflows at step 7 has that step marked, and its NaN trace becomes the current run.
 * Run Sequence… names a rule that cannot run before anything runs.
 */
class SequenceViewTest {

    private static final String NEXT = "org.tensorscope.ui.commands.nextSequenceStep";
    private static final String PREVIOUS = "org.tensorscope.ui.commands.previousSequenceStep";

    @TempDir
    static Path folder;

    /** state_out = state * 1.1: fed back, the state is 1.1^t at step t, and grow's output 1.1^(t+1). */
    private static Path growingState() throws Exception {
        return growingState("grow.pbtxt", "1.1");
    }

    private static Path growingState(String name, String factor) throws Exception {
        return Files.writeString(folder.resolve(name), """
                node { name: "state" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } }
                  attr { key: "shape" value { shape { dim { size: 1 } dim { size: 4 } } } } }
                node { name: "factor" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
                  attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { } float_val: %s } } } }
                node { name: "grow" op: "Mul" input: "state" input: "factor" attr { key: "T" value { type: DT_FLOAT } } }
                node { name: "state_out" op: "Identity" input: "grow" attr { key: "T" value { type: DT_FLOAT } } }
                """.formatted(factor));
    }

    @Test
    void theDriftStepIsMarkedAndSteppingShowsEachStepsValues() throws Exception {
        Display display = Display.getCurrent();
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        IHandlerService handlers = PlatformUI.getWorkbench().getService(IHandlerService.class);
        DebugSession session = TestServices.get(DebugSession.class);
        Path model = growingState();
        session.open(model, new RunConfiguration(null, List.of("state=const:1"), "", Device.CPU, HealthMode.FULL),
                false);
        assertTrue(UiWait.until(display, () -> session.graph().filter(g -> g.source().equals(model)).isPresent(),
                60_000), "the model opened");

        EmptyStateView view = (EmptyStateView) page.showView(TensorscopeViews.SEQUENCE);
        assertTrue(view.isShowingEmptyState(), "no sequence yet: " + view.getEmptyStateText());
        TestServices.get(SequenceSession.class).run(new SequenceSettings(2, "", "", List.of("state_out=state"), 30));
        // the run lands on the first finding: the drift at step 25
        assertTrue(UiWait.until(display, () -> TestServices.get(SequenceSession.class).result().isPresent()
                && session.step().orElse(-1) == 25, 120_000), "the sequence ran and step 25 became the current run");
        assertTrue(UiWait.until(display, () -> !view.isShowingEmptyState() && ChartViews.sequenceDrawn(view), 10_000));

        assertEquals(30, ChartViews.sequencePlottedStepCount(view));
        assertEquals(List.of("output state_out", "state state"), ChartViews.sequenceSeriesNames(view));
        // 1.1^25 = 10.8: step 25 is the first past ten times the start, for the output and the fed-back state
        assertTrue(ChartViews.sequenceMarkers(view).containsAll(List.of("25 drift: state_out x1.1/step", "25 drift: state x1.1/step",
                "25 shown")), ChartViews.sequenceMarkers(view).toString());
        assertEquals(3, ChartViews.sequenceMarkers(view).size(), "no NaN step: " + ChartViews.sequenceMarkers(view));
        assertTrue(ChartViews.sequenceFindingsText(view).contains("Drift: output state_out passes 10x its starting norm at step 25"),
                ChartViews.sequenceFindingsText(view));
        assertTrue(ChartViews.sequenceFindingsText(view).contains("first op to grow: grow (Mul)"), ChartViews.sequenceFindingsText(view));

        // a click on step 3 shows step 3 everywhere: grow's output there is 1.1^4
        TensorInspectorView inspector = (TensorInspectorView) page.showView(TensorscopeViews.TENSOR_INSPECTOR);
        TestServices.get(SteppingFocus.class).select("grow");
        page.showView(TensorscopeViews.SEQUENCE);
        ChartViews.sequenceClickStep(view, 3);
        assertShowsStep(display, session, inspector, 3, Math.pow(1.1, 4));
        assertTrue(ChartViews.sequenceMarkers(view).contains("3 shown"), ChartViews.sequenceMarkers(view).toString());

        // Alt+F6 and Alt+Shift+F6 step across the sequence
        IBindingService bindings = PlatformUI.getWorkbench().getService(IBindingService.class);
        // as the platform spells them (GTK writes Shift+Alt+F6)
        String altF6 = KeySequence.getInstance("Alt+F6").format();
        String altShiftF6 = KeySequence.getInstance("Alt+Shift+F6").format();
        assertEquals(altF6, bindings.getBestActiveBindingFormattedFor(NEXT));
        assertEquals(altShiftF6, bindings.getBestActiveBindingFormattedFor(PREVIOUS));
        handlers.executeCommand(NEXT, null);
        handlers.executeCommand(NEXT, null);
        assertShowsStep(display, session, inspector, 5, Math.pow(1.1, 6));
        handlers.executeCommand(PREVIOUS, null);
        assertShowsStep(display, session, inspector, 4, Math.pow(1.1, 5));

        // the main toolbar's buttons say their keys
        List<String> tips = toolTips(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell());
        assertTrue(tips.contains("Next Sequence Step (" + altF6 + ")"), tips.toString());
        assertTrue(tips.contains("Previous Sequence Step (" + altShiftF6 + ")"), tips.toString());
    }

    private static void assertShowsStep(Display display, DebugSession session, TensorInspectorView inspector, int step,
            double expected) {
        assertTrue(UiWait.until(display, () -> session.step().orElse(-1) == step && ShownInViews.values(inspector) != null
                && ShownInViews.headerText(inspector).startsWith("grow:")
                && Math.abs(ShownInViews.values(inspector).getDouble(0) - expected) < 1e-4, 60_000),
                "step " + step + ": the inspector shows " + ShownInViews.headerText(inspector) + " "
                        + (ShownInViews.values(inspector) == null ? "nothing" : ShownInViews.values(inspector).getDouble(0))
                        + " at step " + session.step());
    }

    private static List<String> toolTips(org.eclipse.swt.widgets.Composite parent) {
        List<String> tips = new ArrayList<>();
        for (var child : parent.getChildren()) {
            if (child instanceof ToolBar bar) {
                for (ToolItem item : bar.getItems()) {
                    tips.add(item.getToolTipText());
                }
            }
            if (child instanceof org.eclipse.swt.widgets.Composite composite && !(child instanceof Shell)) {
                tips.addAll(toolTips(composite));
            }
        }
        return tips;
    }

    @Test
    void theFirstNanStepIsMarkedAndBecomesTheCurrentRunWithItsTrace() throws Exception {
        Display display = Display.getCurrent();
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        DebugSession session = TestServices.get(DebugSession.class);
        // 1e5^(t+1) passes float32's 3.4e38 at step 7
        Path model = growingState("overflow.pbtxt", "1e5");
        session.open(model, new RunConfiguration(null, List.of("state=const:1"), "", Device.CPU, HealthMode.FULL),
                false);
        assertTrue(UiWait.until(display, () -> session.graph().filter(g -> g.source().equals(model)).isPresent(),
                60_000), "the model opened");
        EmptyStateView view = (EmptyStateView) page.showView(TensorscopeViews.SEQUENCE);
        TestServices.get(SequenceSession.class).run(new SequenceSettings(2, "", "", List.of("state_out=state"), 20));
        assertTrue(UiWait.until(display, () -> TestServices.get(SequenceSession.class).result().filter(r -> r.model().endsWith(
                "overflow.pbtxt")).isPresent() && session.step().orElse(-1) == 7, 120_000),
                "the sequence ran and its NaN step became the current run");
        assertEquals("grow", session.outcome().orElseThrow().origin().orElseThrow().op().name(),
                "the NaN trace of step 7 names the multiplication");
        assertTrue(UiWait.until(display, () -> ChartViews.sequencePlottedStepCount(view) == 8, 10_000), "steps 0 to 7 ran");
        assertTrue(ChartViews.sequenceMarkers(view).contains("7 NaN/Inf: grow"), ChartViews.sequenceMarkers(view).toString());
        assertTrue(ChartViews.sequenceFindingsText(view).startsWith("NaN/Inf first at step 7, in grow (Mul), from the computation"),
                ChartViews.sequenceFindingsText(view));
    }

    /**
     * A steady float state beside an int32 counter, both fed back, with a budget of 64 bytes for the kept fed-back
     * values: the view lists the counter (as output and as state) as left out of drift and jitter with the reason,
     * and a click on an early step, whose fed-back values were let go, says so in one line instead of running it;
     * a later step still shows.
     */
    @Test
    void leftOutStatesAreListedAndAStepLetGoSaysWhyItCannotBeShown() throws Exception {
        Display display = Display.getCurrent();
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        DebugSession session = TestServices.get(DebugSession.class);
        Path model = Files.writeString(folder.resolve("counter.pbtxt"), Files.readString(growingState("steady.pbtxt",
                "1")) + """
                node { name: "count" op: "Placeholder" attr { key: "dtype" value { type: DT_INT32 } }
                  attr { key: "shape" value { shape { dim { size: 1 } } } } }
                node { name: "one" op: "Const" attr { key: "dtype" value { type: DT_INT32 } }
                  attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape { } int_val: 1 } } } }
                node { name: "next" op: "AddV2" input: "count" input: "one" attr { key: "T" value { type: DT_INT32 } } }
                """);
        session.open(model, new RunConfiguration(null, List.of("state=const:1", "count=const:0"), "", Device.CPU,
                HealthMode.FULL), false);
        assertTrue(UiWait.until(display, () -> session.graph().filter(g -> g.source().equals(model)).isPresent(),
                60_000), "the model opened");
        EmptyStateView view = (EmptyStateView) page.showView(TensorscopeViews.SEQUENCE);
        TestServices.get(SequenceSession.class).keepInputBytes(64);
        try {
            TestServices.get(SequenceSession.class).run(new SequenceSettings(2, "", "", List.of("state_out=state", "next=count"), 10));
            assertTrue(UiWait.until(display, () -> TestServices.get(SequenceSession.class).result().filter(r -> r.model().endsWith(
                    "counter.pbtxt")).isPresent() && ChartViews.sequencePlottedStepCount(view) == 10
                    && ChartViews.sequenceDrawn(view), 120_000), "the sequence ran");
        } finally {
            TestServices.get(SequenceSession.class).keepInputBytes(org.tensorscope.core.sequence.SequenceRunner.DEFAULT_KEPT_BYTES);
        }
        String findings = ChartViews.sequenceFindingsText(view);
        String reason = "int32 values (class indices, counts or flags): a norm or a change from frame to frame of "
                + "labels means nothing, so drift and jitter leave it out";
        assertTrue(findings.contains("Left out: next (output): " + reason), findings);
        assertTrue(findings.contains("Left out: count (state): " + reason), findings);
        assertTrue(findings.contains("Re-run: "), findings);

        // step 3's fed-back values were let go: the view says so and the current run stays as it was
        assertEquals("", ChartViews.sequenceNoticeText(view));
        OptionalInt before = session.step();
        ChartViews.sequenceClickStep(view, 3);
        assertTrue(ChartViews.sequenceNoticeText(view).startsWith("step 3 can no longer be run again: fed-back values ("),
                ChartViews.sequenceNoticeText(view));
        assertTrue(ChartViews.sequenceNoticeText(view).endsWith("were let go to keep the run's kept inputs within 64 B "
                + "(later steps are kept)"), ChartViews.sequenceNoticeText(view));
        assertEquals(before, session.step());
        // stepping there (Alt+F6 / Alt+Shift+F6) does not run it either
        assertNull(TestServices.get(SequenceSession.class).show(3), "step 3 cannot be run again");
        assertEquals(before, session.step());
        // the last step's are always kept: it shows, and the notice goes
        ChartViews.sequenceClickStep(view, 9);
        assertTrue(UiWait.until(display, () -> session.step().orElse(-1) == 9, 60_000), "step 9 became the current run");
        assertEquals("", ChartViews.sequenceNoticeText(view));
    }

    /** When the optimised runtime computes otherwise than the traced steps, the view says so, as the CLI's Runtime: line. */
    @Test
    void theRuntimeNoticeIsShownWhenThePlainRunDisagrees() {
        String explanation = "the plain run's outputs hold no NaN/Inf where the traced run's do: the runtime fuses "
                + "Conv2D+BiasAdd+Relu";
        var fidelity = new org.tensorscope.core.report.NanReport.Fidelity(false, 1e-4, List.of(),
                List.of("Conv2D+BiasAdd+Relu"), explanation);
        var result = new org.tensorscope.core.sequence.SequenceResult("model.pb", "GraphDef", "serving_default", "cpu",
                "", "FULL", null, null, List.of(), 5, 10, List.of(), "",
                new org.tensorscope.core.sequence.SequenceFindings(null, List.of(), List.of()), fidelity, 4);
        assertTrue(ChartViews.sequenceFindingsOf(result).contains("Runtime: step 4: " + explanation),
                ChartViews.sequenceFindingsOf(result).toString());
        var agreeing = new org.tensorscope.core.sequence.SequenceResult("model.pb", "GraphDef", "serving_default",
                "cpu", "", "FULL", null, null, List.of(), 5, 10, List.of(), "",
                new org.tensorscope.core.sequence.SequenceFindings(null, List.of(), List.of()),
                new org.tensorscope.core.report.NanReport.Fidelity(true, 1e-4, List.of(), List.of(), ""), 4);
        assertTrue(ChartViews.sequenceFindingsOf(agreeing).stream().noneMatch(l -> l.startsWith("Runtime:")),
                ChartViews.sequenceFindingsOf(agreeing).toString());
    }

    @Test
    void theDialogNamesWhatCannotRunBeforeAnythingRuns() throws Exception {
        Display display = Display.getCurrent();
        DebugSession session = TestServices.get(DebugSession.class);
        Path model = growingState();
        RunConfiguration configuration = new RunConfiguration(null, List.of("state=const:1"), "", Device.CPU,
                HealthMode.FULL);
        session.open(model, configuration, false);
        assertTrue(UiWait.until(display, () -> session.graph().filter(g -> g.source().equals(model)).isPresent(),
                60_000), "the model opened");
        Signature signature = DebugSession.signatureOf(session.graph().get(), configuration);
        RunSequenceDialog dialog = new RunSequenceDialog(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), "grow.pbtxt", signature,
                SequenceSettings.defaults(), settings -> SequenceSession.problemOf(signature, settings));
        dialog.setBlockOnOpen(false);
        dialog.open();
        try {
            // the generated frames go to the first input, state, which the rule also feeds
            ShownInDialogs.feedbackField(dialog).setText("state_out=state");
            assertEquals("Input state takes the frames and is fed back by 'state_out=state': let the frames feed "
                    + "another input", dialog.getErrorMessage());
            assertFalse(ShownInDialogs.canRun(dialog));
            ShownInDialogs.framesField(dialog).setText("");
            assertNull(dialog.getErrorMessage());
            assertTrue(ShownInDialogs.canRun(dialog), "a recurrent model runs on feedback alone");
            ShownInDialogs.feedbackField(dialog).setText("nothing=state");
            assertTrue(dialog.getErrorMessage().contains("'nothing' is not an output"), dialog.getErrorMessage());
            assertFalse(ShownInDialogs.canRun(dialog));
        } finally {
            dialog.close();
        }
    }
}
