package org.tensorscope.ui.internal.session;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.jface.action.IStatusLineManager;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.PlatformUI;
import org.osgi.service.component.annotations.Component;

/**
 * How a job on the model ended when it did not succeed: a cancel is one line on the status line
 * (until the next job starts), a failure one sentence in a dialog, without the stack trace that
 * the log keeps.
 */
@Component(service = RunNotices.class)
public final class RunNotices {

    private final List<IStatusLineManager> statusLines = new CopyOnWriteArrayList<>();
    private boolean showing;

    public RunNotices() {
        // created by the OSGi component runtime
    }

    /** A window's status line shows the notices from now on. */
    public void showOn(IStatusLineManager statusLine) {
        statusLines.add(statusLine);
    }

    /** Shows a line on the status line; callable from any thread. */
    public void report(String line) {
        inUi(() -> {
            showing = true;
            statusLines.forEach(statusLine -> statusLine.setMessage(line));
        });
    }

    /** Takes the last line away, e.g. when a new run starts; on the UI thread. */
    public void clear() {
        if (showing) {
            showing = false;
            statusLines.forEach(statusLine -> statusLine.setMessage(null));
        }
    }

    /** Says in a dialog why a job failed, e.g. "Run model.pb" and the error's message; callable from any thread. */
    public void failed(String title, String message) {
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
