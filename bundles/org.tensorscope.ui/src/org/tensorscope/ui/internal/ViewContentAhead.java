package org.tensorscope.ui.internal;

import java.util.ArrayDeque;
import java.util.Deque;

import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IViewReference;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.tensorscope.ui.api.EmptyStateView;

/**
 * Builds the content of the views the window shows at start, which they leave unbuilt while they
 * are empty so that the window shows sooner: once the window is up, one view per turn of the event
 * loop, so that no turn stalls it and the first model finds them built.
 */
public final class ViewContentAhead {

    /** Long enough for the window's first paint to come first. */
    private static final int DELAY_MILLIS = 100;

    private ViewContentAhead() {
    }

    /** Starts building, after a short delay, the content of the views the window's page has made. */
    public static void schedule(IWorkbenchWindow window) {
        IWorkbenchPage page = window.getActivePage();
        if (page == null) {
            return;
        }
        Deque<EmptyStateView> views = new ArrayDeque<>();
        for (IViewReference reference : page.getViewReferences()) {
            if (reference.getView(false) instanceof EmptyStateView view) {
                views.add(view);
            }
        }
        Display display = window.getShell().getDisplay();
        display.timerExec(DELAY_MILLIS, () -> buildNext(display, views));
    }

    private static void buildNext(Display display, Deque<EmptyStateView> views) {
        EmptyStateView view = views.poll();
        if (view == null || display.isDisposed()) {
            return;
        }
        view.buildContent();
        display.asyncExec(() -> buildNext(display, views));
    }
}
