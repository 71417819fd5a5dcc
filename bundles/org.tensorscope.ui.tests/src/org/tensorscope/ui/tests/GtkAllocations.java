package org.tensorscope.ui.tests;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.swt.SWT;
import org.eclipse.swt.internal.Callback;
import org.eclipse.swt.internal.gtk.OS;
import org.eclipse.swt.widgets.Control;

/**
 * Counts how often GTK allocated (laid out) each of some widgets: GTK's "size-allocate" signal on
 * the widget's handle, which GTK emits when the widget or one inside it asked to be measured again
 * (a label whose text changed does) or when its place or size changed. SWT itself hears of neither:
 * a widget laid out again at the same bounds gets no SWT event. GTK only, through SWT's internal
 * bindings.
 */
final class GtkAllocations implements AutoCloseable {

    private final Callback callback = new Callback(this, "allocated", 3);
    private final Map<Long, Integer> counts = new LinkedHashMap<>();
    private final List<long[]> connections = new ArrayList<>();

    static boolean supported() {
        return "gtk".equals(SWT.getPlatform());
    }

    /** Starts counting the allocations of a control. */
    void watch(Control control) {
        counts.put(control.handle, 0);
        connections.add(new long[] {control.handle, OS.g_signal_connect(control.handle, OS.size_allocate, callback.getAddress(), 0)});
    }

    /** How often GTK allocated the control since it was watched. */
    int count(Control control) {
        return counts.getOrDefault(control.handle, 0);
    }

    /** GTK's "size-allocate" handler: (widget, allocation, user data). */
    public long allocated(long widget, long allocation, long data) {
        counts.computeIfPresent(widget, (w, n) -> n + 1);
        return 0;
    }

    @Override
    public void close() {
        for (long[] connection : connections) {
            OS.g_signal_handler_disconnect(connection[0], connection[1]);
        }
        callback.dispose();
    }
}
