package org.tensorscope.onnx.tests;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.tensorscope.onnx.tests.TinyOnnxModels.Attribute;

/**
 * ONNX models with subgraphs and a known answer, written at the wire level: an If whose branches
 * go wrong on different inputs, and Loops whose body overflows at a known iteration.
 */
final class ControlFlowModels {

    private ControlFlowModels() {
    }

    /**
     * y = max(x) > 0 ? (x * x) * k : sqrt(x), with k = 2 an initializer of the then branch: large x
     * overflows in the then branch's square, negative x makes NaN in the else branch's sqrt.
     */
    static Path squareOrRoot(Path folder) throws IOException {
        TinyOnnxModels then = new TinyOnnxModels().scalarInitializer("k", 2f)
                .node("square", "Mul", List.of("x", "x"), "sq")
                .node("double", "Mul", List.of("sq", "k"), "y_then")
                .output("y_then", 3);
        TinyOnnxModels otherwise = new TinyOnnxModels().node("root", "Sqrt", List.of("x"), "y_else")
                .output("y_else", 3);
        return new TinyOnnxModels().input("x", 3).scalarInitializer("zero", 0f)
                .node("max", "ReduceMax", List.of("x"), List.of("m"), Attribute.integer("keepdims", 0))
                .node("positive", "Greater", List.of("m", "zero"), "cond")
                .node("choose", "If", List.of("cond"), List.of("y"), Attribute.graph("then_branch", then),
                        Attribute.graph("else_branch", otherwise))
                .output("y", 3).write(folder, "square_or_root");
    }

    /**
     * Multiplies x by a factor read from the main graph, {@code trips} times, in a Loop body: v
     * grows by 1e10 per iteration and, from x = 1, overflows float32 at iteration 3 (1e40).
     */
    static Path growingLoop(Path folder, long trips) throws IOException {
        TinyOnnxModels body = new TinyOnnxModels().typedInput("i", TinyOnnxModels.INT64).typedInput("cond_in", TinyOnnxModels.BOOL)
                .input("v", 2)
                .node("grow", "Mul", List.of("v", "factor"), "v_next")
                .node("keep_going", "Identity", List.of("cond_in"), "cond_out")
                .typedOutput("cond_out", TinyOnnxModels.BOOL).output("v_next", 2);
        return new TinyOnnxModels().input("x", 2).scalarInitializer("factor", 1e10f).int64Initializer("trips", trips)
                .node("loop", "Loop", List.of("trips", "", "x"), List.of("v_final"), Attribute.graph("body", body))
                .node("out", "Identity", List.of("v_final"), "y")
                .output("y", 2).write(folder, "growing_loop_" + trips);
    }

    /**
     * A Loop whose body's value grows in size with each iteration (a Concat onto the carried
     * value), which a Loop cannot stack into one tensor, and that overflows inside the body:
     * acc = concat(acc, acc[-1:] * 1e10).
     */
    static Path concatenatingLoop(Path folder, long trips) throws IOException {
        TinyOnnxModels body = new TinyOnnxModels().typedInput("i", TinyOnnxModels.INT64).typedInput("cond_in", TinyOnnxModels.BOOL)
                .inputOfUnknownShape("acc", TinyOnnxModels.FLOAT)
                .node("last", "Slice", List.of("acc", "minus_one", "end"), "tail")
                .node("grow", "Mul", List.of("tail", "factor"), "grown")
                .node("append", "Concat", List.of("acc", "grown"), List.of("acc_next"), Attribute.integer("axis", 0))
                .node("keep_going", "Identity", List.of("cond_in"), "cond_out")
                .typedOutput("cond_out", TinyOnnxModels.BOOL).outputOfUnknownShape("acc_next", TinyOnnxModels.FLOAT);
        return new TinyOnnxModels().input("x", 1).scalarInitializer("factor", 1e10f).int64Initializer("trips", trips)
                .int64Vector("minus_one", -1).int64Vector("end", Long.MAX_VALUE)
                .node("loop", "Loop", List.of("trips", "", "x"), List.of("acc_final"), Attribute.graph("body", body))
                .outputOfUnknownShape("acc_final", TinyOnnxModels.FLOAT).write(folder, "concatenating_loop_" + trips);
    }

    /**
     * A Scan over four steps of a factor 1e10 that multiplies the state x: from x = 1 the state
     * overflows at iteration 3; each step's state is also a scan output (axis given explicitly).
     */
    static Path growingScan(Path folder) throws IOException {
        TinyOnnxModels body = new TinyOnnxModels().input("s", 2).input("step", 2)
                .node("grow", "Mul", List.of("s", "step"), "s_next")
                .node("copy", "Identity", List.of("s_next"), "each")
                .output("s_next", 2).output("each", 2);
        float[] steps = new float[8];
        java.util.Arrays.fill(steps, 1e10f);
        return new TinyOnnxModels().input("x", 2).initializer("steps", new long[] { 4, 2 }, steps)
                .node("scan", "Scan", List.of("x", "steps"), List.of("s_final", "all"),
                        Attribute.graph("body", body), Attribute.integer("num_scan_inputs", 1),
                        Attribute.ints("scan_output_axes", 0))
                .output("s_final", 2).typedOutput("all", TinyOnnxModels.FLOAT, 4, 2).write(folder, "growing_scan");
    }

    /**
     * A Loop whose body chooses, by the parity of the iteration, between two branches of an If:
     * values inside those branches change branch from one iteration to the next and cannot be
     * returned; the If's output, a value of the body, can.
     */
    static Path loopWithAnIf(Path folder) throws IOException {
        TinyOnnxModels even = new TinyOnnxModels().node("twice", "Add", List.of("v", "v"), "v_even").output("v_even", 2);
        TinyOnnxModels odd = new TinyOnnxModels().node("thrice", "Mul", List.of("v", "three"), "v_odd")
                .output("v_odd", 2);
        TinyOnnxModels body = new TinyOnnxModels().typedInput("i", TinyOnnxModels.INT64)
                .typedInput("cond_in", TinyOnnxModels.BOOL).input("v", 2)
                .node("parity", "Mod", List.of("i", "two"), "rest")
                .node("is_even", "Equal", List.of("rest", "zero"), "even")
                .node("pick", "If", List.of("even"), List.of("v_next"), Attribute.graph("then_branch", even),
                        Attribute.graph("else_branch", odd))
                .node("keep_going", "Identity", List.of("cond_in"), "cond_out")
                .typedOutput("cond_out", TinyOnnxModels.BOOL).output("v_next", 2);
        return new TinyOnnxModels().input("x", 2).scalarInitializer("three", 3f).int64Initializer("trips", 4)
                .int64Initializer("two", 2).int64Initializer("zero", 0)
                .node("loop", "Loop", List.of("trips", "", "x"), List.of("v_final"), Attribute.graph("body", body))
                .output("v_final", 2).write(folder, "loop_with_an_if");
    }
}
