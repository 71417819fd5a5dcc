package org.tensorscope.ui.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

import org.eclipse.e4.core.services.events.IEventBroker;
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
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PartInitException;
import org.osgi.service.event.EventHandler;
import org.tensorscope.core.DebugTopics;
import org.tensorscope.core.trace.Breakpoint;
import org.tensorscope.ui.TensorscopeViews;
import org.tensorscope.ui.internal.session.Breakpoints;
import org.tensorscope.ui.internal.session.DebugSession;
import org.tensorscope.ui.internal.views.BreakpointsView;
import org.tensorscope.ui.internal.views.EmptyStateView;
import org.tensorscope.ui.internal.views.GraphView;

/**
 * For the documentation: with the system property {@value #PROPERTY} set to a folder, waits for
 * the demo's trace, then saves a picture of the window and of each Tensorscope view into it and
 * closes the workbench (scripts/screenshot-views.sh).
 */
final class ViewScreenshots {

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

    private ViewScreenshots() {
    }

    /** Starts waiting for the trace when the property is set. */
    static void scheduleIfAsked(IWorkbench workbench) {
        String folder = System.getProperty(PROPERTY);
        if (folder == null || folder.isBlank()) {
            return;
        }
        IEventBroker broker = workbench.getService(IEventBroker.class);
        EventHandler[] once = new EventHandler[1];
        once[0] = event -> {
            broker.unsubscribe(once[0]);
            workbench.getDisplay().timerExec(SETTLE_MILLIS, () -> capture(workbench, Path.of(folder)));
        };
        broker.subscribe(DebugTopics.TRACE, once[0]);
    }

    private static void capture(IWorkbench workbench, Path folder) {
        IWorkbenchPage page = workbench.getActiveWorkbenchWindow().getActivePage();
        DebugSession.get().outcome().flatMap(o -> o.origin()).ifPresent(origin -> {
            Breakpoints.get().add(new Breakpoint.NonFinite(true));
            Breakpoints.get().add(new Breakpoint.MaxAbsAbove(1e30, true));
            Breakpoints.get().add(new Breakpoint.OnOp(origin.op().name(), false));
        });
        Deque<String> views = new ArrayDeque<>(TensorscopeViews.ALL);
        Display display = workbench.getDisplay();
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            String id = views.poll();
            if (id == null) {
                try {
                    page.showView(TensorscopeViews.NAN_TRACE);
                } catch (PartInitException e) {
                    System.err.println("screenshots: " + e.getMessage());
                }
                display.timerExec(SETTLE_MILLIS, () -> {
                    save(workbench.getActiveWorkbenchWindow().getShell(), folder.resolve("workbench.png"));
                    workbench.close();
                });
                return;
            }
            try {
                IViewPart view = page.showView(id);
                if (view instanceof GraphView graph) {
                    DebugSession.get().outcome().flatMap(o -> o.origin()).ifPresent(o -> graph.reveal(o.op().name()));
                }
                display.timerExec(SETTLE_MILLIS, () -> {
                    Control control = view instanceof EmptyStateView e ? e.getControl()
                            : view instanceof BreakpointsView b ? b.getControl() : null;
                    if (control != null) {
                        save(tabFolderAround(control), folder.resolve(FILES.get(id)));
                    }
                    next[0].run();
                });
            } catch (PartInitException e) {
                System.err.println("screenshots: " + id + ": " + e.getMessage());
                next[0].run();
            }
        };
        next[0].run();
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

    private static void save(Control control, Path file) {
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
        } catch (IOException e) {
            System.err.println("screenshots: " + file + ": " + e.getMessage());
        } finally {
            gc.dispose();
            image.dispose();
        }
    }
}
