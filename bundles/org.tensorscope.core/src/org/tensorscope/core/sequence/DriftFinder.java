package org.tensorscope.core.sequence;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds outputs and fed-back states whose norm grows beyond a factor of its starting value, and the op where such
 * growth shows first.
 */
final class DriftFinder {

    private DriftFinder() {
    }

    static List<DriftFinding> find(List<SequenceStep> steps, double factor) {
        return find(steps, factor, Set.of());
    }

    /** @param leftOut outputs and states not to watch (signature keys): values whose norm means nothing */
    static List<DriftFinding> find(List<SequenceStep> steps, double factor, Set<String> leftOut) {
        if (steps.size() < 2) {
            return List.of();
        }
        Map<String, int[]> opCrossings = opCrossings(steps, factor);
        List<DriftFinding> found = new ArrayList<>();
        SequenceStep first = steps.get(0);
        for (ValueSummary output : first.outputs()) {
            if (!leftOut.contains(output.name())) {
                drift(steps, output.name(), "output", factor, opCrossings, found);
            }
        }
        for (ValueSummary state : first.states()) {
            if (!leftOut.contains(state.name())) {
                drift(steps, state.name(), "state", factor, opCrossings, found);
            }
        }
        found.sort(Comparator.comparingInt(DriftFinding::step));
        return found;
    }

    private static void drift(List<SequenceStep> steps, String name, String kind, double factor,
            Map<String, int[]> opCrossings, List<DriftFinding> found) {
        double[] norms = new double[steps.size()];
        for (int t = 0; t < norms.length; t++) {
            SequenceStep step = steps.get(t);
            norms[t] = (kind.equals("output") ? step.output(name) : step.state(name)).map(ValueSummary::norm)
                    .orElse(Double.NaN);
        }
        int base = crossing(norms, factor);
        if (base < 0) {
            return;
        }
        int baseStep = firstNonZero(norms);
        int step = base;
        double growth = Math.pow(norms[step] / norms[baseStep], 1.0 / (step - baseStep));
        String op = null;
        String opType = null;
        int opStep = -1;
        for (Map.Entry<String, int[]> crossing : opCrossings.entrySet()) {
            int at = crossing.getValue()[0];
            if (at <= step && (opStep < 0 || at < opStep)) {
                op = crossing.getKey();
                opStep = at;
                opType = steps.get(at).op(op).map(OpStat::opType).orElse(null);
            }
        }
        if (op != null) {
            op = steps.get(opStep).op(op).map(OpStat::opName).orElse(op);
        }
        found.add(new DriftFinding(name, kind, step, baseStep, norms[baseStep], norms[step], factor, growth, op, opType,
                opStep));
    }

    /** The first step whose value exceeds factor times the first non-zero value, -1 when none does. */
    static int crossing(double[] values, double factor) {
        int base = firstNonZero(values);
        if (base < 0) {
            return -1;
        }
        for (int t = base + 1; t < values.length; t++) {
            if (values[t] > factor * values[base]) {
                return t;
            }
        }
        return -1;
    }

    private static int firstNonZero(double[] values) {
        for (int t = 0; t < values.length; t++) {
            if (Double.isFinite(values[t]) && values[t] > 0) {
                return t;
            }
        }
        return -1;
    }

    /**
     * For each op output not fed by the run (fed inputs grow because something upstream in time made them), the
     * step where its max|x| first passes the factor; in execution order.
     */
    private static Map<String, int[]> opCrossings(List<SequenceStep> steps, double factor) {
        Set<String> fed = new HashSet<>();
        steps.forEach(s -> fed.addAll(s.inputs().names()));
        LinkedHashMap<String, List<Double>> series = new LinkedHashMap<>();
        for (int t = 0; t < steps.size(); t++) {
            for (OpStat op : steps.get(t).ops()) {
                if (fed.contains(op.tensor())) {
                    continue;
                }
                List<Double> values = series.computeIfAbsent(op.tensor(), k -> new ArrayList<>());
                while (values.size() < t) {
                    values.add(Double.NaN);
                }
                values.add(op.maxAbs());
            }
        }
        Map<String, int[]> crossings = new LinkedHashMap<>();
        for (Map.Entry<String, List<Double>> entry : series.entrySet()) {
            double[] values = entry.getValue().stream().mapToDouble(Double::doubleValue).toArray();
            int at = crossing(values, factor);
            if (at >= 0) {
                crossings.put(entry.getKey(), new int[] { at });
            }
        }
        return crossings;
    }
}
