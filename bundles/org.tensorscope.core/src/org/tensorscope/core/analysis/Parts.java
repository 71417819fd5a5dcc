package org.tensorscope.core.analysis;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

import org.tensorscope.core.tensor.TensorData;

/**
 * A large float32, bfloat16 or float16 tensor split into parts of whole chunks that threads of
 * the common fork/join pool count at once, each into its own totals, merged afterwards. Smaller
 * tensors, and other types, are one part counted on the calling thread.
 */
record Parts(TensorData tensor, long[] bounds) {

    static final int DEFAULT_THREADS = Runtime.getRuntime().availableProcessors();
    /** Tensors of at least this many values are split; each part has at least half as many. */
    static final long SPLIT = 1 << 22;

    static Parts of(TensorData tensor, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("Statistics need at least 1 thread, not " + threads);
        }
        long size = tensor.size();
        int parts = threads == 1 || size < SPLIT || !ValueChunks.isFloatFamily(tensor.dtype()) ? 1
                : (int) Math.min(threads, size / (SPLIT / 2));
        long[] bounds = new long[parts + 1];
        long chunks = (size + ValueChunks.SIZE - 1) / ValueChunks.SIZE;
        for (int p = 1; p < parts; p++) {
            bounds[p] = chunks * p / parts * ValueChunks.SIZE;
        }
        bounds[parts] = size;
        return new Parts(tensor, bounds);
    }

    int count() {
        return bounds.length - 1;
    }

    ValueChunks chunks(int part) {
        return new ValueChunks(tensor, bounds[part], bounds[part + 1]);
    }

    /** How many chunks a part reads. */
    int chunkCount(int part) {
        return (int) ((bounds[part + 1] - bounds[part] + ValueChunks.SIZE - 1) / ValueChunks.SIZE);
    }

    /** Where a part's chunk starts, as an index into the tensor. */
    long chunkStart(int part, int chunk) {
        return bounds[part] + (long) chunk * ValueChunks.SIZE;
    }

    /** Runs each part, on the calling thread alone when there is one. */
    void run(IntConsumer part) {
        if (count() == 1) {
            part.accept(0);
        } else {
            IntStream.range(0, count()).parallel().forEach(part);
        }
    }
}
