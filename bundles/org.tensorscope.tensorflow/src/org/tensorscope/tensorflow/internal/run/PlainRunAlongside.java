package org.tensorscope.tensorflow.internal.run;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.tensorflow.internal.Background;

/**
 * A plain run of a health pass's outputs, made on a thread of its own while the pass makes its own run. A NaN trace
 * compares the pass's outputs with a plain run's whenever the pass's run is not one (FULL runs with grappler off; a
 * CURT pass with probes changes what grappler fuses), and the first run of a set of fetches costs many times a later
 * one: grappler optimises the graph and TensorFlow builds the executor and its kernels, on the calling thread. Made
 * alongside the pass's own first run, the two overlap on two cores instead of following each other. Its values answer
 * the next plain fetch of the same outputs with equal feeds.
 */
final class PlainRunAlongside {

    private final Map<String, TensorData> feeds = new HashMap<>();
    private final List<String> outputs;
    private final CompletableFuture<Map<String, TensorData>> values;

    /**
     * Starts {@code run}, which fetches {@code outputs} from a run of {@code feeds} and touches nothing of its session
     * but TensorFlow's (which runs sessions from several threads).
     */
    PlainRunAlongside(Map<String, TensorData> feeds, List<String> outputs, Callable<Map<String, TensorData>> run) {
        feeds.forEach((name, data) -> this.feeds.put(TensorSpec.tensorName(name), data));
        this.outputs = List.copyOf(outputs);
        values = Background.call("Tensorscope plain run alongside a health pass", run);
    }

    /** Whether its values answer a plain fetch of {@code tensors} with {@code feeds}: the same tensors, equal feeds. */
    boolean answers(Map<String, TensorData> feeds, List<String> tensors) {
        if (!new HashSet<>(outputs).equals(new HashSet<>(tensors.stream().map(TensorSpec::tensorName).toList()))
                || feeds.size() != this.feeds.size()) {
            return false;
        }
        for (Map.Entry<String, TensorData> feed : feeds.entrySet()) {
            TensorData mine = this.feeds.get(TensorSpec.tensorName(feed.getKey()));
            TensorData theirs = feed.getValue();
            if (mine != theirs && (mine == null || mine.dtype() != theirs.dtype() || !mine.shape().equals(theirs.shape())
                    || !mine.bytes().equals(theirs.bytes()))) {
                return false;
            }
        }
        return true;
    }

    /** The fetched values once the run is over; empty when it failed (a fetch made again meets the problem itself). */
    Optional<Map<String, TensorData>> values() {
        try {
            return Optional.of(values.join());
        } catch (CompletionException e) {
            return Optional.empty();
        }
    }

    /** Waits until the run is over, however it ends: its session must not close under it. */
    void await() {
        values();
    }
}
