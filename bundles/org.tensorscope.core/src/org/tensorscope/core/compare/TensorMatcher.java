package org.tensorscope.core.compare;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tensorscope.core.model.Shape;

/**
 * Pairs the tensors of two graphs: through the user's name map, then by name; when too few names
 * agree, by position along the two graphs where their keys (op types and shapes, or element types
 * and shapes for weights) line up, as the longest common subsequence of the two sequences.
 */
final class TensorMatcher {

    /**
     * One tensor that can be compared, in its graph's order.
     *
     * @param key    what must be equal for two candidates to line up by position (the op's type and output index)
     * @param shape   its shape, which must be compatible too (unknown dimensions fit any), or, across layouts, be
     *                it in the other channel layout (NHWC against NCHW)
     * @param inputs  the tensors its op reads, in order; those that are candidates too are followed when pairing
     *                along the graph's edges
     * @param layouts whether the comparison may be across channel layouts (a model and its conversion)
     */
    record Candidate(String tensor, String key, Shape shape, List<String> inputs, boolean layouts) {

        Candidate {
            inputs = List.copyOf(inputs);
        }

        Candidate(String tensor, String key) {
            this(tensor, key, Shape.unknownRank(), List.of(), false);
        }

        boolean linesUpWith(Candidate other) {
            return key.equals(other.key) && (Shapes.compatible(shape, other.shape)
                    || layouts && other.layouts && ChannelLayout.relayable(shape, other.shape));
        }
    }

    /** How a pair was made. */
    enum Via {
        /** Given in advance: signature inputs and outputs, or the user's name map. */
        GIVEN,
        /** The same name on both sides. */
        NAME,
        /** Lined up by position: a guess, which a shape mismatch at run time shows wrong. */
        POSITION
    }

    record Match(Candidate a, Candidate b, Via via) {
    }

    record Matches(TensorMatching matching, List<Match> pairs, List<String> unmatchedA, List<String> unmatchedB) {
    }

    /** Above this many cells the alignment goes greedily instead (memory of the LCS table). */
    private static final long MAX_TABLE_CELLS = 16_000_000L;

    private TensorMatcher() {
    }

    /**
     * @param fixed pairs known in advance (signature inputs and outputs by key), A's tensor to B's
     */
    static Matches match(List<Candidate> a, List<Candidate> b, NameMap map, Map<String, String> fixed) {
        Map<String, Candidate> byNameB = new LinkedHashMap<>();
        b.forEach(c -> byNameB.put(c.tensor(), c));
        int sameNames = (int) a.stream().filter(c -> byNameB.containsKey(c.tensor())).count();
        boolean byName = !map.isEmpty() || (sameNames > 0 && 2L * sameNames >= Math.min(a.size(), b.size()));
        Map<String, String> aToB = new HashMap<>();
        Set<String> usedB = new HashSet<>();
        for (Candidate c : a) {
            String target = map.tensorOfB(c.tensor()).orElse(fixed.get(c.tensor()));
            if (target != null && byNameB.containsKey(target) && usedB.add(target)) {
                aToB.put(c.tensor(), target);
            }
        }
        Set<String> given = Set.copyOf(aToB.keySet());
        if (byName) {
            for (Candidate c : a) {
                if (!aToB.containsKey(c.tensor()) && byNameB.containsKey(c.tensor()) && !usedB.contains(c.tensor())) {
                    aToB.put(c.tensor(), c.tensor());
                    usedB.add(c.tensor());
                }
            }
        } else {
            pairByNameEnding(a, b, aToB, usedB);
            followEdges(a, b, aToB, usedB);
            align(a, b, aToB, usedB);
        }
        List<Match> pairs = new ArrayList<>();
        List<String> unmatchedA = new ArrayList<>();
        for (Candidate c : a) {
            String target = aToB.get(c.tensor());
            if (target == null) {
                unmatchedA.add(c.tensor());
            } else {
                pairs.add(new Match(c, byNameB.get(target), given.contains(c.tensor()) ? Via.GIVEN
                        : byName ? Via.NAME : Via.POSITION));
            }
        }
        List<String> unmatchedB = b.stream().map(Candidate::tensor).filter(t -> !usedB.contains(t)).toList();
        TensorMatching matching = !map.isEmpty() ? TensorMatching.MAP
                : byName ? TensorMatching.NAME : TensorMatching.POSITION;
        return new Matches(matching, pairs, unmatchedA, unmatchedB);
    }

    /**
     * Pairs, in A's execution order, each free candidate of A whose candidate inputs are all paired with the free
     * candidate of B that lines up with it and reads their counterparts (in any order, as an Add may read its two
     * operands the other way round); among several, the first in B's order. This follows the graph itself, so two
     * branches the two files order differently still pair up, which a sequence alignment cannot do.
     */
    private static void followEdges(List<Candidate> a, List<Candidate> b, Map<String, String> aToB, Set<String> usedB) {
        Set<String> tensorsA = new HashSet<>();
        a.forEach(c -> tensorsA.add(c.tensor()));
        Set<String> tensorsB = new HashSet<>();
        b.forEach(c -> tensorsB.add(c.tensor()));
        Map<List<String>, List<Candidate>> readersB = new HashMap<>();
        for (Candidate c : b) {
            List<String> read = sorted(c.inputs().stream().filter(tensorsB::contains).toList());
            if (!read.isEmpty()) {
                readersB.computeIfAbsent(read, k -> new ArrayList<>()).add(c);
            }
        }
        for (Candidate c : a) {
            if (aToB.containsKey(c.tensor())) {
                continue;
            }
            List<String> read = c.inputs().stream().filter(tensorsA::contains).toList();
            if (read.isEmpty() || !read.stream().allMatch(aToB::containsKey)) {
                continue;
            }
            List<Candidate> readers = readersB.getOrDefault(sorted(read.stream().map(aToB::get).toList()), List.of());
            readers.stream().filter(r -> !usedB.contains(r.tensor()) && r.linesUpWith(c)).findFirst().ifPresent(r -> {
                aToB.put(c.tensor(), r.tensor());
                usedB.add(r.tensor());
            });
        }
    }

    /**
     * Pairs the free candidates whose names differ only by what a converter puts before them ({@code Mul_11} and
     * {@code onnx_tf_prefix_Mul_11}, {@code conv/Relu} and {@code model/conv/Relu}), when they line up and each has
     * exactly one such counterpart. A converter that rewrites an op (a division by a square root into a product with
     * its reciprocal) keeps the names of the ops it does not touch, where the op types alone would pair the product
     * with the next product of either side.
     */
    private static void pairByNameEnding(List<Candidate> a, List<Candidate> b, Map<String, String> aToB,
            Set<String> usedB) {
        Map<String, List<Candidate>> endings = new HashMap<>();
        Map<String, Candidate> freeB = new HashMap<>();
        for (Candidate c : b) {
            if (!usedB.contains(c.tensor())) {
                freeB.put(c.tensor(), c);
                for (String ending : endings(c.tensor())) {
                    endings.computeIfAbsent(ending, k -> new ArrayList<>()).add(c);
                }
            }
        }
        Map<String, List<Candidate>> claims = new HashMap<>();
        for (Candidate c : a) {
            if (aToB.containsKey(c.tensor())) {
                continue;
            }
            Candidate same = freeB.get(c.tensor());
            if (same != null && c.linesUpWith(same)) {
                claims.computeIfAbsent(same.tensor(), k -> new ArrayList<>()).add(c);
                continue;
            }
            List<Candidate> found = new ArrayList<>(endings.getOrDefault(c.tensor(), List.of()).stream()
                    .filter(c::linesUpWith).toList());
            for (String ending : endings(c.tensor())) {
                Candidate d = freeB.get(ending);
                if (d != null && c.linesUpWith(d)) {
                    found.add(d);
                }
            }
            if (found.size() == 1) {
                claims.computeIfAbsent(found.get(0).tensor(), k -> new ArrayList<>()).add(c);
            }
        }
        claims.forEach((tensorB, claimants) -> {
            if (claimants.size() == 1) {
                aToB.put(claimants.get(0).tensor(), tensorB);
                usedB.add(tensorB);
            }
        });
    }

    /** The tensor's name without each run of leading name parts: "x/conv/Relu:0" gives "conv/Relu:0", "Relu:0". */
    private static List<String> endings(String tensor) {
        List<String> endings = new ArrayList<>();
        for (int i = 0; i < tensor.length() - 1; i++) {
            char ch = tensor.charAt(i);
            if ((ch == '/' || ch == '_' || ch == '.') && i > 0 && Character.isLetter(tensor.charAt(i + 1))) {
                endings.add(tensor.substring(i + 1));
            }
        }
        return endings;
    }

    private static List<String> sorted(List<String> tensors) {
        return tensors.stream().sorted().toList();
    }

    /**
     * Pairs the free candidates of both sides, as the longest common subsequence of candidates that
     * line up (the same key, compatible shapes), so that an op added or fused away on one side shifts
     * nothing after it and ops of one type but another shape (another branch) are never paired.
     */
    private static void align(List<Candidate> a, List<Candidate> b, Map<String, String> aToB, Set<String> usedB) {
        List<Candidate> freeA = a.stream().filter(c -> !aToB.containsKey(c.tensor())).toList();
        List<Candidate> freeB = b.stream().filter(c -> !usedB.contains(c.tensor())).toList();
        int n = freeA.size();
        int m = freeB.size();
        if (n == 0 || m == 0) {
            return;
        }
        if ((long) (n + 1) * (m + 1) > MAX_TABLE_CELLS) {
            greedy(freeA, freeB, aToB, usedB);
            return;
        }
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = freeA.get(i).linesUpWith(freeB.get(j)) ? lcs[i + 1][j + 1] + 1
                        : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < n && j < m) {
            if (freeA.get(i).linesUpWith(freeB.get(j))) {
                aToB.put(freeA.get(i).tensor(), freeB.get(j).tensor());
                usedB.add(freeB.get(j).tensor());
                i++;
                j++;
            } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
                i++;
            } else {
                j++;
            }
        }
    }

    /** For graphs too large for the table: each of A's candidates takes the next B candidate with its key. */
    private static void greedy(List<Candidate> freeA, List<Candidate> freeB, Map<String, String> aToB, Set<String> usedB) {
        int j = 0;
        for (Candidate c : freeA) {
            int k = j;
            while (k < freeB.size() && !freeB.get(k).linesUpWith(c)) {
                k++;
            }
            if (k < freeB.size()) {
                aToB.put(c.tensor(), freeB.get(k).tensor());
                usedB.add(freeB.get(k).tensor());
                j = k + 1;
            }
        }
    }
}
