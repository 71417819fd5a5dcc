package org.tensorscope.ui.internal;

import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Monitor;
import org.eclipse.swt.widgets.Shell;
import org.osgi.service.prefs.BackingStoreException;
import org.osgi.service.prefs.Preferences;

/**
 * Where the workbench window was and whether it was maximized, kept in the preferences when it
 * closes and given back when it opens. The first time, or when the saved place is on no screen
 * any more (a monitor was unplugged), the window opens at its default size centred on the primary
 * monitor, never larger than it.
 */
public final class WindowPlacement {

    static final Point DEFAULT_SIZE = new Point(1280, 800);
    private static final String X = "window.x";
    private static final String Y = "window.y";
    private static final String WIDTH = "window.width";
    private static final String HEIGHT = "window.height";
    private static final String MAXIMIZED = "window.maximized";

    private WindowPlacement() {
    }

    public static void save(Shell shell, Preferences preferences) {
        // a maximized window's own bounds are the screen's: keep the ones it returns to
        Rectangle bounds = shell.getMaximized() || shell.getMinimized() ? normalBounds(shell) : shell.getBounds();
        if (bounds != null) {
            preferences.putInt(X, bounds.x);
            preferences.putInt(Y, bounds.y);
            preferences.putInt(WIDTH, bounds.width);
            preferences.putInt(HEIGHT, bounds.height);
        }
        preferences.putBoolean(MAXIMIZED, shell.getMaximized());
        try {
            preferences.flush();
        } catch (BackingStoreException e) {
            // at worst the window opens at its default place next time
        }
    }

    public static void restore(Shell shell, Preferences preferences) {
        Rectangle saved = new Rectangle(preferences.getInt(X, 0), preferences.getInt(Y, 0),
                preferences.getInt(WIDTH, -1), preferences.getInt(HEIGHT, -1));
        shell.setBounds(saved.width > 0 && saved.height > 0 && onScreen(shell, saved) ? saved : centred(shell));
        if (preferences.getBoolean(MAXIMIZED, false)) {
            shell.setMaximized(true);
        }
    }

    /** The default size (at most the monitor's work area) centred on the primary monitor. */
    static Rectangle centred(Shell shell) {
        Monitor primary = shell.getDisplay().getPrimaryMonitor();
        Rectangle area = primary.getClientArea();
        int width = Math.min(DEFAULT_SIZE.x, area.width);
        int height = Math.min(DEFAULT_SIZE.y, area.height);
        return new Rectangle(area.x + (area.width - width) / 2, area.y + (area.height - height) / 2, width, height);
    }

    /** Whether enough of the window's title bar lies on some monitor to grab it. */
    private static boolean onScreen(Shell shell, Rectangle bounds) {
        Rectangle titleBar = new Rectangle(bounds.x, bounds.y, bounds.width, 40);
        for (Monitor monitor : shell.getDisplay().getMonitors()) {
            Rectangle visible = monitor.getClientArea().intersection(titleBar);
            if (visible.width >= 100 && visible.height >= 20) {
                return true;
            }
        }
        return false;
    }

    private static Rectangle normalBounds(Shell shell) {
        Object kept = shell.getData(WindowPlacement.class.getName());
        return kept instanceof Rectangle r ? r : null;
    }

    /** Follows the window's normal (not maximized) bounds, which a maximized shell no longer reports. */
    public static void track(Shell shell) {
        Runnable remember = () -> {
            if (!shell.getMaximized() && !shell.getMinimized()) {
                shell.setData(WindowPlacement.class.getName(), shell.getBounds());
            }
        };
        remember.run();
        shell.addListener(org.eclipse.swt.SWT.Resize, e -> remember.run());
        shell.addListener(org.eclipse.swt.SWT.Move, e -> remember.run());
    }
}
