package org.tensorscope.ui.internal.session;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.jface.action.IStatusLineManager;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.PlatformUI;

/**
 * How a job on the model ended when it did not succeed: a cancel is one line on the status line
 * (until the next job starts), a failure one sentence in a dialog, without the stack trace that
 * the log keeps.
 */
public final class RunNotices {

    private static final List<IStatusLineManager> STATUS_LINES = new ArrayList<>();
    private static boolean showing;

    private RunNotices() {
    }

    /** A window's status line shows the notices from now on. */
    public static void showOn(IStatusLineManager statusLine) {
        STATUS_LINES.add(statusLine);
    }

    /** Shows a line on the status line; callable from any thread. */
    public static void report(String line) {
        inUi(() -> {
            showing = true;
            STATUS_LINES.forEach(statusLine -> statusLine.setMessage(line));
        });
    }

    /** Takes the last line away, e.g. when a new run starts; on the UI thread. */
    public static void clear() {
        if (showing) {
            showing = false;
            STATUS_LINES.forEach(statusLine -> statusLine.setMessage(null));
        }
    }

    /** Says in a dialog why a job failed, e.g. "Run model.pb" and the error's message; callable from any thread. */
    public static void failed(String title, String message) {
        inUi(() -> MessageDialog.openError(PlatformUI.getWorkbench().getModalDialogShellProvider().getShell(), title,
                sentence(message)));
    }

    /** "the worker stopped" becomes "The worker stopped." */
    static String sentence(String message) {
        String text = message.strip();
        if (text.isEmpty()) {
            return text;
        }
        text = Character.toUpperCase(text.charAt(0)) + text.substring(1);
        return text.matches("(?s).*[.!?]$") ? text : text + ".";
    }

    private static void inUi(Runnable action) {
        Display display = PlatformUI.isWorkbenchRunning() ? PlatformUI.getWorkbench().getDisplay() : null;
        if (display != null && !display.isDisposed()) {
            display.asyncExec(action);
        }
    }
}
