package org.tensorscope.ui.internal.session;

import java.util.ArrayList;
import java.util.List;

import org.tensorscope.core.trace.Breakpoint;

/**
 * The breakpoints stepping stops at (F8), besides anomalies, which always stop it.
 */
public final class Breakpoints {

    private static final Breakpoints INSTANCE = new Breakpoints();

    private final List<Breakpoint> all = new ArrayList<>();

    private Breakpoints() {
    }

    public static Breakpoints get() {
        return INSTANCE;
    }

    public List<Breakpoint> all() {
        return List.copyOf(all);
    }

    public List<Breakpoint> enabled() {
        return all.stream().filter(Breakpoint::enabled).toList();
    }

    public void add(Breakpoint breakpoint) {
        all.add(breakpoint);
    }

    public void remove(Breakpoint breakpoint) {
        all.remove(breakpoint);
    }
}
