package org.tensorscope.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorscope.core.compare.Comparison;
import org.tensorscope.core.compare.TensorPair;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.ui.TensorscopeViews;
import org.tensorscope.ui.charts.tests.ChartViews;
import org.tensorscope.ui.internal.graph.NodeHealth;
import org.tensorscope.ui.internal.session.ComparisonSession;
import org.tensorscope.ui.internal.session.DebugSession;
import org.tensorscope.ui.internal.session.SteppingFocus;
import org.tensorscope.ui.internal.session.RunConfiguration;
import org.tensorscope.ui.internal.views.CompareView;
import org.tensorscope.ui.internal.views.GraphView;
import org.tensorscope.ui.internal.views.ShownInViews;

/**
 * A small model compared in the workbench with itself (no divergence) and with a copy whose
 * weight w1 was perturbed: the Compare view lists the op reading w1 first and highlights it as the
 * first divergence; selecting it focuses that op in the Graph, which is coloured by divergence,
 * and the Histogram lays the copy's values over the model's. The same model on another input
 * diverges first at scale too, because of that input.
 */
class CompareViewTest {

    @TempDir
    static Path folder;

    /**
     * scale = x * w1, shift = scale + 100, out = tanh(shift / 100): a change of w1 shows most in
     * scale (shift's larger magnitude makes its relative error smaller, tanh flattens it further).
     */
    private static Path model(String name, String w1) throws Exception {
        return Files.writeString(folder.resolve(name), """
                node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } }
                  attr { key: "shape" value { shape { dim { size: 1 } dim { size: 4 } } } } }
                node { name: "w1" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
                  attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { dim { size: 4 } } %s } } } }
                node { name: "scale" op: "Mul" input: "x" input: "w1" attr { key: "T" value { type: DT_FLOAT } } }
                node { name: "b" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
                  attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { } float_val: 100 } } } }
                node { name: "shift" op: "AddV2" input: "scale" input: "b" attr { key: "T" value { type: DT_FLOAT } } }
                node { name: "norm" op: "RealDiv" input: "shift" input: "b" attr { key: "T" value { type: DT_FLOAT } } }
                node { name: "out" op: "Tanh" input: "norm" attr { key: "T" value { type: DT_FLOAT } } }
                """.formatted(w1));
    }

    @Test
    void thePerturbedOpIsTheFirstDivergenceAndFocusesTheGraph() throws Exception {
        Display display = Display.getCurrent();
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        DebugSession session = TestServices.get(DebugSession.class);
        Path original = model("original.pbtxt", "float_val: 1 float_val: 2 float_val: 3 float_val: 4");
        Path same = Files.copy(original, folder.resolve("same.pbtxt"));
        Path perturbed = model("perturbed.pbtxt", "float_val: 1 float_val: 2 float_val: 3.5 float_val: 4");
        session.open(original, new RunConfiguration(null, List.of("x=const:2"), "", Device.CPU, HealthMode.FULL), true);
        assertTrue(UiWait.until(display, () -> session.outcome().isPresent()
                && session.graph().get().source().equals(original), 60_000), "the model opened and ran");
        GraphView graph = (GraphView) page.showView(TensorscopeViews.GRAPH);
        CompareView view = (CompareView) page.showView(TensorscopeViews.COMPARE);
        try {
            // with itself: nothing diverges
            TestServices.get(ComparisonSession.class).compareWithModel(same, 1e-4);
            assertTrue(UiWait.until(display, () -> TestServices.get(ComparisonSession.class).comparison().isPresent(), 60_000));
            assertTrue(UiWait.until(display, () -> !view.isShowingEmptyState() && !ShownInViews.rows(view).isEmpty(), 5_000));
            assertEquals("No divergence: every compared tensor is within the tolerance.", ShownInViews.firstDivergenceText(view));
            assertNull(ShownInViews.highlightedRow(view));

            // with the perturbed copy: scale reads w1, so it diverges first, with the largest error
            Comparison withItself = TestServices.get(ComparisonSession.class).comparison().get();
            TestServices.get(ComparisonSession.class).compareWithModel(perturbed, 1e-4);
            assertTrue(UiWait.until(display, () -> TestServices.get(ComparisonSession.class).comparison().filter(c -> c != withItself)
                    .isPresent(), 60_000));
            assertTrue(UiWait.until(display, () -> ShownInViews.highlightedRow(view) != null, 5_000),
                    "no row highlighted; " + ShownInViews.firstDivergenceText(view));
            TensorPair first = ShownInViews.highlightedRow(view);
            assertEquals("scale", first.opA());
            assertEquals("scale", ShownInViews.rows(view).get(0).opA(), "listed by error, largest first");
            assertTrue(ShownInViews.firstDivergenceText(view).startsWith("First divergence: scale:0 (Mul), max abs error 1"),
                    ShownInViews.firstDivergenceText(view));
            assertTrue(ShownInViews.firstDivergenceText(view).contains("w1"), "names the weight that differs: "
                    + ShownInViews.firstDivergenceText(view));

            // selecting the row focuses scale in the Graph, which is coloured by divergence
            assertTrue(UiWait.until(display, () -> ShownInViews.isShowing(graph, session.graph().get()), 30_000), "graph laid out");
            view.select(first);
            assertEquals("scale", TestServices.get(SteppingFocus.class).focusOp().orElse(null));
            String box = ShownInViews.drawing(graph).graph().nodeOf("scale").orElseThrow();
            assertTrue(UiWait.until(display, () -> box.equals(graph.getCurrentBoxId()), 5_000),
                    "the graph outlines " + graph.getCurrentBoxId());
            assertEquals(NodeHealth.ORIGIN, graph.getHealthOf("scale"));
            assertEquals(NodeHealth.PROPAGATED, graph.getHealthOf("shift"));

            // the Histogram lays the perturbed copy's scale over the model's
            IViewPart histogram = page.showView(TensorscopeViews.HISTOGRAM);
            assertTrue(UiWait.until(display, () -> "B: perturbed.pbtxt".equals(ChartViews.histogramOverlayLabel(histogram)), 30_000),
                    "overlay: " + ChartViews.histogramOverlayLabel(histogram));
            assertEquals(4, ChartViews.histogramOverlayCount(histogram));

            // the same model on another input: scale diverges first, because of x
            Comparison withPerturbed = TestServices.get(ComparisonSession.class).comparison().get();
            TestServices.get(ComparisonSession.class).compareWithInputs(List.of("x=const:3"), 1e-4);
            assertTrue(UiWait.until(display, () -> TestServices.get(ComparisonSession.class).comparison()
                    .filter(c -> c != withPerturbed).isPresent(), 60_000));
            assertTrue(UiWait.until(display, () -> ShownInViews.highlightedRow(view) != null
                    && ShownInViews.firstDivergenceText(view).startsWith("First divergence: scale:0"), 5_000),
                    ShownInViews.firstDivergenceText(view));
            assertTrue(ShownInViews.firstDivergenceText(view).endsWith("its inputs that already differ: x:0"),
                    ShownInViews.firstDivergenceText(view));
        } finally {
            TestServices.get(ComparisonSession.class).clear();
        }
        // without the comparison the Graph shows the run's health again
        assertTrue(UiWait.until(display, () -> graph.getHealthOf("shift") == NodeHealth.FINITE, 5_000));
        assertNotNull(view);
    }

    /**
     * The same graph, B ending its output with a sigmoid named otherwise (as a TF.js conversion may): the outputs'
     * signature keys differ, so they are paired by shape, and the view says so above the table, with the op only B
     * computes and what stayed unmatched.
     */
    @Test
    void theNotesSayHowOutputsWerePairedAndWhatOnlyOneSideComputes() throws Exception {
        Display display = Display.getCurrent();
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        DebugSession session = TestServices.get(DebugSession.class);
        Path original = model("plain.pbtxt", "float_val: 1 float_val: 2 float_val: 3 float_val: 4");
        Path converted = Files.writeString(folder.resolve("converted.pbtxt"), Files.readString(original)
                + """
                node { name: "result" op: "Sigmoid" input: "out" attr { key: "T" value { type: DT_FLOAT } } }
                """);
        session.open(original, new RunConfiguration(null, List.of("x=const:2"), "", Device.CPU, HealthMode.FULL), true);
        assertTrue(UiWait.until(display, () -> session.outcome().isPresent()
                && session.graph().get().source().equals(original), 60_000), "the model opened and ran");
        CompareView view = (CompareView) page.showView(TensorscopeViews.COMPARE);
        try {
            TestServices.get(ComparisonSession.class).compareWithModel(converted, 1e-4);
            assertTrue(UiWait.until(display, () -> TestServices.get(ComparisonSession.class).comparison()
                    .filter(c -> c.b().model().endsWith("converted.pbtxt")).isPresent(), 60_000));
            assertTrue(UiWait.until(display, () -> !ShownInViews.compareNotesText(view).isEmpty(), 5_000),
                    "no notes; " + ShownInViews.firstDivergenceText(view));
            String notes = ShownInViews.compareNotesText(view);
            assertTrue(notes.startsWith("Note: outputs paired by shape, in order, not by signature key, as their keys "
                    + "differ: out with result [1,4]"), notes);
            // A's out is paired with B's result, so B's own Tanh is what B computes on the way, and stays unmatched
            assertTrue(notes.contains("\nOutput out:0 / B result:0: B computes it through ops A has no counterpart for: "
                    + "out (Tanh)\n"), notes);
            assertTrue(notes.endsWith("\nUnmatched: 1 of B (out:0)"), notes);
        } finally {
            TestServices.get(ComparisonSession.class).clear();
        }
    }
}
