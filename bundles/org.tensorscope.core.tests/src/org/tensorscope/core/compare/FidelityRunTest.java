package org.tensorscope.core.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.run.NanTracer;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.Trace;

/**
 * The fidelity check compares a trace's outputs with a plain run's; when the traced run was such a run (it probed
 * nothing), it must not run the model again, and otherwise it must, and report what the plain run gives.
 */
class FidelityRunTest {

    private static final ModelGraph GRAPH = new ModelGraph(Path.of("m.pb"), "test", List.of(), List.of(), List.of());

    private static Trace trace(boolean plain, float... out) {
        return new Trace(GRAPH, List.of(), List.of(), Map.of(), Map.of("out:0",
                TensorData.ofFloats("out:0", Shape.of(out.length), out)), Map.of(), plain);
    }

    @Test
    void aTraceWhoseRunWasPlainIsNotRunAgain() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        FetchOnlySession session = new FetchOnlySession(tensors -> {
            runs.incrementAndGet();
            return Map.of("out:0", TensorData.ofFloats("out:0", Shape.of(2), 1, Float.NaN));
        });
        NanReport.Fidelity plain = NanTracer.fidelity(session, Map.of(), List.of("out:0"), trace(true, 1, 2),
                new NullProgressMonitor());
        assertEquals(0, runs.get(), "the traced run is the plain run");
        assertTrue(plain.agree());

        NanReport.Fidelity probed = NanTracer.fidelity(session, Map.of(), List.of("out:0"), trace(false, 1, 2),
                new NullProgressMonitor());
        assertEquals(1, runs.get(), "a probed run is compared with a plain one");
        assertFalse(probed.agree(), "the plain run's NaN differs from the traced 2");
        assertEquals(1, probed.outputs().get(0).plainNonFinite());
    }

    /** A plain run that fails (a runtime that cannot optimise the model) leaves the trace whole and claims nothing. */
    @Test
    void aPlainRunThatFailsIsSaidAndNoAgreementClaimed() throws Exception {
        FetchOnlySession session = new FetchOnlySession(tensors -> {
            throw new org.tensorscope.core.service.BackendException("ONNX Runtime cannot open m.onnx with its graph "
                    + "optimisations: bad fusion");
        });
        NanReport.Fidelity fidelity = NanTracer.fidelity(session, Map.of(), List.of("out:0"), trace(false, 1, 2),
                new NullProgressMonitor());
        assertFalse(fidelity.agree());
        assertEquals("The plain (optimised) run failed, so the traced run could not be compared with it: ONNX Runtime"
                + " cannot open m.onnx with its graph optimisations: bad fusion", fidelity.explanation());
    }

    /** Rewrites that cannot be read leave the disagreement reported, saying what was not read. */
    @Test
    void rewritesThatCannotBeReadLeaveTheDisagreementReported() throws Exception {
        FetchOnlySession fetching = new FetchOnlySession(
                tensors -> Map.of("out:0", TensorData.ofFloats("out:0", Shape.of(2), 1, Float.NaN)));
        org.tensorscope.core.service.InferenceSession session = new org.tensorscope.core.service.InferenceSession() {
            @Override
            public String deviceNote() {
                return "";
            }

            @Override
            public Map<String, TensorData> fetch(Map<String, TensorData> feeds, List<String> tensors,
                    Map<String, TensorData> overrides, org.eclipse.core.runtime.IProgressMonitor monitor)
                    throws org.tensorscope.core.service.BackendException {
                return fetching.fetch(feeds, tensors, overrides, monitor);
            }

            @Override
            public List<org.tensorscope.core.service.RuntimeRewrite> runtimeRewrites(Map<String, TensorData> feeds,
                    List<String> outputs, org.eclipse.core.runtime.IProgressMonitor monitor)
                    throws org.tensorscope.core.service.BackendException {
                throw new org.tensorscope.core.service.BackendException("the disk is full");
            }

            @Override
            public Trace healthPass(Map<String, TensorData> feeds, List<String> outputs,
                    org.tensorscope.core.trace.HealthMode mode, Map<String, TensorData> overrides,
                    org.eclipse.core.runtime.IProgressMonitor monitor) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void close() {
            }
        };
        NanReport.Fidelity fidelity = NanTracer.fidelity(session, Map.of(), List.of("out:0"), trace(false, 1, 2),
                new NullProgressMonitor());
        assertFalse(fidelity.agree());
        assertEquals(1, fidelity.outputs().get(0).plainNonFinite());
        assertTrue(fidelity.explanation().endsWith("(what the optimised runtime rewrote could not be read: the disk is "
                + "full)"), fidelity.explanation());
    }

    @Test
    void theComparisonListsTheOutputsInTheTracesOrderInEveryVm() throws Exception {
        Map<String, TensorData> outputs = new java.util.LinkedHashMap<>();
        for (int i = 20; i > 0; i--) {
            outputs.put("out_" + i + ":0", TensorData.ofFloats("out_" + i + ":0", Shape.of(1), i));
        }
        Trace trace = new Trace(GRAPH, List.of(), List.of(), Map.of(), outputs, Map.of(), false);
        List<String> order = List.copyOf(outputs.keySet());
        assertEquals(order, List.copyOf(trace.outputs().keySet()));
        FetchOnlySession session = new FetchOnlySession(tensors -> outputs);
        NanReport.Fidelity fidelity = NanTracer.fidelity(session, Map.of(), order, trace, new NullProgressMonitor());
        assertEquals(order, fidelity.outputs().stream().map(NanReport.OutputComparison::tensor).toList());
    }
}
