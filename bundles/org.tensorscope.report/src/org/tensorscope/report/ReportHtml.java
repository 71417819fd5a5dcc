package org.tensorscope.report;

import java.util.List;
import java.util.Locale;

import org.tensorscope.core.report.CoverageText;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.report.Numbers;
import org.tensorscope.core.report.NanReport.Histogram;
import org.tensorscope.core.report.NanReport.OpHealth;
import org.tensorscope.core.report.NanReport.TensorSummary;
import org.tensorscope.report.NanReportSections.CauseSection;
import org.tensorscope.report.NanReportSections.InputSection;
import org.tensorscope.report.NanReportSections.Offending;
import org.tensorscope.report.NanReportSections.OriginSection;

/**
 * Writes a {@link NanReport} as one self-contained HTML page: no scripts, no external files;
 * the histogram of the origin's input is an inline SVG image.
 */
public final class ReportHtml {

    private ReportHtml() {
    }

    public static String toHtml(NanReport report) {
        return toHtml(NanReportSections.of(report));
    }

    public static String toHtml(NanReportSections r) {
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>Tensorscope NaN trace: ").append(esc(r.run().model())).append("</title>")
                .append("<style>body{font-family:sans-serif;margin:2em;max-width:72em;color:#222}")
                .append("table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 8px;")
                .append("text-align:left;font-size:90%}th{background:#f0f0f0}.bad{color:#b00020;font-weight:bold}")
                .append(".ok{color:#1b5e20;font-weight:bold}code{background:#f4f4f4;padding:0 3px}</style></head><body>\n");
        html.append("<h1>NaN trace of ").append(esc(r.run().model())).append("</h1>\n");
        html.append("<p>").append(esc(r.run().format())).append(", signature <code>").append(esc(r.run().signature()))
                .append("</code>, device ").append(esc(r.run().device())).append(", health mode ")
                .append(esc(r.run().healthMode())).append(".");
        if (!r.run().deviceNote().isEmpty()) {
            html.append(" ").append(esc(r.run().deviceNote()));
        }
        html.append("</p>\n");
        if (r.origin() != null) {
            origin(html, r.origin());
        }
        html.append("<p class=\"").append(r.coverage().finite() && r.coverage().complete() ? "ok" : "bad").append("\">")
                .append(esc(r.coverage().verdict())).append("</p>\n");
        if (!r.coverage().unchecked().isEmpty()) {
            html.append("<h2>Not checked</h2><table><tr><th>tensor</th><th>why</th></tr>\n");
            for (NanReport.Unchecked u : r.coverage().unchecked()) {
                html.append("<tr><td>").append(esc(u.tensor())).append("</td><td>").append(esc(u.reason()))
                        .append("</td></tr>\n");
            }
            html.append("</table>\n");
        }
        if (r.runtime() != null) {
            html.append("<h2>Your runtime</h2><p class=\"bad\">").append(esc(r.runtime())).append("</p>\n");
        }
        if (r.outputs() != null) {
            html.append("<h2>Outputs</h2><p>").append(esc(r.outputs())).append("</p>\n");
        }
        if (!r.otherOrigins().isEmpty()) {
            html.append("<h2 class=\"bad\">").append(r.otherOrigins().size())
                    .append(" more independent origin(s), each needing its own fix</h2>\n");
            for (OriginSection other : r.otherOrigins()) {
                html.append("<h3><code>").append(esc(other.op())).append("</code> (").append(esc(other.type()))
                        .append(")").append(esc(other.where())).append("</h3>\n<p>Origin: ")
                        .append(esc(other.blame())).append(".</p>\n");
                cause(html, other.cause());
            }
        }
        if (!r.propagation().isEmpty()) {
            html.append("<h2>Propagation</h2><p>").append(esc(r.propagationText(30, " → "))).append("</p>\n");
        }
        html.append("<h2>Inputs</h2><table><tr><th>input</th><th>source</th><th>shape</th><th>NaN</th><th>-Inf</th>")
                .append("<th>+Inf</th><th>min</th><th>max</th><th>problems</th></tr>\n");
        for (InputSection input : r.inputs()) {
            TensorSummary s = input.summary();
            html.append("<tr><td>").append(esc(input.name())).append("</td><td>").append(esc(input.source()))
                    .append("</td><td>").append(esc(s.shape())).append("</td><td>").append(s.nan()).append("</td><td>")
                    .append(s.negInf()).append("</td><td>").append(s.posInf()).append("</td><td>").append(num(s.min()))
                    .append("</td><td>").append(num(s.max())).append("</td><td>")
                    .append(esc(String.join("; ", input.problems()))).append("</td></tr>\n");
        }
        html.append("</table>\n<h2>Weights</h2><p").append(r.weights().broken() ? " class=\"bad\"" : "")
                .append(">").append(esc(capitalised(r.weights().text()))).append(".</p>\n");
        html.append("<h2>Every op</h2><table><tr><th>#</th><th>tensor</th><th>type</th><th>device</th>")
                .append("<th>NaN</th><th>-Inf</th><th>+Inf</th>")
                .append(r.statistics() ? "<th>min</th><th>max</th><th>mean</th>" : "").append("<th>µs</th></tr>\n");
        int i = 0;
        for (OpHealth op : r.ops()) {
            boolean bad = CoverageText.nonFinite(op);
            html.append(bad ? "<tr class=\"bad\">" : "<tr>").append("<td>").append(i++).append("</td><td>")
                    .append(esc(op.tensor())).append("</td><td>").append(esc(op.type())).append("</td><td>")
                    .append(esc(op.device())).append("</td><td>").append(count(op.nan())).append("</td><td>")
                    .append(count(op.negInf())).append("</td><td>").append(count(op.posInf())).append("</td><td>");
            if (r.statistics()) {
                html.append(num(op.min())).append("</td><td>").append(num(op.max())).append("</td><td>")
                        .append(num(op.mean())).append("</td><td>");
            }
            html.append(op.micros() < 0 ? "" : Long.toString(op.micros())).append("</td></tr>\n");
        }
        return html.append("</table>\n</body></html>\n").toString();
    }

    private static void cause(StringBuilder html, CauseSection cause) {
        if (cause == null) {
            html.append("<p><b>Cause:</b> ").append(esc(capitalised(NanReportSections.NO_CAUSE))).append(".</p>\n");
            return;
        }
        html.append("<p><b>Cause:</b> ").append(esc(cause.description())).append(" <small>(rule ")
                .append(esc(cause.rule())).append(")</small></p>\n<p><b>Fix:</b> ").append(esc(cause.fix()))
                .append("</p>\n");
        values(html, cause.values());
    }

    private static void values(StringBuilder html, List<Offending> values) {
        if (!values.isEmpty()) {
            html.append("<table><tr><th>input</th><th>position</th><th>value</th></tr>\n");
            for (Offending v : values) {
                html.append("<tr><td>").append(v.input()).append("</td><td>").append(esc(v.position().toString()))
                        .append("</td><td>").append(num(v.value())).append("</td></tr>\n");
            }
            html.append("</table>\n");
        }
    }

    private static void origin(StringBuilder html, OriginSection origin) {
        html.append("<h2 class=\"bad\">NaN/Inf starts at <code>").append(esc(origin.op())).append("</code> (")
                .append(esc(origin.type())).append(")").append(esc(origin.where()))
                .append("</h2>\n<p>Origin: ").append(esc(origin.blame())).append(".</p>\n");
        cause(html, origin.cause());
        if (origin.then() != null) {
            html.append("<p><b>Then NaN at <code>").append(esc(origin.firstNanOp())).append("</code>:</b> ")
                    .append(esc(origin.then().description())).append(" <small>(rule ").append(esc(origin.then().rule()))
                    .append(")</small></p>\n");
            values(html, origin.then().values());
            if (origin.then().fix() != null) {
                html.append("<p><b>Fix:</b> ").append(esc(origin.then().fix())).append("</p>\n");
            }
        }
        html.append("<p>First ±Inf: <code>").append(esc(origin.firstInfOp() == null ? "none" : origin.firstInfOp()))
                .append("</code>; first NaN: <code>").append(esc(origin.firstNanOp() == null ? "none" : origin.firstNanOp()))
                .append("</code></p>\n");
        if (!origin.opInputs().isEmpty()) {
            html.append("<h3>Inputs of the origin op</h3><table><tr><th>tensor</th><th>dtype</th><th>shape</th>")
                    .append("<th>NaN</th><th>-Inf</th><th>+Inf</th><th>zeros</th><th>min</th><th>max</th><th>mean</th>")
                    .append("<th>std</th></tr>\n");
            for (TensorSummary s : origin.opInputs()) {
                html.append("<tr><td>").append(esc(s.tensor())).append("</td><td>").append(esc(s.dtype()))
                        .append("</td><td>").append(esc(s.shape())).append("</td><td>").append(s.nan()).append("</td><td>")
                        .append(s.negInf()).append("</td><td>").append(s.posInf()).append("</td><td>").append(s.zeros())
                        .append("</td><td>").append(num(s.min())).append("</td><td>").append(num(s.max()))
                        .append("</td><td>").append(num(s.mean())).append("</td><td>").append(num(s.std()))
                        .append("</td></tr>\n");
            }
            html.append("</table>\n");
        }
        if (origin.histogram() != null) {
            html.append("<h3>Histogram of <code>").append(esc(origin.histogram().tensor())).append("</code></h3>\n")
                    .append(svg(origin.histogram())).append('\n');
        }
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** Bars for the finite bins, then NaN, -Inf and +Inf apart, on a linear count axis. */
    static String svg(Histogram histogram) {
        List<Long> counts = histogram.counts();
        long[] special = { histogram.nan(), histogram.negInf(), histogram.posInf() };
        String[] specialNames = { "NaN", "-Inf", "+Inf" };
        long max = 1;
        for (long c : counts) {
            max = Math.max(max, c);
        }
        for (long c : special) {
            max = Math.max(max, c);
        }
        int width = 640;
        int height = 220;
        int plot = 160;
        int bars = counts.size() + 3;
        double barWidth = (width - 40.0) / bars;
        StringBuilder svg = new StringBuilder().append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" role=\"img\" aria-label=\"histogram\">");
        for (int i = 0; i < bars; i++) {
            boolean isSpecial = i >= counts.size();
            long count = isSpecial ? special[i - counts.size()] : counts.get(i);
            double h = plot * (double) count / max;
            double x = 20 + i * barWidth;
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s: %d</title></rect>",
                    x, 10 + plot - h, Math.max(1, barWidth - 1), h, isSpecial ? "#b00020" : "#1f6fb4",
                    esc(isSpecial ? specialNames[i - counts.size()] : binLabel(histogram, i)), count));
            if (isSpecial) {
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">%s</text>", x,
                        plot + 26, specialNames[i - counts.size()]));
            }
        }
        List<Double> edges = histogram.edges();
        if (!edges.isEmpty()) {
            svg.append(String.format(Locale.ROOT, "<text x=\"20\" y=\"%d\" font-size=\"11\">%s</text>", plot + 26,
                    esc(num(edges.get(0)))));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s</text>",
                    20 + counts.size() * barWidth, plot + 26, esc(num(edges.get(edges.size() - 1)))));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"20\" y=\"%d\" font-size=\"11\">max count %d</text>", plot + 48, max));
        return svg.append("</svg>").toString();
    }

    private static String binLabel(Histogram histogram, int i) {
        List<Double> edges = histogram.edges();
        return i + 1 < edges.size() ? "[" + num(edges.get(i)) + ", " + num(edges.get(i + 1)) + ")" : "bin " + i;
    }

    /** A count, or "present, not counted" for one the health pass did not compute. */
    private static String count(long n) {
        return n < 0 ? "present, not counted" : Long.toString(n);
    }

    private static String num(double v) {
        return esc(Numbers.format(v));
    }

    static String esc(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
