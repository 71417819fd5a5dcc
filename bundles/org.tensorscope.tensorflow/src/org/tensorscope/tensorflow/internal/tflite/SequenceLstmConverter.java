package org.tensorscope.tensorflow.internal.tflite;

import static org.tensorscope.tensorflow.internal.tflite.OperatorConverter.attrs;
import static org.tensorscope.tensorflow.internal.tflite.OperatorConverter.bool;
import static org.tensorscope.tensorflow.internal.tflite.OperatorConverter.integer;

import java.util.ArrayList;
import java.util.List;

import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM unrolled over its time steps into plain ops, one group per step and gate
 * ({@code name/t3/forget/Sigmoid}, {@code name/t3/cell}, {@code name/t3/hidden}), so that a value growing
 * step after step is seen at the step and gate where it leaves the float range. Supports the input gate
 * or CIFG (input gate = 1 - forget gate), peepholes, cell clipping and a projection; layer-normalised
 * LSTMs are not converted.
 */
final class SequenceLstmConverter {

    // inputs of the operator, as in TFLite's schema
    private static final int INPUT = 0, INPUT_WEIGHTS = 1, RECURRENT_WEIGHTS = 5, PEEPHOLES = 9, BIASES = 12,
            PROJECTION = 16, PROJECTION_BIAS = 17, OUTPUT_STATE = 18, CELL_STATE = 19, LAYER_NORM = 20;
    private static final String[] GATES = { "input", "forget", "cell_input", "output" };
    private static final int ACT_NONE = 0, ACT_RELU = 1, ACT_RELU6 = 3, ACT_TANH = 4;

    private final TfliteGraphBuilder g;

    SequenceLstmConverter(TfliteGraphBuilder graph) {
        this.g = graph;
    }

    /** Converts the operator; false when it uses what is not supported (layer normalisation, an unknown length). */
    boolean convert(String name, int[] in, int y, TfliteOptions o) {
        for (int k = LAYER_NORM; k < in.length; k++) {
            if (in[k] >= 0) {
                return false;
            }
        }
        int activation = o.enumByte(0);
        float cellClip = o.real(1, 0f);
        float projectionClip = o.real(2, 0f);
        boolean timeMajor = o.flag(3, false);
        int[] xs = g.shape(in[INPUT]);
        if (xs.length != 3 || xs[timeMajor ? 0 : 1] <= 0 || !supported(activation)) {
            return false;
        }
        int steps = xs[timeMajor ? 0 : 1];
        int timeAxis = timeMajor ? 0 : 1;
        int batch = xs[timeMajor ? 1 : 0];
        int units = g.shape(in[RECURRENT_WEIGHTS + 1])[0];
        boolean projected = has(in, PROJECTION);
        int outputs = projected ? g.shape(in[PROJECTION])[0] : units;
        AttrValue f = type(DataType.DT_FLOAT);

        String unstacked = g.add(g.unique(name + "/unstack"), "Unpack", List.of(g.tensor(in[INPUT])),
                attrs("T", f, "num", integer(steps), "axis", integer(timeAxis)));
        String node = unstacked.substring(0, unstacked.lastIndexOf(':'));
        String h = state(name + "/initial_hidden", in, OUTPUT_STATE, batch, outputs);
        String c = state(name + "/initial_cell", in, CELL_STATE, batch, units);
        List<String> hidden = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            String step = name + "/t" + t;
            String x = node + ":" + t;
            String[] gate = new String[4];
            for (int k = 0; k < 4; k++) {
                if (k == 0 && !has(in, INPUT_WEIGHTS)) {
                    continue; // CIFG: the input gate is 1 - forget gate, below
                }
                String z = g.add(g.unique(step + "/" + GATES[k] + "/MatMul"), "MatMul", List.of(x,
                        g.tensor(in[INPUT_WEIGHTS + k])), attrs("T", f, "transpose_a", bool(false), "transpose_b",
                                bool(true)));
                String r = g.add(g.unique(step + "/" + GATES[k] + "/MatMul_1"), "MatMul", List.of(h,
                        g.tensor(in[RECURRENT_WEIGHTS + k])), attrs("T", f, "transpose_a", bool(false), "transpose_b",
                                bool(true)));
                z = g.add(g.unique(step + "/" + GATES[k] + "/add"), "AddV2", List.of(z, r), attrs("T", f));
                if (has(in, BIASES + k)) {
                    z = g.add(g.unique(step + "/" + GATES[k] + "/BiasAdd"), "BiasAdd", List.of(z,
                            g.tensor(in[BIASES + k])), attrs("T", f));
                }
                if (k != 2 && k != 3 && has(in, PEEPHOLES + (k == 0 ? 0 : 1))) {
                    z = peephole(step + "/" + GATES[k], z, c, in[PEEPHOLES + (k == 0 ? 0 : 1)]);
                }
                gate[k] = z;
            }
            String forget = g.add(g.unique(step + "/forget/Sigmoid"), "Sigmoid", List.of(gate[1]), attrs("T", f));
            String input = gate[0] != null
                    ? g.add(g.unique(step + "/input/Sigmoid"), "Sigmoid", List.of(gate[0]), attrs("T", f))
                    : g.add(g.unique(step + "/input/one_minus_forget"), "Sub", List.of(g.scalar(step + "/one", 1f),
                            forget), attrs("T", f));
            String candidate = activate(step + "/cell_input/activation", gate[2], activation);
            String kept = g.add(g.unique(step + "/cell/kept"), "Mul", List.of(forget, c), attrs("T", f));
            String added = g.add(g.unique(step + "/cell/added"), "Mul", List.of(input, candidate), attrs("T", f));
            c = g.add(g.unique(step + "/cell"), "AddV2", List.of(kept, added), attrs("T", f));
            if (cellClip > 0) {
                c = clip(step + "/cell/clip", c, cellClip);
            }
            String out = gate[3];
            if (has(in, PEEPHOLES + 2)) {
                out = peephole(step + "/output", out, c, in[PEEPHOLES + 2]);
            }
            String outputGate = g.add(g.unique(step + "/output/Sigmoid"), "Sigmoid", List.of(out), attrs("T", f));
            h = g.add(g.unique(step + "/hidden"), "Mul", List.of(outputGate, activate(step + "/hidden/activation", c,
                    activation)), attrs("T", f));
            if (projected) {
                h = g.add(g.unique(step + "/projection"), "MatMul", List.of(h, g.tensor(in[PROJECTION])), attrs("T", f,
                        "transpose_a", bool(false), "transpose_b", bool(true)));
                if (has(in, PROJECTION_BIAS)) {
                    h = g.add(g.unique(step + "/projection/BiasAdd"), "BiasAdd", List.of(h,
                            g.tensor(in[PROJECTION_BIAS])), attrs("T", f));
                }
                if (projectionClip > 0) {
                    h = clip(step + "/projection/clip", h, projectionClip);
                }
            }
            hidden.add(h);
        }
        g.produce(y, g.add(name, "Pack", hidden, attrs("T", f, "N", integer(steps), "axis", integer(timeAxis))));
        return true;
    }

    private static boolean supported(int activation) {
        return activation == ACT_NONE || activation == ACT_RELU || activation == ACT_RELU6 || activation == ACT_TANH;
    }

    private static boolean has(int[] in, int k) {
        return in.length > k && in[k] >= 0;
    }

    /** The state the file gives (a fed or constant tensor), else zeros, as TFLite starts a variable tensor. */
    private String state(String name, int[] in, int k, int batch, int size) {
        if (has(in, k) && g.isAvailable(in[k])) {
            return g.tensor(in[k]);
        }
        return g.add(g.unique(name), "Fill", List.of(g.ints(name + "/shape", Math.max(batch, 1), size),
                g.scalar(name + "/zero", 0f)), attrs("T", type(DataType.DT_FLOAT), "index_type",
                        type(DataType.DT_INT32)));
    }

    private String peephole(String name, String z, String c, int weights) {
        String scaled = g.add(g.unique(name + "/peephole"), "Mul", List.of(c, g.tensor(weights)),
                attrs("T", type(DataType.DT_FLOAT)));
        return g.add(g.unique(name + "/peephole/add"), "AddV2", List.of(z, scaled), attrs("T", type(DataType.DT_FLOAT)));
    }

    private String activate(String name, String value, int activation) {
        String op = switch (activation) {
            case ACT_RELU -> "Relu";
            case ACT_RELU6 -> "Relu6";
            case ACT_TANH -> "Tanh";
            default -> null;
        };
        return op == null ? value : g.add(g.unique(name), op, List.of(value), attrs("T", type(DataType.DT_FLOAT)));
    }

    private String clip(String name, String value, float limit) {
        return g.add(g.unique(name), "ClipByValue", List.of(value, g.scalar(name + "/low", -limit),
                g.scalar(name + "/high", limit)), attrs("T", type(DataType.DT_FLOAT)));
    }

    private static AttrValue type(DataType type) {
        return TfliteGraphBuilder.type(type);
    }
}
