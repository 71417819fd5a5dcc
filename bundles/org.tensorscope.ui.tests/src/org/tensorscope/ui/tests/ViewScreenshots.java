package org.tensorscope.ui.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.tensorscope.core.trace.Breakpoint;
import org.tensorscope.ui.TensorscopeViews;
import org.tensorscope.ui.api.EmptyStateView;
import org.tensorscope.ui.internal.session.Breakpoints;
import org.tensorscope.ui.internal.session.ComparisonSession;
import org.tensorscope.ui.internal.session.DebugSession;
import org.tensorscope.ui.internal.session.Demo;
import org.tensorscope.ui.internal.session.SequenceSession;
import org.tensorscope.ui.internal.session.SequenceSettings;
import org.tensorscope.ui.internal.views.BreakpointsView;
import org.tensorscope.ui.internal.views.GraphView;

/**
 * For the documentation, not a check: with the system property {@value #PROPERTY} set to a folder,
 * opens the demo, waits for its trace, then saves a picture of the window and of each Tensorscope
 * view into it (scripts/screenshot-views.sh runs it). Without the property it does not run.
 */
@EnabledIfSystemProperty(named = ViewScreenshots.PROPERTY, matches = ".+")
class ViewScreenshots {

    static final String PROPERTY = "tensorscope.screenshots";
    private static final int SETTLE_MILLIS = 2500;
    private static final Map<String, String> FILES = Map.of(
            TensorscopeViews.MODEL_EXPLORER, "view-model-explorer.png",
            TensorscopeViews.GRAPH, "view-graph.png",
            TensorscopeViews.TENSOR_INSPECTOR, "view-tensor-inspector.png",
            TensorscopeViews.HISTOGRAM, "view-histogram.png",
            TensorscopeViews.LAYER_PROFILE, "view-layer-profile.png",
            TensorscopeViews.NAN_TRACE, "view-nan-trace.png",
            TensorscopeViews.BREAKPOINTS, "view-breakpoints.png");

    @Test
    void saveThePicturesOfTheDemo() throws Exception {
        Path folder = Path.of(System.getProperty(PROPERTY));
        Display display = Display.getCurrent();
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        DebugSession session = TestServices.get(DebugSession.class);
        Object before = session.outcome().orElse(null);
        Demo.open(TestServices.get(DebugSession.class));
        assertTrue(UiWait.until(display, () -> session.outcome().isPresent() && session.outcome().get() != before,
                120_000), "the demo's trace did not finish");
        session.outcome().flatMap(o -> o.origin()).ifPresent(origin -> {
            TestServices.get(Breakpoints.class).add(new Breakpoint.NonFinite(true));
            TestServices.get(Breakpoints.class).add(new Breakpoint.MaxAbsAbove(1e30, true));
            TestServices.get(Breakpoints.class).add(new Breakpoint.OnOp(origin.op().name(), false));
        });
        for (String id : TensorscopeViews.ALL) {
            IViewPart view = page.showView(id);
            if (view instanceof GraphView graph) {
                session.outcome().flatMap(o -> o.origin()).ifPresent(o -> graph.reveal(o.op().name()));
            }
            settle(display);
            Control control = view instanceof EmptyStateView e ? e.getControl()
                    : view instanceof BreakpointsView b ? b.getControl() : null;
            if (control != null && FILES.containsKey(id)) {
                save(tabFolderAround(control), folder.resolve(FILES.get(id)));
            }
        }
        page.showView(TensorscopeViews.HISTOGRAM);
        page.showView(TensorscopeViews.NAN_TRACE);
        settle(display);
        save(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), folder.resolve("workbench.png"));
        sequenceAndComparison(display, page, session, folder);
    }

    /**
     * The demo's frame made 10x brighter at every step until it overflows (the Sequence view), then the demo's
     * run compared with a run on the frame clipped to 0..1 (the Compare view).
     */
    private static void sequenceAndComparison(Display display, IWorkbenchPage page, DebugSession session, Path folder)
            throws Exception {
        String input = session.graph().flatMap(g -> g.defaultSignature()).orElseThrow().inputs().get(0).key();
        TestServices.get(SequenceSession.class).run(new SequenceSettings(2, "ramp*10^t", input, List.of(), 45));
        assertTrue(UiWait.until(display, () -> TestServices.get(SequenceSession.class).result().isPresent(), 300_000),
                "the sequence did not finish");
        saveMaximized(display, page, page.showView(TensorscopeViews.SEQUENCE), folder.resolve("view-sequence.png"));
        TestServices.get(ComparisonSession.class).compareWithInputs(List.of("ramp"), 1e-4);
        assertTrue(UiWait.until(display, () -> TestServices.get(ComparisonSession.class).comparison().isPresent(), 300_000),
                "the comparison did not finish");
        saveMaximized(display, page, page.showView(TensorscopeViews.COMPARE), folder.resolve("view-compare.png"));
    }

    /** A view whose findings and chart need more room than its place in the layout gives: maximized for its picture. */
    private static void saveMaximized(Display display, IWorkbenchPage page, IViewPart view, Path file) throws IOException {
        page.toggleZoom(page.getReference(view));
        settle(display);
        save(tabFolderAround(((EmptyStateView) view).getControl()), file);
        page.toggleZoom(page.getReference(view));
        settle(display);
    }

    private static void settle(Display display) {
        long end = System.currentTimeMillis() + SETTLE_MILLIS;
        UiWait.until(display, () -> System.currentTimeMillis() > end, SETTLE_MILLIS * 2L);
    }

    /** The view's tab folder: its title, toolbar and content, as users see the view. */
    private static Control tabFolderAround(Control control) {
        for (Control c = control; c != null; c = c.getParent()) {
            if (c instanceof CTabFolder) {
                return c;
            }
        }
        return control;
    }

    private static void save(Control control, Path file) throws IOException {
        Rectangle bounds = control.getBounds();
        Image image = new Image(control.getDisplay(), Math.max(1, bounds.width), Math.max(1, bounds.height));
        GC gc = new GC(control);
        try {
            gc.copyArea(image, 0, 0);
            ImageLoader loader = new ImageLoader();
            loader.data = new ImageData[] {image.getImageData()};
            Files.createDirectories(file.getParent());
            loader.save(file.toString(), SWT.IMAGE_PNG);
            System.out.println("saved " + file);
        } finally {
            gc.dispose();
            image.dispose();
        }
    }
}
