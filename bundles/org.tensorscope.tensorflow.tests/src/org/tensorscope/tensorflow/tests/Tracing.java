package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.tensorscope.core.run.NanTracer;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.service.NanCauseRule;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;

/** Traces a loaded model as the command line does, with the cause rules registered as services. */
public final class Tracing {

    private Tracing() {
    }

    public static TraceOutcome trace(LoadedModel model, InferenceSession session, List<String> inputs, HealthMode mode)
            throws Exception {
        return trace(model, session, inputs, Map.of(), mode);
    }

    public static TraceOutcome trace(LoadedModel model, InferenceSession session, List<String> inputs,
            Map<String, TensorData> overrides, HealthMode mode) throws Exception {
        var signature = model.graph().defaultSignature().orElseThrow();
        PreparedInputs prepared = PreparedInputs.prepare(signature, inputs);
        return new NanTracer(rules()).trace(model.graph(), signature, session, prepared, overrides, mode, "cpu",
                new NullProgressMonitor());
    }

    static List<NanCauseRule> rules() throws InterruptedException {
        ServiceTracker<NanCauseRule, NanCauseRule> tracker = new ServiceTracker<>(
                FrameworkUtil.getBundle(NanCauseRule.class).getBundleContext(), NanCauseRule.class, null);
        tracker.open();
        try {
            tracker.waitForService(20_000);
            List<NanCauseRule> all = new ArrayList<>(org.tensorscope.core.service.Contributions.ranked(tracker));
            assertTrue(all.size() >= 10, "cause rules registered as services: " + all.size());
            return all;
        } finally {
            tracker.close();
        }
    }
}
