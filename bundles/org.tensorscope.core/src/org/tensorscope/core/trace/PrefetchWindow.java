package org.tensorscope.core.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Which op outputs to fetch ahead of the stepping cursor, so that the next steps show their
 * tensors without running the model: the rows from the cursor on (and a few before it, for
 * stepping back) that are not yet at hand, as many as fit the byte budget, in one run.
 */
public final class PrefetchWindow {

    /** Rows fetched ahead of the cursor at most. */
    public static final int AHEAD = 48;
    /** Rows fetched behind the cursor at most. */
    public static final int BEHIND = 8;

    private PrefetchWindow() {
    }

    /**
     * @param at        the cursor's row, or -1 before the first step
     * @param present   whether a tensor is already at hand
     * @param byteSize  the bytes of a row's output, or a negative number when not known (then skipped)
     * @param budget    the most bytes to fetch
     */
    public static List<String> around(List<TensorHealth> rows, int at, Predicate<String> present,
            java.util.function.ToLongFunction<TensorHealth> byteSize, long budget) {
        List<String> tensors = new ArrayList<>();
        long bytes = 0;
        int from = Math.max(0, at);
        List<Integer> order = new ArrayList<>();
        for (int i = from; i < Math.min(rows.size(), from + AHEAD); i++) {
            order.add(i);
        }
        for (int i = from - 1; i >= Math.max(0, from - BEHIND); i--) {
            order.add(i);
        }
        for (int i : order) {
            TensorHealth row = rows.get(i);
            long size = byteSize.applyAsLong(row);
            if (size < 0 || present.test(row.tensor()) || tensors.contains(row.tensor())) {
                continue;
            }
            if (bytes + size > budget) {
                break;
            }
            tensors.add(row.tensor());
            bytes += size;
        }
        return tensors;
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
