package org.tensorscope.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.tensorscope.core.trace.PrefetchWindow;
import org.tensorscope.core.trace.TensorHealth;

/**
 * The fetches ahead of the stepping cursor: a piece at a time within the bytes of one fetch, the cursor's row and
 * those after it first, then those just before it; pieces taken one after another cover the whole window.
 */
class PrefetchWindowTest {

    private static final long MB = 1L << 20;

    private static List<TensorHealth> rows(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> new TensorHealth("op" + i + ":0", "Op", "", 10, 0, 0, 0, 0, 1, 0, 0, 0, 0)).toList();
    }

    private static String t(int row) {
        return "op" + row + ":0";
    }

    @Test
    void aPieceStopsAtItsBytesFromTheCursorOn() {
        List<TensorHealth> rows = rows(100);
        // 3 MB a row: five rows fit 16 MB
        List<String> piece = PrefetchWindow.next(rows, 10, t -> false, row -> 3 * MB, 128 * MB, 16 * MB);
        assertEquals(List.of(t(10), t(11), t(12), t(13), t(14)), piece);
    }

    @Test
    void rowsAtHandAreSkippedAndThoseBeforeTheCursorComeLast() {
        List<TensorHealth> rows = rows(60);
        Set<String> present = new HashSet<>();
        for (int i = 50; i < 60; i++) {
            present.add(t(i));
        }
        List<String> piece = PrefetchWindow.next(rows, 50, present::contains, row -> MB, 128 * MB, 16 * MB);
        assertEquals(List.of(t(49), t(48), t(47), t(46), t(45), t(44), t(43), t(42)), piece,
                "the rows after the cursor are at hand: the eight before it, nearest first");
    }

    @Test
    void aRowLargerThanAPieceIsFetchedAloneAndOneLargerThanTheWindowIsLeftToTheViews() {
        List<TensorHealth> rows = rows(10);
        Map<String, Long> sizes = Map.of(t(0), 40 * MB, t(1), 200 * MB, t(2), MB);
        List<String> first = PrefetchWindow.next(rows, 0, t -> false, row -> sizes.getOrDefault(row.tensor(), MB),
                128 * MB, 16 * MB);
        assertEquals(List.of(t(0)), first, "a 40 MB row alone, as the first of its piece");
        List<String> second = PrefetchWindow.next(rows, 0, first::contains, row -> sizes.getOrDefault(row.tensor(), MB),
                128 * MB, 16 * MB);
        assertEquals(t(2), second.get(0), "the 200 MB row is more than the window takes");
        assertEquals(8, second.size(), second.toString());
    }

    @Test
    void piecesOneAfterAnotherCoverTheWindowAndStop() {
        List<TensorHealth> rows = rows(200);
        Set<String> present = new HashSet<>();
        List<List<String>> pieces = new ArrayList<>();
        for (List<String> piece = PrefetchWindow.next(rows, 100, present::contains, row -> MB, 128 * MB, 16 * MB);
                !piece.isEmpty(); piece = PrefetchWindow.next(rows, 100, present::contains, row -> MB, 128 * MB, 16 * MB)) {
            pieces.add(piece);
            present.addAll(piece);
            assertTrue(piece.size() <= 16, piece.toString());
        }
        assertEquals(PrefetchWindow.AHEAD + PrefetchWindow.BEHIND, present.size());
        assertTrue(present.contains(t(100)) && present.contains(t(100 + PrefetchWindow.AHEAD - 1))
                && present.contains(t(100 - PrefetchWindow.BEHIND)), present.toString());
        assertEquals(16, pieces.get(0).size());
        assertEquals(t(100), pieces.get(0).get(0));
        assertTrue(PrefetchWindow.aheadIsPresent(rows, 100, present::contains, PrefetchWindow.AHEAD));
    }

    @Test
    void theWindowsRowsAtHandOrNotTakeItsBytesAtMost() {
        List<TensorHealth> rows = rows(200);
        Set<String> present = new HashSet<>();
        for (List<String> piece = PrefetchWindow.next(rows, 100, present::contains, row -> 5 * MB, 128 * MB, 16 * MB);
                !piece.isEmpty(); piece = PrefetchWindow.next(rows, 100, present::contains, row -> 5 * MB, 128 * MB, 16 * MB)) {
            present.addAll(piece);
        }
        // 25 rows of 5 MB fill 128 MB: the window stops there, so pieces fetched one after another end
        assertEquals(25, present.size(), present.toString());
        assertTrue(present.contains(t(124)) && !present.contains(t(125)), present.toString());
        assertEquals(List.of(), PrefetchWindow.next(rows, 100, present::contains, row -> 5 * MB, 128 * MB, 16 * MB));
        // a step on: the window moves with the cursor, and only the row now in it is due
        assertEquals(List.of(t(125)), PrefetchWindow.next(rows, 101, present::contains, row -> 5 * MB, 128 * MB, 16 * MB));
    }

    @Test
    void rowsOfUnknownSizeAreNotFetchedAhead() {
        List<TensorHealth> rows = rows(5);
        List<String> piece = PrefetchWindow.next(rows, 0, t -> false, row -> row.tensor().equals(t(1)) ? -1 : MB,
                128 * MB, 16 * MB);
        assertEquals(List.of(t(0), t(2), t(3), t(4)), piece);
    }
}
