package org.tensorscope.ui.internal.views;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.tensorscope.core.analysis.NanOrigin;
import org.tensorscope.core.report.CoverageText;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.report.ReportText;
import org.tensorscope.ui.internal.views.NanTraceView.Described;
import org.tensorscope.ui.internal.views.NanTraceView.OpLink;

/**
 * The NaN Trace view's text is the report's sections in the view's words: the same origins,
 * causes, offending values (spelled as on the command line) and coverage, with every op name a
 * link at the right place in the text.
 */
class NanTraceViewTextTest {

    private static NanReport report() {
        NanReport.Cause log = new NanReport.Cause("log-of-non-positive", "Log of a non-positive number",
                List.of(new NanReport.Value(0, List.of(2L), Double.NEGATIVE_INFINITY), new NanReport.Value(0, List.of(3L), -0.125)),
                "Clip the input to (0, inf)");
        NanReport.Origin first = new NanReport.Origin("model/very_long_scope/log", "Log", NanOrigin.Kind.COMPUTATION,
                "model/very_long_scope/log", "model/sub", log, null, List.of(), null, null, -1);
        NanReport.Cause weight = new NanReport.Cause("weights-not-finite", "The weight w already holds NaN or infinity",
                List.of(new NanReport.Value(0, List.of(1L), Double.NaN)), "Retrain with gradient clipping");
        NanReport.Origin weights = new NanReport.Origin("w", "Const", NanOrigin.Kind.WEIGHTS, null, "w", weight, null,
                List.of(), null, null, -1);
        NanReport.Origin input = new NanReport.Origin("x", "Placeholder", NanOrigin.Kind.INPUT, "x", null, null, null,
                List.of(), null, null, -1);
        NanReport.TensorSummary x = new NanReport.TensorSummary("x:0", "float32", "[4]", 4, 0, 0, 1, 0, 0, 255.5, 1, 2);
        return new NanReport("m.pb", "Frozen GraphDef", "serving_default", "cpu", "", "FULL", false, first,
                List.of("model/sub"), List.of(new NanReport.InputHealth("x", "ramp", x, List.of())),
                List.of(new NanReport.WeightHealth("w", "[2]", 1)), 3, List.of(), 4,
                List.of(new NanReport.Unchecked("loop/body:0", "inside the body of Loop 'loop'")), null,
                List.of(first, weights, input));
    }

    @Test
    void theViewSaysWhatTheCommandLineSaysInItsOwnWords() {
        NanReport report = report();
        String text = NanTraceView.describe(report).text();
        String cli = ReportText.toText(report);
        assertTrue(text.contains("NaN/Inf starts at model/very_long_scope/log (Log)"), text);
        assertTrue(text.contains("Computed from finite inputs."), text);
        assertTrue(text.contains("Also starts at w (Const), independently"), text);
        assertTrue(text.contains("The weights already hold NaN or infinity."), text);
        assertTrue(text.contains("Also starts at x (Placeholder), independently"), text);
        assertTrue(text.contains("The input already holds NaN or infinity."), text);
        assertTrue(text.contains("No rule recognised this case; see the inputs of the op."), text);
        for (String value : List.of("input 0 at [2] = -Inf", "input 0 at [3] = -0.125", "input 0 at [1] = NaN")) {
            assertTrue(text.contains(value), value + " in " + text);
            assertTrue(cli.contains(value), value + " in " + cli);
        }
        assertTrue(text.contains("Checked: " + CoverageText.verdict(report)), text);
        assertTrue(text.contains("loop/body:0 (inside the body of Loop 'loop')"), text);
        assertTrue(text.contains("x = ramp: range [0, 255.5]"), text);
        assertTrue(text.contains("Weights: 1 of 3 weights hold NaN or infinity: w (1)"), text);
    }

    @Test
    void everyOpNameIsALinkWhereItIsWritten() {
        Described described = NanTraceView.describe(report());
        String text = described.text();
        List<OpLink> links = described.links();
        assertEquals(List.of("model/very_long_scope/log", "model/very_long_scope/log", "model/sub", "w", "x"),
                links.stream().map(OpLink::op).toList(), "origin, first ±Inf, first NaN and the other origins");
        for (OpLink link : links) {
            assertEquals(link.op(), text.substring(link.start(), link.start() + link.length()));
        }
    }
}
