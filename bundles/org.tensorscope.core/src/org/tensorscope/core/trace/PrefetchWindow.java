package org.tensorscope.core.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Which op outputs to fetch ahead of the stepping cursor, so that the next steps show their
 * tensors without running the model: the rows from the cursor on (and a few before it, for
 * stepping back) that are not yet at hand, a piece at a time.
 */
public final class PrefetchWindow {

    /** Rows fetched ahead of the cursor at most. */
    public static final int AHEAD = 48;
    /** Rows fetched behind the cursor at most. */
    public static final int BEHIND = 8;

    /**
     * The bytes one fetch takes at most, beyond its first row. A fetch's values come in one piece (from the
     * inference worker, through memory they are copied into) and a view asking for a tensor meanwhile waits for
     * all of them: the 77 MB around the demo's origin in one fetch kept the views waiting 1.6 s.
     */
    public static final long FETCH_BYTES = 16L << 20;

    /**
     * The bytes a fetch a view waits for takes ahead at most, beyond its first row: the first piece after the cursor
     * moved where nothing is being fetched, and what a view's own fetch takes along.
     */
    public static final long FIRST_FETCH_BYTES = 4L << 20;

    private PrefetchWindow() {
    }

    /**
     * The next piece of the window: the rows in the window's order (the cursor's and those after it, then those
     * before it, nearest first) that are not at hand, until one more would take the fetch over its bytes. The
     * window ends where its rows, at hand or not, would take more than {@code windowBytes}.
     *
     * @param at          the cursor's row, or -1 before the first step
     * @param present     whether a tensor is already at hand (or already fetched by the caller)
     * @param byteSize    the bytes of a row's output, or a negative number when not known (then skipped)
     * @param windowBytes the bytes of the window's rows at most; a row larger than that alone is left to the views
     * @param fetchBytes  the bytes of this fetch at most; its first row is taken whatever its size
     */
    public static List<String> next(List<TensorHealth> rows, int at, Predicate<String> present,
            ToLongFunction<TensorHealth> byteSize, long windowBytes, long fetchBytes) {
        List<String> tensors = new ArrayList<>();
        long window = 0;
        long bytes = 0;
        for (int i : order(rows.size(), at)) {
            TensorHealth row = rows.get(i);
            long size = byteSize.applyAsLong(row);
            if (size < 0 || size > windowBytes || tensors.contains(row.tensor())) {
                continue;
            }
            window += size;
            if (window > windowBytes) {
                break;
            }
            if (present.test(row.tensor())) {
                continue;
            }
            if (!tensors.isEmpty() && bytes + size > fetchBytes) {
                break;
            }
            tensors.add(row.tensor());
            bytes += size;
        }
        return tensors;
    }

    private static List<Integer> order(int rows, int at) {
        int from = Math.max(0, at);
        List<Integer> order = new ArrayList<>();
        for (int i = from; i < Math.min(rows, from + AHEAD); i++) {
            order.add(i);
        }
        for (int i = from - 1; i >= Math.max(0, from - BEHIND); i--) {
            order.add(i);
        }
        return order;
    }

    /** Whether the next rows are at hand, so no fetch ahead is due yet. */
    public static boolean aheadIsPresent(List<TensorHealth> rows, int at, Predicate<String> present, int rowsAhead) {
        for (int i = Math.max(0, at); i < Math.min(rows.size(), Math.max(0, at) + rowsAhead); i++) {
            if (!present.test(rows.get(i).tensor())) {
                return false;
            }
        }
        return true;
    }
}
