package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.tensorscope.core.analysis.NanOrigin;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.run.NanTracer;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.service.NanCauseRule;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.load.TfjsGraphModelLoader;

/**
 * The motivating story: the hand-pose model fed pixels that were never clipped (ramp * 1e38).
 * The trace's first non-finite op and first NaN op are checked against an oracle that fetches
 * every tensor in full and scans them in topological order.
 */
class UnclippedPixelsTest {

    private static final String INPUT = "ramp*1e38";

    @Test
    void traceFindsTheSameFirstInfAndFirstNanAsAFullFetch() throws Exception {
        try (LoadedModel model = new TfjsGraphModelLoader().load(TestModels.get("tfjs/handskeleton/handskeleton.json"),
                new NullProgressMonitor());
                InferenceSession session = new TensorFlowBackend().open(model, Device.CPU)) {
            ModelGraph graph = model.graph();
            var signature = graph.defaultSignature().orElseThrow();
            PreparedInputs inputs = PreparedInputs.prepare(signature, List.of(INPUT));

            String[] oracle = firstNonFiniteAndFirstNan(graph, session, inputs.feeds());
            assertNotNull(oracle[0], "ramp*1e38 must overflow somewhere");

            ServiceTracker<NanCauseRule, NanCauseRule> rules = new ServiceTracker<>(
                    FrameworkUtil.getBundle(NanCauseRule.class).getBundleContext(), NanCauseRule.class, null);
            rules.open();
            rules.waitForService(20_000);
            NanReport report = new NanTracer(org.tensorscope.core.service.Contributions.ranked(rules)).trace(graph, signature,
                    session, inputs, Map.of(), HealthMode.FULL, "cpu", new NullProgressMonitor()).report();
            rules.close();

            assertFalse(report.finite());
            assertEquals(oracle[0], report.origin().op(), "first op whose output is non-finite");
            assertEquals(oracle[1], report.origin().firstNanOp(), "first op whose output holds NaN");
            assertEquals(NanOrigin.Kind.COMPUTATION, report.origin().kind());
            assertNotNull(report.origin().cause(), "a rule explains the origin " + report.origin().op() + " ("
                    + report.origin().type() + ")");
            String fix = report.origin().cause().suggestion();
            assertTrue(fix.startsWith("The input input_1 ranges over [0, "), fix);
            assertTrue(fix.contains("outside what the first layers were trained on (usually 0..1, -1..1 or 0..255): "
                    + "clip or normalise it before feeding the model."), fix);
            assertTrue(fix.endsWith("This model is converted code (TF.js graph model): its graph cannot be edited here; "
                    + "make the change in the source model and convert it again, or clip or normalise the input you "
                    + "feed it."), fix);
        }
    }

    /** Fetches every float tensor and finds, in topological order, the first non-finite and the first NaN op. */
    private static String[] firstNonFiniteAndFirstNan(ModelGraph graph, InferenceSession session,
            Map<String, TensorData> feeds) throws Exception {
        List<String> all = graph.ops().stream().flatMap(op -> op.outputs().stream()).filter(t -> t.dtype().isFloating())
                .map(TensorSpec::name).toList();
        Map<String, TensorData> values = session.fetch(feeds, all, Map.of(), new NullProgressMonitor());
        String firstNonFinite = null;
        String firstNan = null;
        for (OpNode op : graph.ops()) {
            for (TensorSpec out : op.outputs()) {
                TensorData t = values.get(out.name());
                if (t == null) {
                    continue;
                }
                boolean nonFinite = false;
                boolean nan = false;
                for (long i = 0; i < t.size(); i++) {
                    double v = t.getDouble(i);
                    nonFinite |= !Double.isFinite(v);
                    nan |= Double.isNaN(v);
                }
                if (nonFinite && firstNonFinite == null) {
                    firstNonFinite = op.name();
                }
                if (nan && firstNan == null) {
                    firstNan = op.name();
                }
            }
        }
        return new String[] { firstNonFinite, firstNan };
    }
}
