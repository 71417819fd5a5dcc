package org.tensorscope.report;

import static org.tensorscope.report.ReportHtml.esc;

import java.util.List;
import java.util.Locale;

import org.tensorscope.core.compare.ComparedSide;
import org.tensorscope.core.compare.Comparison;
import org.tensorscope.core.compare.Divergence;
import org.tensorscope.core.compare.ErrorMetrics;
import org.tensorscope.core.compare.TensorPair;
import org.tensorscope.core.compare.WeightPair;
import org.tensorscope.core.compare.WeightsComparison;

/**
 * Writes a {@link Comparison} as one self-contained HTML page: no scripts, no external files. The
 * error of every tensor in execution order (or the change of every weight) is an inline SVG chart
 * on a logarithmic axis, with the tolerance drawn across it.
 */
public final class CompareReportHtml {

    /** A point of the chart: its label, value (NaN: not compared, +Inf: NaN/Inf or shape mismatch) and whether it diverged. */
    record Point(String label, double value, boolean diverged) {
    }

    private CompareReportHtml() {
    }

    public static String toHtml(Comparison c) {
        StringBuilder html = new StringBuilder(32_768);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>Tensorscope comparison: ").append(esc(c.a().model())).append(" and ")
                .append(esc(c.b().model())).append("</title>")
                .append("<style>body{font-family:sans-serif;margin:2em;max-width:80em;color:#222}")
                .append("table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 8px;")
                .append("text-align:left;font-size:90%}th{background:#f0f0f0}.bad{color:#b00020;font-weight:bold}")
                .append(".ok{color:#1b5e20;font-weight:bold}code{background:#f4f4f4;padding:0 3px}</style></head><body>\n");
        html.append("<h1>Comparison of two ").append(c.weightsOnly() ? "models' weights" : "runs").append("</h1>\n");
        side(html, "A", c.a());
        side(html, "B", c.b());
        html.append("<p").append(c.diverged() ? " class=\"bad\">The two sides diverge" : " class=\"ok\">No divergence")
                .append(" beyond the tolerance ").append(CompareNumbers.text(c.tolerance()))
                .append(" (on |a − b| / (1 + |a|)).</p>\n");
        if (c.weightsOnly()) {
            weights(html, c.weights(), true);
        } else {
            runs(html, c);
            weights(html, c.weights(), false);
        }
        return html.append("</body></html>\n").toString();
    }

    private static void side(StringBuilder html, String label, ComparedSide side) {
        html.append("<p><b>").append(label).append(":</b> <code>").append(esc(side.model())).append("</code> (")
                .append(esc(side.format()));
        if (!side.signature().isEmpty()) {
            html.append(", signature <code>").append(esc(side.signature())).append("</code>");
        }
        html.append(")");
        if (!side.inputs().isEmpty()) {
            html.append(", inputs ").append(esc(String.join("; ", side.inputs())));
        }
        if (!side.deviceNote().isEmpty()) {
            html.append(". ").append(esc(side.deviceNote()));
        }
        html.append("</p>\n");
    }

    private static void runs(StringBuilder html, Comparison c) {
        html.append("<p>Tensors matched ").append(esc(c.matching().description())).append(": ").append(c.pairs().size())
                .append(" paired, ").append(c.comparedCount()).append(" compared; ").append(c.unmatchedA().size())
                .append(" of A and ").append(c.unmatchedB().size()).append(" of B unmatched.</p>\n");
        for (String note : c.matchingNotes()) {
            html.append("<p>Note: ").append(esc(note)).append(".</p>\n");
        }
        if (c.firstDivergence().isPresent()) {
            Divergence d = c.firstDivergence().get();
            TensorPair p = d.pair();
            html.append("<h2 class=\"bad\">First divergence: <code>").append(esc(p.opA())).append("</code> (")
                    .append(esc(p.opType())).append("), #").append(p.order()).append(" in execution order</h2>\n<p>");
            html.append(d.inTheOpItself() ? "Its inputs match: the op itself computes differently."
                    : d.differingInputs().isEmpty() ? "Its input(s) <code>" + esc(String.join(", ", d.uncomparedInputs()))
                            + "</code> were not compared (no counterpart, or no value): the difference may come"
                            + " from before this op."
                    : "Its input(s) <code>" + esc(CompareReportText.differingInputs(c, d))
                            + "</code> already differ; every computed tensor before it matches.");
            html.append("</p>\n");
            table(html, List.of(p));
        } else {
            html.append("<h2 class=\"ok\">No computed tensor diverges</h2>\n");
        }
        if (!c.outputs().isEmpty()) {
            html.append("<h2>Outputs</h2>\n");
            table(html, c.outputs());
        }
        html.append("<h2>Error per tensor in execution order</h2>\n")
                .append(chart(c.pairs().stream().map(p -> new Point(p.tensorA() + " (" + p.opType() + ")", p.error(),
                        p.diverged())).toList(), c.tolerance(), "error |a − b| / (1 + |a|)"))
                .append('\n');
        html.append("<h2>Largest errors</h2>\n");
        table(html, c.topByError(c.pairs().size()).stream().filter(p -> !p.input() && p.error() > 0).limit(20).toList());
        if (!c.unmatchedA().isEmpty() || !c.unmatchedB().isEmpty()) {
            html.append("<h2>Unmatched</h2><p>A: ").append(esc(String.join(", ", c.unmatchedA()))).append("</p><p>B: ")
                    .append(esc(String.join(", ", c.unmatchedB()))).append("</p>\n");
        }
        html.append("<h2>Every tensor</h2>\n");
        table(html, c.pairs());
    }

    private static void table(StringBuilder html, List<TensorPair> pairs) {
        html.append("<table><tr><th>#</th><th>tensor A</th><th>tensor B</th><th>type</th><th>shape</th><th>status</th>")
                .append("<th>max abs</th><th>max rel</th><th>cosine</th><th>NaN A/B</th><th>Inf A/B</th>")
                .append("<th>beyond</th><th>worst at</th><th>note</th></tr>\n");
        for (TensorPair p : pairs) {
            html.append(p.diverged() ? "<tr class=\"bad\">" : "<tr>").append("<td>").append(p.order()).append("</td><td>")
                    .append(esc(p.tensorA())).append("</td><td>").append(esc(p.tensorB())).append("</td><td>")
                    .append(esc(p.opType())).append("</td><td>").append(esc(String.valueOf(p.shapeA()))).append("</td><td>")
                    .append(esc(p.status().displayName())).append("</td>");
            metricCells(html, p.metrics());
            html.append("<td>").append(esc(p.note())).append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static void metricCells(StringBuilder html, ErrorMetrics m) {
        if (m == null) {
            html.append("<td></td>".repeat(7));
            return;
        }
        html.append("<td>").append(CompareNumbers.text(m.maxAbsError())).append("</td><td>")
                .append(CompareNumbers.text(m.maxRelError())).append("</td><td>").append(CompareNumbers.text(m.cosine()))
                .append("</td><td>").append(m.nanA()).append('/').append(m.nanB()).append("</td><td>").append(m.infA())
                .append('/').append(m.infB()).append("</td><td>").append(m.beyondTolerance() + m.nonFiniteMismatches())
                .append(" of ").append(m.elements()).append("</td><td>")
                .append(m.maxAbsError() == 0 && m.nonFiniteMismatches() == 0 ? "" : esc(m.worstPosition().toString()) + ": A "
                        + CompareNumbers.text(m.worstA()) + ", B " + CompareNumbers.text(m.worstB()))
                .append("</td>");
    }

    private static void weights(StringBuilder html, WeightsComparison w, boolean only) {
        if (w == null) {
            if (only) {
                html.append("<p>Neither model has floating-point weights to compare.</p>\n");
            }
            return;
        }
        html.append("<h2>Weights</h2>\n<p>").append(w.pairs().size()).append(" paired ")
                .append(esc(w.matching().description())).append(", ").append(w.diverged().size()).append(" differ; ")
                .append(w.unmatchedA().size()).append(" of A and ").append(w.unmatchedB().size())
                .append(" of B unmatched.</p>\n");
        w.firstNonFinite().ifPresent(p -> html.append("<p class=\"bad\">First weight holding NaN/Inf: <code>")
                .append(esc(p.weightA())).append("</code> (").append(p.nonFiniteA()).append(" in A, ").append(p.nonFiniteB())
                .append(" in B)</p>\n"));
        w.mostChanged().ifPresent(p -> html.append("<p>Most changed: <code>").append(esc(p.weightA()))
                .append("</code>, relative change ").append(CompareNumbers.text(p.relativeChange())).append("</p>\n"));
        if (only) {
            html.append("<h3>Relative change per weight in graph order</h3>\n")
                    .append(chart(w.pairs().stream().map(p -> new Point(p.weightA(),
                            p.nonFiniteA() > 0 || p.nonFiniteB() > 0 ? Double.POSITIVE_INFINITY : p.relativeChange(),
                            p.diverged())).toList(), Double.NaN, "relative change ||b − a|| / ||a||"))
                    .append('\n');
        }
        html.append("<table><tr><th>#</th><th>weight A</th><th>weight B</th><th>shape</th><th>status</th>")
                .append("<th>relative change</th><th>max abs</th><th>max rel</th><th>cosine</th><th>NaN A/B</th>")
                .append("<th>Inf A/B</th><th>beyond</th><th>worst at</th><th>note</th></tr>\n");
        List<WeightPair> ranked = w.ranked();
        for (WeightPair p : ranked.subList(0, Math.min(only ? ranked.size() : 50, ranked.size()))) {
            html.append(p.diverged() ? "<tr class=\"bad\">" : "<tr>").append("<td>").append(p.order()).append("</td><td>")
                    .append(esc(p.weightA())).append("</td><td>").append(esc(p.weightB())).append("</td><td>")
                    .append(esc(String.valueOf(p.shapeA()))).append("</td><td>").append(esc(p.status().displayName()))
                    .append("</td><td>").append(CompareNumbers.text(p.relativeChange())).append("</td>");
            metricCells(html, p.metrics());
            html.append("<td>").append(esc(p.note())).append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    /**
     * One bar per point on a log axis from 1e-10 up to the largest finite value (at least the tolerance and 1);
     * a NaN/Inf or shape mismatch reaches the top in dark red, a pair not compared is a grey tick.
     */
    static String chart(List<Point> points, double tolerance, String axis) {
        int width = 900;
        int height = 260;
        int left = 60;
        int top = 10;
        int plotWidth = width - left - 10;
        int plotHeight = 200;
        double floor = -10;
        double max = 0;
        for (Point p : points) {
            if (Double.isFinite(p.value()) && p.value() > 0) {
                max = Math.max(max, Math.log10(p.value()));
            }
        }
        if (Double.isFinite(tolerance) && tolerance > 0) {
            max = Math.max(max, Math.log10(tolerance));
        }
        double ceiling = Math.ceil(max);
        StringBuilder svg = new StringBuilder().append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" role=\"img\" aria-label=\"").append(esc(axis))
                .append("\">");
        for (double decade = floor; decade <= ceiling; decade += 2) {
            double y = top + plotHeight * (ceiling - decade) / (ceiling - floor);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">1e%d</text>", left, y,
                    left + plotWidth, y, left - 4, y + 3, (int) decade));
        }
        double barWidth = points.isEmpty() ? 1 : (double) plotWidth / points.size();
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            double x = left + i * barWidth;
            String fill;
            double h;
            if (Double.isNaN(p.value())) {
                fill = "#9e9e9e";
                h = 3;
            } else if (Double.isInfinite(p.value())) {
                fill = "#6a0010";
                h = plotHeight;
            } else {
                double level = p.value() <= 0 ? floor : Math.max(floor, Math.log10(p.value()));
                h = Math.max(1, plotHeight * (level - floor) / (ceiling - floor));
                fill = p.diverged() ? "#b00020" : "#1f6fb4";
            }
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" fill=\"%s\"><title>#%d %s: %s</title></rect>",
                    x, top + plotHeight - h, Math.max(0.5, barWidth * 0.9), h, fill, i, esc(p.label()),
                    Double.isNaN(p.value()) ? "not compared" : CompareNumbers.text(p.value())));
        }
        if (Double.isFinite(tolerance) && tolerance > 0) {
            double y = top + plotHeight * (ceiling - Math.log10(tolerance)) / (ceiling - floor);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#b00020\" "
                    + "stroke-dasharray=\"4 3\"/><text x=\"%d\" y=\"%.1f\" font-size=\"10\" fill=\"#b00020\" "
                    + "text-anchor=\"end\">tolerance %s</text>", left, y, left + plotWidth, y, left + plotWidth, y - 3,
                    esc(CompareNumbers.text(tolerance))));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s, %d in order; dark red: NaN/Inf "
                + "or shape mismatch, grey: not compared</text>", left, top + plotHeight + 30, esc(axis), points.size()));
        return svg.append("</svg>").toString();
    }
}
