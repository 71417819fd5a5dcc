package org.tensorscope.tensorflow.internal.keras;

import java.util.ArrayList;
import java.util.List;

import org.tensorflow.Output;

/**
 * SimpleRNN, GRU and LSTM unrolled over the sequence's static length: each time step's ops are named
 * {@code <layer>/step_<t>/...}, so a NaN is traced to the step where it appeared.
 */
final class RecurrentOps {

    private final LayerOps layer;
    private final NamedGraph g;
    private final LayerConfig c;
    private final String base;

    RecurrentOps(LayerOps layer) {
        this.layer = layer;
        this.g = layer.graph();
        this.c = layer.config();
        this.base = layer.base();
    }

    List<Output<?>> build(List<Output<?>> in) {
        String kind = layer.className().replace("CuDNN", "");
        Output<?> x = in.get(0);
        long[] xd = NamedGraph.dims(x);
        if (xd == null || xd.length != 3 || xd[1] < 0 || xd[2] < 0) {
            throw new IllegalStateException("a " + kind + " needs an input of static sequence length [batch, steps, features]"
                    + (xd == null ? "" : ", not " + java.util.Arrays.toString(xd).replace("-1", "?")));
        }
        long units = c.integer("units", 0);
        boolean useBias = c.bool("use_bias", true);
        Output<?>[] w = useBias ? layer.take("kernel", "recurrent_kernel", "bias") : layer.take("kernel", "recurrent_kernel");
        String activation = c.activation("activation", "tanh");
        String recurrentActivation = c.activation("recurrent_activation",
                layer.dialect() == KerasGraphBuilder.Dialect.TFJS ? "hard_sigmoid" : "sigmoid");
        boolean resetAfter = kind.equals("GRU") && c.bool("reset_after", layer.dialect() != KerasGraphBuilder.Dialect.TFJS);
        if (layer.className().startsWith("CuDNN")) {
            resetAfter = true;
            recurrentActivation = "sigmoid";
        }
        Output<?> batch = layer.batch(x, base);
        Output<?> zeros = g.op("Fill", base + "/zeros").in(g.op("Pack", base + "/zeros/shape").inList(batch,
                g.intScalar(base + "/zeros/units", units)).attr("axis", 0L).out()).in(g.scalar(base + "/zeros/value", 0f)).out();
        Output<?> h = in.size() > 1 ? in.get(1) : zeros;
        Output<?> cell = kind.equals("LSTM") ? (in.size() > 2 ? in.get(2) : zeros) : null;
        Output<?> inputBias = null;
        Output<?> recurrentBias = null;
        if (useBias) {
            if (resetAfter) {
                inputBias = row(w[2], 0, base + "/input_bias");
                recurrentBias = row(w[2], 1, base + "/recurrent_bias");
            } else {
                inputBias = w[2];
            }
        }
        boolean backwards = c.bool("go_backwards", false);
        List<Output<?>> sequence = new ArrayList<>();
        long steps = xd[1];
        for (long i = 0; i < steps; i++) {
            long t = backwards ? steps - 1 - i : i;
            String s = base + "/step_" + i;
            Output<?> xt = g.op("StridedSlice", s + "/x").in(x).in(g.ints(s + "/x/begin", 0, t, 0))
                    .in(g.ints(s + "/x/end", 0, t + 1, 0)).in(g.ints(s + "/x/strides", 1, 1, 1))
                    .attr("begin_mask", 5L).attr("end_mask", 5L).attr("shrink_axis_mask", 2L).out();
            Output<?> mx = g.op("MatMul", s + "/MatMul").in(xt).in(w[0]).out();
            if (inputBias != null) {
                mx = g.op("BiasAdd", s + "/BiasAdd").in(mx).in(inputBias).out();
            }
            switch (kind) {
                case "SimpleRNN" -> {
                    Output<?> z = g.op("AddV2", s + "/add").in(mx).in(g.op("MatMul", s + "/MatMul_1").in(h).in(w[1]).out()).out();
                    h = layer.apply(activation, z, s);
                }
                case "LSTM" -> {
                    Output<?> z = g.op("AddV2", s + "/add").in(mx).in(g.op("MatMul", s + "/MatMul_1").in(h).in(w[1]).out()).out();
                    var split = g.op("Split", s + "/split").in(g.intScalar(s + "/split/dim", 1)).in(z).attr("num_split", 4L).build();
                    Output<?> i0 = layer.apply(recurrentActivation, split.output(0), s + "/i");
                    Output<?> f = layer.apply(recurrentActivation, split.output(1), s + "/f");
                    Output<?> cc = layer.apply(activation, split.output(2), s + "/c");
                    Output<?> o = layer.apply(recurrentActivation, split.output(3), s + "/o");
                    cell = g.op("AddV2", s + "/c_next").in(g.op("Mul", s + "/mul").in(f).in(cell).out())
                            .in(g.op("Mul", s + "/mul_1").in(i0).in(cc).out()).out();
                    h = g.op("Mul", s + "/h").in(o).in(layer.apply(activation, cell, s + "/h")).out();
                }
                case "GRU" -> h = gruStep(s, mx, h, w[1], recurrentBias, units, resetAfter, activation, recurrentActivation);
                default -> throw new IllegalStateException("unknown recurrent layer " + kind);
            }
            sequence.add(h);
        }
        List<Output<?>> outs = new ArrayList<>();
        if (c.bool("return_sequences", false)) {
            outs.add(g.op("Pack", base + "/sequence").inList(sequence.toArray(new Output<?>[0])).attr("axis", 1L).out());
        } else {
            outs.add(h);
        }
        if (c.bool("return_state", false)) {
            outs.add(h);
            if (cell != null) {
                outs.add(cell);
            }
        }
        return outs;
    }

    private Output<?> row(Output<?> matrix, long row, String name) {
        return g.op("StridedSlice", name).in(matrix).in(g.ints(name + "/begin", row, 0)).in(g.ints(name + "/end", row + 1, 0))
                .in(g.ints(name + "/strides", 1, 1)).attr("end_mask", 2L).attr("shrink_axis_mask", 1L).out();
    }

    private Output<?> gruStep(String s, Output<?> mx, Output<?> h, Output<?> recurrentKernel, Output<?> recurrentBias,
            long units, boolean resetAfter, String activation, String recurrentActivation) {
        var xs = g.op("Split", s + "/split").in(g.intScalar(s + "/split/dim", 1)).in(mx).attr("num_split", 3L).build();
        Output<?> z;
        Output<?> r;
        Output<?> hh;
        if (resetAfter) {
            Output<?> inner = g.op("MatMul", s + "/MatMul_1").in(h).in(recurrentKernel).out();
            if (recurrentBias != null) {
                inner = g.op("BiasAdd", s + "/BiasAdd_1").in(inner).in(recurrentBias).out();
            }
            var rs = g.op("Split", s + "/split_1").in(g.intScalar(s + "/split_1/dim", 1)).in(inner).attr("num_split", 3L).build();
            z = layer.apply(recurrentActivation, g.op("AddV2", s + "/z").in(xs.output(0)).in(rs.output(0)).out(), s + "/z");
            r = layer.apply(recurrentActivation, g.op("AddV2", s + "/r").in(xs.output(1)).in(rs.output(1)).out(), s + "/r");
            hh = layer.apply(activation, g.op("AddV2", s + "/hh").in(xs.output(2))
                    .in(g.op("Mul", s + "/r_h").in(r).in(rs.output(2)).out()).out(), s + "/hh");
        } else {
            Output<?> kzr = g.op("StridedSlice", s + "/kernel_zr").in(recurrentKernel).in(g.ints(s + "/kernel_zr/begin", 0, 0))
                    .in(g.ints(s + "/kernel_zr/end", 0, 2 * units)).in(g.ints(s + "/kernel_zr/strides", 1, 1))
                    .attr("begin_mask", 3L).attr("end_mask", 1L).out();
            Output<?> kh = g.op("StridedSlice", s + "/kernel_h").in(recurrentKernel).in(g.ints(s + "/kernel_h/begin", 0, 2 * units))
                    .in(g.ints(s + "/kernel_h/end", 0, 0)).in(g.ints(s + "/kernel_h/strides", 1, 1))
                    .attr("begin_mask", 1L).attr("end_mask", 3L).out();
            var rs = g.op("Split", s + "/split_1").in(g.intScalar(s + "/split_1/dim", 1))
                    .in(g.op("MatMul", s + "/MatMul_1").in(h).in(kzr).out()).attr("num_split", 2L).build();
            z = layer.apply(recurrentActivation, g.op("AddV2", s + "/z").in(xs.output(0)).in(rs.output(0)).out(), s + "/z");
            r = layer.apply(recurrentActivation, g.op("AddV2", s + "/r").in(xs.output(1)).in(rs.output(1)).out(), s + "/r");
            Output<?> rh = g.op("Mul", s + "/r_h").in(r).in(h).out();
            hh = layer.apply(activation, g.op("AddV2", s + "/hh").in(xs.output(2))
                    .in(g.op("MatMul", s + "/MatMul_2").in(rh).in(kh).out()).out(), s + "/hh");
        }
        // h' = z * h + (1 - z) * hh
        Output<?> keep = g.op("Mul", s + "/mul").in(z).in(h).out();
        Output<?> oneMinus = g.op("Sub", s + "/sub").in(g.scalar(s + "/one", 1f)).in(z).out();
        return g.op("AddV2", s + "/h").in(keep).in(g.op("Mul", s + "/mul_1").in(oneMinus).in(hh).out()).out();
    }
}
