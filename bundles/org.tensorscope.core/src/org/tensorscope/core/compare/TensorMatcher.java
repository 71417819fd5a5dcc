package org.tensorscope.core.compare;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pairs the tensors of two graphs: through the user's name map, then by name; when too few names
 * agree, by position along the two graphs where their keys (op types, or shapes for weights) line
 * up, as the longest common subsequence of the two key sequences.
 */
final class TensorMatcher {

    /** One tensor that can be compared, in its graph's order. */
    record Candidate(String tensor, String key) {
    }

    record Match(Candidate a, Candidate b) {
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
        if (byName) {
            for (Candidate c : a) {
                if (!aToB.containsKey(c.tensor()) && byNameB.containsKey(c.tensor()) && !usedB.contains(c.tensor())) {
                    aToB.put(c.tensor(), c.tensor());
                    usedB.add(c.tensor());
                }
            }
        } else {
            align(a, b, aToB, usedB);
        }
        List<Match> pairs = new ArrayList<>();
        List<String> unmatchedA = new ArrayList<>();
        for (Candidate c : a) {
            String target = aToB.get(c.tensor());
            if (target == null) {
                unmatchedA.add(c.tensor());
            } else {
                pairs.add(new Match(c, byNameB.get(target)));
            }
        }
        List<String> unmatchedB = b.stream().map(Candidate::tensor).filter(t -> !usedB.contains(t)).toList();
        TensorMatching matching = !map.isEmpty() ? TensorMatching.MAP
                : byName ? TensorMatching.NAME : TensorMatching.POSITION;
        return new Matches(matching, pairs, unmatchedA, unmatchedB);
    }

    /**
     * Pairs the free candidates of both sides between the fixed pairs, as the longest common
     * subsequence of their keys (so an op added or fused away on one side shifts nothing after it).
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
                lcs[i][j] = freeA.get(i).key().equals(freeB.get(j).key()) ? lcs[i + 1][j + 1] + 1
                        : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < n && j < m) {
            if (freeA.get(i).key().equals(freeB.get(j).key())) {
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
            while (k < freeB.size() && !freeB.get(k).key().equals(c.key())) {
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
