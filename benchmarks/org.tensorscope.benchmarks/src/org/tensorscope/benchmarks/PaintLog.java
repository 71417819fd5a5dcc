package org.tensorscope.benchmarks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Listener;

/**
 * With {@code -Dtensorscope.benchmark.paints=true}: which widgets paint while stepping, how often
 * and how much area, named by the view they belong to (a display filter on SWT.Paint; GTK sends one
 * for every widget it draws once a filter listens, so this costs a little itself).
 */
final class PaintLog implements Listener {

    private static final boolean ON = Boolean.getBoolean("tensorscope.benchmark.paints");

    private final Display display;
    private final Map<String, Control> views;
    /** per widget: paints, pixels, steps in which it painted more than once */
    private final Map<String, long[]> totals = new TreeMap<>();
    private final Map<String, Integer> thisStep = new HashMap<>();
    private int steps;

    private PaintLog(Display display, Map<String, Control> views) {
        this.display = display;
        this.views = views;
    }

    static PaintLog start(Display display, Map<String, Control> views) {
        PaintLog log = new PaintLog(display, views);
        if (ON) {
            display.addFilter(SWT.Paint, log);
        }
        return log;
    }

    @Override
    public void handleEvent(Event e) {
        if (!(e.widget instanceof Control control)) {
            return;
        }
        String name = name(control);
        long[] total = totals.computeIfAbsent(name, k -> new long[3]);
        total[0]++;
        total[1] += (long) e.width * e.height;
        thisStep.merge(name, 1, Integer::sum);
    }

    private String name(Control control) {
        String view = "window";
        for (Control c = control; c != null; c = c.getParent()) {
            for (Map.Entry<String, Control> v : views.entrySet()) {
                if (v.getValue() == c) {
                    view = v.getKey();
                }
            }
            if (!view.equals("window")) {
                break;
            }
        }
        StringBuilder path = new StringBuilder(control.getClass().getSimpleName());
        Composite parent = control.getParent();
        for (int i = 0; i < 2 && parent != null; i++, parent = parent.getParent()) {
            path.append('<').append(parent.getClass().getSimpleName());
        }
        String shell = control.getShell() == display.getActiveShell() ? "" : " (other shell)";
        return view + shell + ": " + path + " " + control.getSize().x + "x" + control.getSize().y;
    }

    void step() {
        steps++;
        thisStep.forEach((name, count) -> {
            if (count > 1) {
                totals.get(name)[2]++;
            }
        });
        thisStep.clear();
    }

    List<String> stop() {
        List<String> lines = new ArrayList<>();
        if (!ON) {
            return lines;
        }
        display.removeFilter(SWT.Paint, this);
        lines.add("  paints over " + steps + " steps (widget: paints, kilopixels, steps painting it more than once):");
        totals.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                .forEach(e -> lines.add(String.format("    %s: %d, %d kpx, %d", e.getKey(), e.getValue()[0],
                        e.getValue()[1] / 1000, e.getValue()[2])));
        return lines;
    }
}
