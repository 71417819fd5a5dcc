package org.tensorscope.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.report.Numbers;
import org.tensorscope.core.sequence.DriftFinding;
import org.tensorscope.core.sequence.JitterStats;
import org.tensorscope.core.sequence.NanFinding;
import org.tensorscope.core.sequence.SequenceFindings;
import org.tensorscope.core.sequence.SequenceResult;
import org.tensorscope.core.sequence.SequenceStep;
import org.tensorscope.core.sequence.ValueSummary;

/**
 * Writes a {@link SequenceResult} as one self-contained HTML page: the findings, an inline SVG chart of the
 * states' and outputs' norms over the steps (log scale, the NaN and drift steps marked) and the table of norms.
 */
public final class SequenceReportHtml {

    private static final String[] COLOURS = { "#1f6fb4", "#e07b00", "#2a9d3a", "#8e44ad", "#c0392b", "#16a085",
            "#7f8c8d", "#d4ac0d", "#34495e", "#e84393" };

    private SequenceReportHtml() {
    }

    public static String toHtml(SequenceResult r) {
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>Tensorscope sequence: ").append(esc(r.model())).append("</title>")
                .append("<style>body{font-family:sans-serif;margin:2em;max-width:72em;color:#222}")
                .append("table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 8px;")
                .append("text-align:right;font-size:90%}th{background:#f0f0f0}.bad{color:#b00020;font-weight:bold}")
                .append(".ok{color:#1b5e20;font-weight:bold}code{background:#f4f4f4;padding:0 3px}</style></head><body>\n");
        html.append("<h1>Sequence run of ").append(esc(r.model())).append("</h1>\n<p>").append(esc(r.format()))
                .append(", signature <code>").append(esc(r.signature())).append("</code>, device ").append(esc(r.device()))
                .append(", health mode ").append(esc(r.healthMode())).append(". ");
        if (r.frames() != null) {
            html.append("Frames <code>").append(esc(r.frames())).append("</code> into <code>")
                    .append(esc(r.framesInput())).append("</code>. ");
        }
        if (!r.feedback().isEmpty()) {
            html.append("Feedback ");
            for (String f : r.feedback()) {
                html.append("<code>").append(esc(f)).append("</code> ");
            }
        }
        html.append("</p>\n<p").append(r.complete() ? "" : " class=\"bad\"").append(">").append(r.steps().size())
                .append(" of ").append(r.stepsAsked()).append(" steps ran").append(r.complete() ? "" : ": " + esc(r.stopped()))
                .append(".</p>\n");
        findings(html, r);
        html.append("<h2>Norms over steps</h2>\n").append(svg(r)).append('\n');
        table(html, r);
        html.append("</body></html>\n");
        return html.toString();
    }

    private static void findings(StringBuilder html, SequenceResult r) {
        html.append("<h2>Findings</h2>\n");
        NanFinding nan = r.findings().nan();
        if (nan == null) {
            String unchecked = r.uncheckedText();
            html.append("<p class=\"ok\">No NaN or infinity in the checked tensors of ").append(r.steps().size())
                    .append(" steps").append(unchecked.isEmpty() ? "" : "; " + esc(unchecked)).append(".</p>\n");
        } else {
            html.append("<p class=\"bad\">NaN/Inf first at step ").append(nan.step()).append(": <code>")
                    .append(esc(nan.op())).append("</code> (").append(esc(nan.opType())).append(")")
                    .append(nan.kind() == null ? "" : ", " + esc(NanReportSections.OriginSection.blame(nan.kind()))).append(".</p>\n");
            NanReport.Origin origin = nan.report() == null ? null : nan.report().origin();
            if (origin != null && origin.cause() != null) {
                html.append("<p>Cause: ").append(esc(origin.cause().description())).append(" [")
                        .append(esc(origin.cause().rule())).append("]<br>Fix: ").append(esc(origin.cause().suggestion()))
                        .append("</p>\n");
            }
        }
        if (r.findings().drift().isEmpty()) {
            html.append("<p class=\"ok\">No output or state grew beyond ").append(num(r.driftFactor()))
                    .append("x its starting norm.</p>\n");
        } else {
            html.append("<table><tr><th>drift</th><th>kind</th><th>step</th><th>from (step)</th><th>to</th>")
                    .append("<th>growth per step</th><th>first ").append(r.unchecked().isEmpty() ? "" : "checked ")
                    .append("op past the factor</th></tr>\n");
            for (DriftFinding d : r.findings().drift()) {
                html.append("<tr class=\"bad\"><td><code>").append(esc(d.name())).append("</code></td><td>")
                        .append(esc(d.kind())).append("</td><td>").append(d.step()).append("</td><td>")
                        .append(num(d.baseNorm())).append(" (").append(d.baseStep()).append(")</td><td>")
                        .append(num(d.norm())).append("</td><td>x").append(num(d.growthPerStep())).append("</td><td>")
                        .append(d.op() == null ? "" : "<code>" + esc(d.op()) + "</code> (" + esc(d.opType())
                                + ") at step " + d.opStep())
                        .append("</td></tr>\n");
            }
            html.append("</table>\n");
        }
        List<JitterStats> jitter = r.findings().jitter().stream().filter(j -> j.changes() > 0).toList();
        if (!jitter.isEmpty()) {
            html.append("<h3>Jitter (mean |y[t] - y[t-1]| per element) and a smoothing preview: ")
                    .append(esc(jitter.get(0).filter())).append("</h3>\n<table><tr><th>output</th><th>mean change</th>")
                    .append("<th>max change (step)</th><th>filtered mean change</th><th>reduction</th><th>mean lag</th></tr>\n");
            for (JitterStats j : jitter) {
                html.append("<tr><td><code>").append(esc(j.output())).append("</code></td><td>").append(num(j.meanChange()))
                        .append("</td><td>").append(num(j.maxChange())).append(" (").append(j.maxChangeStep())
                        .append(")</td><td>").append(num(j.filteredMeanChange())).append("</td><td>")
                        .append(Double.isNaN(j.reduction()) ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * j.reduction()))
                        .append("</td><td>").append(num(j.meanLag())).append("</td></tr>\n");
            }
            html.append("</table>\n");
        }
        for (SequenceFindings.NotWatched n : r.findings().notWatched()) {
            html.append("<p>Left out of drift and jitter: <code>").append(esc(n.name())).append("</code> (")
                    .append(esc(n.kind())).append("), ").append(esc(n.reason())).append(".</p>\n");
        }
        if (!r.fidelityText().isEmpty()) {
            html.append("<h2>Your runtime</h2><p class=\"bad\">").append(esc(r.fidelityText())).append("</p>\n");
        }
        if (!r.rerunText().isEmpty()) {
            html.append("<p>").append(esc(r.rerunText())).append(".</p>\n");
        }
    }

    private record Series(String label, double[] values) {
    }

    private static List<Series> series(SequenceResult r) {
        List<Series> all = new ArrayList<>();
        r.stateNames().forEach(n -> all.add(new Series("state " + n, r.stateNorms(n))));
        r.outputNames().forEach(n -> all.add(new Series("output " + n, r.outputNorms(n))));
        return all;
    }

    /** One polyline per state and output on a log10 axis; non-finite and zero norms leave gaps. */
    static String svg(SequenceResult r) {
        List<Series> series = series(r);
        int width = 720;
        int plotHeight = 260;
        int left = 60;
        int right = 20;
        int top = 10;
        int legend = 16 * ((series.size() + 2) / 3) + 10;
        int height = top + plotHeight + 30 + legend;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : s.values()) {
                if (Double.isFinite(v) && v > 0) {
                    lo = Math.min(lo, Math.log10(v));
                    hi = Math.max(hi, Math.log10(v));
                }
            }
        }
        StringBuilder svg = new StringBuilder().append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" role=\"img\" aria-label=\"norms over steps\">");
        int steps = r.steps().size();
        if (lo > hi || steps == 0) {
            return svg.append("<text x=\"20\" y=\"30\" font-size=\"12\">no finite non-zero norm to draw</text></svg>").toString();
        }
        lo = Math.floor(lo);
        hi = Math.max(Math.ceil(hi), lo + 1);
        double plotWidth = width - left - right;
        double xStep = steps > 1 ? plotWidth / (steps - 1) : 0;
        double logLo = lo;
        double logHi = hi;
        java.util.function.DoubleUnaryOperator y = v -> top + plotHeight * (logHi - Math.log10(v)) / (logHi - logLo);
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"none\" stroke=\"#ccc\"/>",
                left, top, plotWidth, plotHeight));
        int decades = (int) (hi - lo);
        int every = Math.max(1, decades / 8);
        for (int d = 0; d <= decades; d += every) {
            double yy = top + plotHeight * (double) (decades - d) / decades;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">1e%d</text>", left, yy,
                    left + plotWidth, yy, left - 4, yy + 3, (int) lo + d));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\">0</text>", left, top + plotHeight + 14));
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">step %d</text>",
                left + plotWidth, top + plotHeight + 14, steps - 1));
        NanFinding nan = r.findings().nan();
        if (nan != null) {
            marker(svg, left + nan.step() * xStep, top, plotHeight, "#b00020", "NaN/Inf at step " + nan.step());
        }
        for (DriftFinding d : r.findings().drift()) {
            marker(svg, left + d.step() * xStep, top, plotHeight, "#e07b00", "drift of " + d.name() + " at step " + d.step());
        }
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            String colour = COLOURS[i % COLOURS.length];
            StringBuilder points = new StringBuilder();
            for (int t = 0; t < s.values().length; t++) {
                double v = s.values()[t];
                if (Double.isFinite(v) && v > 0) {
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ", left + t * xStep, y.applyAsDouble(v)));
                } else if (points.length() > 0) {
                    polyline(svg, points, colour, s.label());
                    points.setLength(0);
                }
            }
            polyline(svg, points, colour, s.label());
            int lx = 20 + (i % 3) * 230;
            int ly = top + plotHeight + 34 + 16 * (i / 3);
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>", lx, ly - 9, colour, lx + 14, ly, esc(s.label())));
        }
        return svg.append("</svg>").toString();
    }

    private static void marker(StringBuilder svg, double x, int top, int plotHeight, String colour, String title) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
                + "stroke-dasharray=\"4,3\"><title>%s</title></line>", x, top, x, top + plotHeight, colour, esc(title)));
    }

    private static void polyline(StringBuilder svg, StringBuilder points, String colour, String label) {
        if (points.length() == 0) {
            return;
        }
        svg.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"1.5\" points=\"")
                .append(points.toString().strip()).append("\"><title>").append(esc(label)).append("</title></polyline>");
    }

    private static void table(StringBuilder html, SequenceResult r) {
        html.append("<h2>Norms (L2) per step</h2>\n<table><tr><th>step</th><th>frame</th>");
        r.stateNames().forEach(n -> html.append("<th>state <code>").append(esc(n)).append("</code></th>"));
        r.outputNames().forEach(n -> html.append("<th>output <code>").append(esc(n)).append("</code></th>"));
        html.append("</tr>\n");
        for (SequenceStep step : r.steps()) {
            html.append("<tr").append(step.hasNonFinite() ? " class=\"bad\"" : "").append("><td>").append(step.index())
                    .append("</td><td style=\"text-align:left\">").append(esc(step.frame())).append("</td>");
            r.stateNames().forEach(n -> html.append("<td>").append(cell(step.state(n).orElse(null))).append("</td>"));
            r.outputNames().forEach(n -> html.append("<td>").append(cell(step.output(n).orElse(null))).append("</td>"));
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static String cell(ValueSummary v) {
        if (v == null) {
            return "";
        }
        if (v.nonFinite() > 0) {
            return "NaN " + v.nan() + ", Inf " + (v.negInf() + v.posInf());
        }
        return num(v.norm());
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : Numbers.format(v);
    }

    private static String esc(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
