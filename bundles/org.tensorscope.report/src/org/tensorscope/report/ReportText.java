package org.tensorscope.report;

import org.tensorscope.core.report.NanReport;
import org.tensorscope.report.NanReportSections.CauseSection;
import org.tensorscope.report.NanReportSections.InputSection;
import org.tensorscope.report.NanReportSections.Offending;
import org.tensorscope.report.NanReportSections.OriginSection;

/**
 * Writes a {@link NanReport} as the lines {@code tensorscope trace} prints: one fact a line, each
 * starting with a label in a 13-character column ({@code Origin:}, {@code Cause:}, {@code First NaN:}),
 * which scripts may grep for.
 */
public final class ReportText {

    private ReportText() {
    }

    public static String toText(NanReport report) {
        return toText(NanReportSections.of(report));
    }

    public static String toText(NanReportSections r) {
        Lines out = new Lines();
        out.line("Model:", r.run().model() + " (" + r.run().format() + ", signature " + r.run().signature() + ")");
        for (InputSection input : r.inputs()) {
            out.line("Input:", input.name() + " = " + input.source() + "  " + input.values());
            input.problems().forEach(p -> out.line("  warning:", p));
        }
        if (!r.weights().nonFinite().isEmpty()) {
            out.line("Weights:", r.weights().text());
        }
        out.line("Checked:", r.coverage().verdict());
        if (r.coverage().result() != null) {
            out.line("Result:", r.coverage().result());
        }
        for (OriginSection origin : r.origins()) {
            if (origin.first()) {
                out.line("Origin:", origin.title() + ", " + origin.blame());
                cause(out, origin.cause(), "", "");
                origin.opInputs().forEach(s -> out.line("", "  " + NanReportSections.describe(s)));
                out.line("First ±Inf:", origin.firstInfOp() == null ? "none" : origin.firstInfOp());
                out.line("First NaN:", origin.firstNanOp() == null ? "none" : origin.firstNanOp());
                if (origin.then() != null) {
                    out.line("  then:", origin.then().description() + " [" + origin.then().rule() + "]");
                    origin.then().values().forEach(v -> out.line("", "    " + v.text()));
                    if (origin.then().fix() != null) {
                        out.line("  then fix:", origin.then().fix());
                    }
                }
            } else {
                out.line("Also origin:", origin.title() + ", " + origin.blame()
                        + "; independent of the first: it needs its own fix");
                cause(out, origin.cause(), "  ", "  ");
            }
        }
        if (!r.propagation().isEmpty()) {
            out.line("Propagates:", r.propagationText(5, " -> "));
        }
        if (r.runtime() != null) {
            out.line("Runtime:", r.runtime());
        }
        if (r.outputs() != null) {
            out.line("Outputs:", r.outputs());
        }
        return out.toString();
    }

    private static void cause(Lines out, CauseSection cause, String labelIndent, String valueIndent) {
        if (cause == null) {
            out.line(labelIndent + "Cause:", NanReportSections.NO_CAUSE);
            return;
        }
        out.line(labelIndent + "Cause:", cause.description() + " [" + cause.rule() + "]");
        for (Offending value : cause.values()) {
            out.line("", valueIndent + "  " + value.text());
        }
        out.line(labelIndent + "Fix:", cause.fix());
    }

    /** Lines with the label padded to the value column; an empty label starts the text at the margin. */
    private static final class Lines {

        private static final int COLUMN = 13;
        private final StringBuilder text = new StringBuilder();

        void line(String label, String value) {
            if (label.isEmpty()) {
                text.append(value);
            } else {
                text.append(label).append(" ".repeat(Math.max(1, COLUMN - label.length()))).append(value);
            }
            text.append('\n');
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
