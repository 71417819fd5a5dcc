package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorscope.core.report.CoverageText;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.load.FrozenGraphLoader;
import org.tensorscope.tensorflow.internal.run.TfSession;

/**
 * A multiway TF1 cond (`_SwitchN`, what lowering a `tf.switch_case` leaves), whose branches the trace cannot follow,
 * with a weight holding NaN in one branch: whichever branch the input takes, the trace ends in a report (it failed
 * when a non-finite Merge read the branch not taken), never says every tensor is finite, names each tensor of the
 * branches as unchecked and why, still finds the NaN weight, and does not say the Merge was computed from finite
 * inputs.
 */
class UnfollowableCondTest {

    @TempDir
    static Path folder;

    private static Path model() throws Exception {
        return PlantedModels.write(folder, "switch-n", tf -> {
            Graph graph = (Graph) tf.scope().env();
            Operand<TFloat32> x = tf.withName("x").placeholder(TFloat32.class,
                    Placeholder.shape(org.tensorflow.ndarray.Shape.of(2)));
            Operand<TInt32> index = tf.withName("index").placeholder(TInt32.class,
                    Placeholder.shape(org.tensorflow.ndarray.Shape.scalar()));
            GraphOperation branches = graph.opBuilder("_SwitchN", "switch", tf.scope()).addInput(x.asOutput())
                    .addInput(index.asOutput()).setAttr("num_outs", 2).build();
            Operand<TFloat32> healthy = graph.opBuilder("Mul", "healthy", tf.scope()).addInput(branches.output(0))
                    .addInput(tf.withName("w_healthy").constant(new float[] { 2f, 3f }).asOutput()).build().output(0);
            Operand<TFloat32> broken = graph.opBuilder("Mul", "broken", tf.scope()).addInput(branches.output(1))
                    .addInput(tf.withName("w_broken").constant(new float[] { 2f, Float.NaN }).asOutput()).build()
                    .output(0);
            graph.opBuilder("Merge", "out", tf.scope()).addInputList(new org.tensorflow.Output<?>[] {
                    healthy.asOutput(), broken.asOutput() }).build();
        });
    }

    @Test
    void aNanWeightInABranchTheTraceCannotFollowIsFoundAndNothingIsCalledFinite() throws Exception {
        try (LoadedModel loaded = new FrozenGraphLoader().load(model(), new NullProgressMonitor());
                TfSession session = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU)) {
            for (String branch : List.of("0", "1")) {
                for (HealthMode mode : List.of(HealthMode.CURT, HealthMode.FULL)) {
                    TraceOutcome outcome = Tracing.trace(loaded, session,
                            List.of("x=ramp", "index=const:" + branch), mode);
                    NanReport report = outcome.report();
                    String verdict = CoverageText.verdict(report);
                    String what = "branch " + branch + ", " + mode + ": " + verdict;
                    assertFalse(report.allClear(), what);
                    assertFalse(verdict.startsWith("Every tensor is finite"), what);
                    for (String tensor : List.of("healthy:0", "broken:0")) {
                        NanReport.Unchecked unchecked = report.unchecked().stream()
                                .filter(u -> u.tensor().equals(tensor)).findFirst().orElseThrow(() -> new AssertionError(
                                        what + ": " + tensor + " is not listed as unchecked: " + report.unchecked()));
                        assertTrue(unchecked.reason().contains("cannot follow"), what + ": " + unchecked.reason());
                    }
                    NanReport.WeightHealth weight = report.weights().stream()
                            .filter(w -> w.op().equals("w_broken")).findFirst()
                            .orElseThrow(() -> new AssertionError(what + ": no row for w_broken"));
                    assertEquals(1, weight.nonFinite(), what);
                    assertEquals("w_broken", report.origin().op(), what);
                    if (branch.equals("1")) {
                        // the NaN reaches the Merge through a branch the trace could not check
                        NanReport.Origin merge = report.origins().stream().filter(o -> o.op().equals("out"))
                                .findFirst().orElseThrow(() -> new AssertionError(what + ": " + report.origins()));
                        assertEquals(List.of("healthy:0", "broken:0"), merge.uncheckedInputs(), what);
                    }
                }
            }
        }
    }
}
