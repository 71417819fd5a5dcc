package org.tensorscope.ui.internal.session;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.tensorscope.core.trace.Breakpoint;

/**
 * The breakpoints stepping stops at (F8), besides anomalies, which always stop it. They belong
 * to the open model and are remembered with it. Changed on the UI thread only.
 */
@Component(service = Breakpoints.class)
public final class Breakpoints {

    @Reference
    private ModelMemory memory;
    private final List<Breakpoint> all = new ArrayList<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private Path model;

    public Breakpoints() {
        // created by the OSGi component runtime
    }

    public List<Breakpoint> all() {
        return List.copyOf(all);
    }

    public List<Breakpoint> enabled() {
        return all.stream().filter(Breakpoint::enabled).toList();
    }

    public void add(Breakpoint breakpoint) {
        if (!all.contains(breakpoint)) {
            all.add(breakpoint);
            changed();
        }
    }

    public void remove(Breakpoint breakpoint) {
        if (all.remove(breakpoint)) {
            changed();
        }
    }

    public void removeAll() {
        all.clear();
        changed();
    }

    /** Replaces a breakpoint in place, e.g. by its enabled or disabled self. */
    public void replace(Breakpoint old, Breakpoint replacement) {
        int index = all.indexOf(old);
        if (index >= 0) {
            all.set(index, replacement);
            changed();
        }
    }

    /** Adds a breakpoint on an op, or removes the one there (Run > Toggle Breakpoint). */
    public void toggle(String opName) {
        List<Breakpoint> onOp = all.stream()
                .filter(b -> b instanceof Breakpoint.OnOp at && at.opName().equals(opName)).toList();
        if (onOp.isEmpty()) {
            add(new Breakpoint.OnOp(opName, true));
        } else {
            all.removeAll(onOp);
            changed();
        }
    }

    /** The breakpoints remembered with a model file; reads the state folder, off the UI thread. */
    List<Breakpoint> remembered(Path modelFile) {
        return memory.breakpoints(modelFile);
    }

    /**
     * Shows the breakpoints remembered with a model (see {@link #remembered}), plus those added
     * while no model was open (they are then remembered with this one).
     */
    void load(Path modelFile, List<Breakpoint> remembered) {
        List<Breakpoint> unsaved = model == null ? List.copyOf(all) : List.of();
        model = modelFile;
        all.clear();
        all.addAll(remembered);
        unsaved.stream().filter(b -> !all.contains(b)).forEach(all::add);
        if (unsaved.isEmpty()) {
            listeners.forEach(Runnable::run);
        } else {
            changed();
        }
    }

    /** The model closed: its breakpoints stay remembered with it, none is shown. */
    void release() {
        if (model != null) {
            model = null;
            all.clear();
            listeners.forEach(Runnable::run);
        }
    }

    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    private void changed() {
        if (model != null) {
            memory.remember(model, all);
        }
        listeners.forEach(Runnable::run);
    }
}
