package org.tensorscope.report.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.report.ReportHtml;
import org.tensorscope.report.ReportText;

/**
 * When a tensor is not finite, the report says what the outputs hold in the plain run the trace was compared with: a
 * NaN can stop before them (a fused kernel's Relu maps it to a number), and whether the application reads a NaN is
 * what a user asks first. When the runs disagree, the runtime's line says it instead.
 */
class OutputsLineTest {

    private static NanReport withFidelity(NanReport r, NanReport.Fidelity fidelity) {
        return new NanReport(r.model(), r.format(), r.signature(), r.device(), r.deviceNote(), r.healthMode(), r.finite(),
                r.origin(), r.propagation(), r.inputs(), r.weights(), r.weightCount(), r.ops(), r.checked(), r.unchecked(),
                fidelity, r.origins());
    }

    private static NanReport.Fidelity agreeing(NanReport.OutputComparison... outputs) {
        return new NanReport.Fidelity(true, 1e-5, List.of(outputs), List.of(), "");
    }

    @Test
    void outputsTheNanDoesNotReachAreSaidToBeFinite() {
        NanReport report = withFidelity(OneReportThreeRenderingsTest.everyKind(),
                agreeing(new NanReport.OutputComparison("out:0", 0, 0, 0, 0, 0), new NanReport.OutputComparison("scores:0",
                        0, 0, 0, 0, 0)));
        String sentence = "finite in a plain run (out:0, scores:0): the NaN and infinities above do not reach what the"
                + " application reads";
        assertTrue(ReportText.toText(report).contains("\nOutputs:     " + sentence + "\n"), ReportText.toText(report));
        assertTrue(ReportHtml.toHtml(report).contains("<h2>Outputs</h2><p>" + sentence + "</p>"), ReportHtml.toHtml(report));
    }

    @Test
    void outputsHoldingNanAreCounted() {
        NanReport report = withFidelity(OneReportThreeRenderingsTest.everyKind(),
                agreeing(new NanReport.OutputComparison("out:0", 14_336, 14_336, 5, 5, Double.NaN),
                        new NanReport.OutputComparison("scores:0", 0, 0, 0, 0, 0)));
        assertTrue(ReportText.toText(report).contains(
                "\nOutputs:     in a plain run, out:0 holds 14,336 NaN/Inf (5 NaN); 1 other output is finite\n"),
                ReportText.toText(report));
    }

    @Test
    void noOutputsLineWhenTheRunsDisagreeOrEverythingIsFinite() {
        NanReport disagreeing = OneReportThreeRenderingsTest.everyKind();
        assertTrue(ReportText.toText(disagreeing).contains("\nRuntime:"), ReportText.toText(disagreeing));
        assertFalse(ReportText.toText(disagreeing).contains("\nOutputs:"), ReportText.toText(disagreeing));
        NanReport r = disagreeing;
        NanReport finite = new NanReport(r.model(), r.format(), r.signature(), r.device(), r.deviceNote(), r.healthMode(),
                true, null, List.of(), r.inputs(), List.of(), r.weightCount(), List.of(), r.checked(), List.of(),
                agreeing(new NanReport.OutputComparison("out:0", 0, 0, 0, 0, 0)), List.of());
        assertFalse(ReportText.toText(finite).contains("Outputs:"), ReportText.toText(finite));
    }
}
