package org.tensorscope.core.sequence;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.tensor.TensorData;

/**
 * The inputs one step was fed, kept compactly so that the step can be run again: a frame as its recipe (the
 * source and the step, read or generated again on demand), an input that keeps its value at every step as the
 * one value all steps share, and only what feedback fed as a stored tensor. Stored values may be let go to keep
 * a long run within a budget; the step then says it can no longer be run again, and why.
 */
public final class StepInputs {

    /** How one input's value is kept. */
    private sealed interface Kept permits Frame, Shared, Stored, LetGo {
    }

    /** Rebuilt from the frame source. */
    private record Frame(FrameSource source, int step, TensorSpec input) implements Kept {
    }

    /** The value every step is fed (held once for the run, not per step). */
    private record Shared(TensorData value) implements Kept {
    }

    /** A value only this step had: what feedback fed it. */
    private record Stored(TensorData value) implements Kept {
    }

    /** A stored value let go to stay within the budget. */
    private record LetGo() implements Kept {
    }

    private final Map<String, Kept> inputs;
    private String dropped = "";

    private StepInputs(Map<String, Kept> inputs) {
        this.inputs = new LinkedHashMap<>(inputs);
    }

    /** Every value stored as given (for steps not made by a run, e.g. in tests of the renderers). */
    public static StepInputs stored(Map<String, TensorData> feeds) {
        Map<String, Kept> kept = new LinkedHashMap<>();
        feeds.forEach((name, value) -> kept.put(name, new Stored(value)));
        return new StepInputs(kept);
    }

    /** Builds the inputs of one step, input by input in feed order. */
    static final class Builder {
        private final Map<String, Kept> inputs = new LinkedHashMap<>();

        Builder frame(String tensor, FrameSource source, int step, TensorSpec input) {
            inputs.put(tensor, new Frame(source, step, input));
            return this;
        }

        Builder shared(String tensor, TensorData value) {
            inputs.put(tensor, new Shared(value));
            return this;
        }

        Builder fedBack(String tensor, TensorData value) {
            inputs.put(tensor, new Stored(value));
            return this;
        }

        StepInputs build() {
            return new StepInputs(inputs);
        }
    }

    /** The graph tensors ("src:0") the step was fed, in feed order. */
    public synchronized Set<String> names() {
        return Collections.unmodifiableSet(new java.util.LinkedHashSet<>(inputs.keySet()));
    }

    /** The inputs whose values feedback fed, in feed order (also once let go). */
    public synchronized List<String> fedBack() {
        return inputs.entrySet().stream().filter(e -> e.getValue() instanceof Stored || e.getValue() instanceof LetGo)
                .map(Map.Entry::getKey).toList();
    }

    /** Bytes this step holds of its own: the fed-back values, 0 once they are let go. */
    public synchronized long storedBytes() {
        return inputs.values().stream().mapToLong(k -> k instanceof Stored s ? s.value().bytes().remaining() : 0).sum();
    }

    /** Whether the step can be run again from what is kept. */
    public synchronized boolean canRerun() {
        return dropped.isEmpty();
    }

    /** Why the step can no longer be run again; empty when it can. */
    public synchronized String whyNot() {
        return dropped;
    }

    /** Lets go of the stored values; the step can no longer be run again, for this reason. */
    synchronized void drop(String reason) {
        for (Map.Entry<String, Kept> e : inputs.entrySet()) {
            if (e.getValue() instanceof Stored) {
                e.setValue(new LetGo());
                dropped = reason;
            }
        }
    }

    /**
     * The values the step was fed, by graph tensor name, rebuilt where kept as a recipe.
     *
     * @throws IOException           when a frame can no longer be read (its file changed or went away)
     * @throws IllegalStateException when the step's fed-back values were let go ({@link #whyNot()})
     */
    public Map<String, TensorData> values() throws IOException {
        Map<String, Kept> kept;
        synchronized (this) {
            if (!dropped.isEmpty()) {
                throw new IllegalStateException(dropped);
            }
            kept = new LinkedHashMap<>(inputs);
        }
        Map<String, TensorData> values = new LinkedHashMap<>();
        for (Map.Entry<String, Kept> e : kept.entrySet()) {
            values.put(e.getKey(), switch (e.getValue()) {
                case Frame f -> f.source().frame(f.step(), f.input());
                case Shared s -> s.value();
                case Stored s -> s.value();
                case LetGo g -> throw new IllegalStateException(dropped);
            });
        }
        return values;
    }
}
