package org.tensorscope.ui.internal.views;

import org.tensorscope.ui.tests.TestServices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorscope.core.model.ScopeTree;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.ui.TensorscopeViews;
import org.tensorscope.ui.internal.session.DebugSession;
import org.tensorscope.ui.internal.session.SteppingFocus;
import org.tensorscope.ui.internal.session.Demo;
import org.tensorscope.ui.tests.UiWait;

/**
 * What a new user sees after the demo's run, in the default layout: the bad op marked in the Model
 * Explorer without scrolling, numbers written to five significant digits, and the NaN Trace view's
 * long op names wrapped inside the view.
 */
class ReadableAtAGlanceTest {

    private static final Pattern RAW_DOUBLE = Pattern.compile("\\d\\.\\d{6,}");

    private static NanReport report;

    @BeforeAll
    static void runTheDemo() {
        Display display = Display.getCurrent();
        PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage().resetPerspective();
        DebugSession session = TestServices.get(DebugSession.class);
        if (session.outcome().isEmpty() || session.outcome().get().report().finite()) {
            Object before = session.outcome().orElse(null);
            Demo.open(TestServices.get(DebugSession.class));
            assertTrue(until(display, () -> session.outcome().isPresent() && session.outcome().get() != before, 180_000),
                    "the demo's trace did not finish");
        }
        report = session.outcome().get().report();
        assertFalse(report.finite());
        TestServices.get(SteppingFocus.class).stepTo(report.origin().op());
    }

    @Test
    void theExplorerMarksTheOriginWithoutScrolling() throws Exception {
        Display display = Display.getCurrent();
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        ModelExplorerView explorer = (ModelExplorerView) page.showView(TensorscopeViews.MODEL_EXPLORER);
        String origin = report.origin().op();
        assertTrue(until(display, () -> origin.equals(explorer.getSelectedOpName()), 10_000),
                "the explorer selects the origin: " + explorer.getSelectedOpName());
        Tree tree = explorer.viewer.getTree();
        Rectangle area = tree.getParent().getClientArea();
        assertTrue(tree.getSize().y > area.height * 3 / 4 && tree.getSize().x > area.width * 3 / 4,
                "the tree fills the view below its filter: " + tree.getSize() + " in " + area);
        TreeItem item = tree.getSelection()[0];
        tree.showItem(item);

        assertEquals("Op", tree.getColumn(0).getText());
        assertEquals("Health", tree.getColumn(1).getText(), "health comes right after the name");
        assertNotNull(item.getImage(0), "the origin has an icon with its health overlay");
        assertEquals(ExplorerHealth.ORIGIN_RGB, item.getForeground(0).getRGB(), "the origin's name is red");
        Rectangle icon = item.getImageBounds(0);
        assertTrue(icon.x >= 0 && icon.x + icon.width <= tree.getClientArea().width,
                "the health icon is inside the visible width " + tree.getClientArea().width + ": " + icon);

        ScopeTree node = (ScopeTree) item.getData();
        String tooltip = explorer.health.tooltip(node);
        assertTrue(tooltip.startsWith(origin + ": NaN/Inf starts here"), tooltip);
        var row = TestServices.get(DebugSession.class).outcome().get().trace().row(origin).orElseThrow();
        assertTrue(tooltip.contains("+Inf " + row.posInfCount() + " of " + row.elements() + " values"), tooltip);

        // the scopes (and fused ops) above the origin are marked too, so a folded tree still points at it
        for (TreeItem above = item.getParentItem(); above != null; above = above.getParentItem()) {
            assertEquals(ExplorerHealth.ORIGIN_RGB, above.getForeground(0).getRGB(), above.getText());
        }
    }

    @Test
    void theInspectorWritesFiveSignificantDigits() throws Exception {
        Display display = Display.getCurrent();
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        TensorInspectorView inspector = (TensorInspectorView) page.showView(TensorscopeViews.TENSOR_INSPECTOR);
        assertTrue(until(display, () -> inspector.stats.getText().contains("min "), 30_000), inspector.stats.getText());
        String stats = inspector.stats.getText();
        assertFalse(RAW_DOUBLE.matcher(stats).find(), "no raw doubles: " + stats);
        assertTrue(Pattern.compile("max -?\\d(\\.\\d{1,4})?(e[+-]\\d+)?\\s").matcher(stats + " ").find()
                || stats.contains("max +Inf") || stats.contains("max NaN"), stats);
    }

    @Test
    void theNanTraceWrapsLongOpNamesInsideTheView() throws Exception {
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        NanTraceView trace = (NanTraceView) page.showView(TensorscopeViews.NAN_TRACE);
        StyledText summary = trace.summary;
        Display.getCurrent().readAndDispatch();
        assertTrue(summary.getWordWrap(), "the summary wraps");
        String text = summary.getText();
        assertTrue(text.contains(report.origin().op()), "the origin's whole name is in the text");
        // what the user sees is the view: the text must wrap inside it, not inside a wider widget it clips
        int width = Math.min(summary.getClientArea().width,
                trace.getControl().getSize().x - summary.getLocation().x);
        int longest = 0;
        for (int offset = 0; offset < text.length(); offset++) {
            Rectangle glyph = summary.getTextBounds(offset, offset);
            longest = Math.max(longest, glyph.x + glyph.width);
        }
        assertTrue(longest <= width, "text reaches x=" + longest + " in a view " + width + " wide");
        assertTrue(summary.getLineCount() < summary.getTextBounds(0, text.length() - 1).height
                / summary.getLineHeight(), "some long line wraps onto a second row");
    }

    @Test
    void opNamesInTheNanTraceAreLinksThatSelectTheOp() throws Exception {
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        NanTraceView trace = (NanTraceView) page.showView(TensorscopeViews.NAN_TRACE);
        StyledText summary = trace.summary;
        String origin = report.origin().op();
        String firstNan = report.origin().firstNanOp();
        assertNotNull(firstNan);
        String text = summary.getText();
        int offset = text.indexOf(firstNan, text.indexOf("First NaN: "));
        assertTrue(offset > 0, text);
        assertEquals(firstNan, trace.linkAt(offset).orElse(null));
        assertTrue(summary.getStyleRangeAtOffset(offset).underline, "the op's name is underlined as a link");
        assertTrue(trace.linkAt(text.indexOf("First NaN: ")).isEmpty(), "words are not links");
        SteppingFocus focus = TestServices.get(SteppingFocus.class);
        String elsewhere = report.ops().stream().map(o -> o.tensor().substring(0, o.tensor().lastIndexOf(':')))
                .filter(op -> !op.equals(firstNan) && !op.equals(origin)).findFirst().orElseThrow();
        int atOrigin = text.indexOf(origin, text.indexOf("NaN/Inf starts at "));
        try {
            // as a user does: the view active with the focus on the origin, a step away, then a click on a name,
            // the origin's (which the view named when it was last active) as well as the first NaN's, each twice:
            // the same name clicked again after a step is a new choice
            for (int link : new int[] { atOrigin, atOrigin, offset, offset }) {
                String op = trace.linkAt(link).orElseThrow();
                focus.stepTo(origin);
                page.activate(trace);
                Display.getCurrent().readAndDispatch();
                focus.stepTo(elsewhere);
                assertEquals(elsewhere, focus.focusOp().orElse(null));
                summary.setSelection(link);
                Point at = summary.getLocationAtOffset(link + 1);
                assertTrue(summary.getClientArea().contains(at), "the link's line is in view at " + at);
                Event click = new Event();
                click.button = 1;
                click.x = at.x + 1;
                click.y = at.y + 1;
                summary.notifyListeners(SWT.MouseUp, click);
                assertEquals(op, focus.focusOp().orElse(null), "clicking the name selects the op");
            }
        } finally {
            focus.stepTo(origin);
        }
    }

    static boolean until(Display display, BooleanSupplier condition, long timeoutMillis) {
        return UiWait.until(display, condition, timeoutMillis);
    }
}
