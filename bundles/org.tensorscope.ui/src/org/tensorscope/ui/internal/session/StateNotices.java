package org.tensorscope.ui.internal.session;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.ILogListener;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.jface.action.IStatusLineManager;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.ISharedImages;
import org.eclipse.ui.PlatformUI;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * One line about remembered state that could not be used (a state file set aside, a preference
 * not understood, a file that could not be saved): written to the log and shown on the status
 * line, never in a dialog that would stand between the user and the model. Whoever has no handle
 * on this service (the preferences) writes the line to the log with {@link #log(String)}; this
 * service shows every such line it reads there.
 */
@Component(service = StateNotices.class)
public final class StateNotices {

    private static final String PLUGIN_ID = "org.tensorscope.ui";
    /** The status code that marks a log entry as a state notice. */
    private static final int CODE = 0x7e57;

    private final List<IStatusLineManager> statusLines = new CopyOnWriteArrayList<>();
    private final ILogListener onLogged = (status, plugin) -> {
        if (status.getCode() == CODE && PLUGIN_ID.equals(status.getPlugin())) {
            show(status.getMessage());
        }
    };
    private String last;

    public StateNotices() {
        // created by the OSGi component runtime
    }

    @Activate
    void activate() {
        ILog.of(StateNotices.class).addLogListener(onLogged);
    }

    @Deactivate
    void deactivate() {
        ILog.of(StateNotices.class).removeLogListener(onLogged);
    }

    /** Writes a notice to the log, from where this service shows it on the status line. */
    public static void log(String line) {
        ILog.of(StateNotices.class).log(new Status(IStatus.WARNING, PLUGIN_ID, CODE, line, null));
    }

    public void report(String line) {
        log(line);
    }

    /** A window's status line shows the notices from now on, and the last one reported before it opened. */
    public void showOn(IStatusLineManager statusLine) {
        statusLines.add(statusLine);
        if (last != null) {
            setMessage(statusLine, last);
        }
    }

    private void show(String line) {
        Display display = PlatformUI.isWorkbenchRunning() ? PlatformUI.getWorkbench().getDisplay() : null;
        if (display != null && !display.isDisposed()) {
            display.asyncExec(() -> {
                last = line;
                statusLines.forEach(statusLine -> setMessage(statusLine, line));
            });
        } else {
            last = line;
        }
    }

    private static void setMessage(IStatusLineManager statusLine, String line) {
        statusLine.setMessage(PlatformUI.getWorkbench().getSharedImages().getImage(ISharedImages.IMG_OBJS_WARN_TSK), line);
    }
}
