package org.tensorscope.ui.internal.session;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.ILog;
import org.eclipse.jface.action.IStatusLineManager;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.ISharedImages;
import org.eclipse.ui.PlatformUI;

/**
 * One line about remembered state that could not be used (a state file set aside, a preference
 * not understood, a file that could not be saved): written to the log and shown on the status
 * line, never in a dialog that would stand between the user and the model.
 */
public final class StateNotices {

    private static final List<IStatusLineManager> STATUS_LINES = new ArrayList<>();
    private static String last;

    private StateNotices() {
    }

    public static void report(String line) {
        ILog.of(StateNotices.class).warn(line);
        Display display = PlatformUI.isWorkbenchRunning() ? PlatformUI.getWorkbench().getDisplay() : null;
        if (display != null && !display.isDisposed()) {
            display.asyncExec(() -> show(line));
        }
    }

    /** A window's status line shows the notices from now on, and the last one reported before it opened. */
    public static void showOn(IStatusLineManager statusLine) {
        STATUS_LINES.add(statusLine);
        if (last != null) {
            setMessage(statusLine, last);
        }
    }

    private static void show(String line) {
        last = line;
        STATUS_LINES.forEach(statusLine -> setMessage(statusLine, line));
    }

    private static void setMessage(IStatusLineManager statusLine, String line) {
        statusLine.setMessage(PlatformUI.getWorkbench().getSharedImages().getImage(ISharedImages.IMG_OBJS_WARN_TSK), line);
    }
}
