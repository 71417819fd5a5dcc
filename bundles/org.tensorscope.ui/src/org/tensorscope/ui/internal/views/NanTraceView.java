package org.tensorscope.ui.internal.views;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.layout.RowLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.ui.PartInitException;
import org.tensorscope.core.report.CoverageText;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.report.ReportHtml;
import org.tensorscope.report.ReportJson;
import org.tensorscope.ui.TensorscopeViews;
import org.tensorscope.ui.internal.session.DebugSession;
import org.tensorscope.ui.internal.tensor.Numbers;

/**
 * Where NaN or infinity starts, why, the offending values and the fix, with the first-Inf /
 * first-NaN chain, the propagation, and the health of inputs and weights.
 */
public class NanTraceView extends EmptyStateView {

    StyledText summary; // package-private: the test fragment checks the wrapping
    private Button stepToOrigin;
    private Button showInGraph;
    private NanReport shown;

    @Override
    protected String emptyStateMessage() {
        return "No trace yet. Open a model and run it: if NaN or infinity appears, this view names the op where it "
                + "starts and why.";
    }

    @Override
    protected boolean hasContent(DebugSession session) {
        return session.outcome().isPresent();
    }

    @Override
    protected void createContent(Composite parent) {
        Composite area = new Composite(parent, SWT.NONE);
        area.setLayout(new GridLayout(1, false));
        // StyledText wraps inside a word too: op names are long and have no spaces. Neither it nor the
        // buttons may ask for more width than the view has, or the text wraps beyond its edge.
        summary = new StyledText(area, SWT.MULTI | SWT.READ_ONLY | SWT.WRAP | SWT.V_SCROLL);
        summary.setAlwaysShowScrollBars(false);
        summary.setMargins(4, 4, 4, 4);
        GridData text = new GridData(SWT.FILL, SWT.FILL, true, true);
        text.widthHint = 1;
        summary.setLayoutData(text);
        Composite buttons = new Composite(area, SWT.NONE);
        RowLayout row = new RowLayout(SWT.HORIZONTAL);
        row.wrap = true;
        row.marginLeft = 0;
        row.marginRight = 0;
        buttons.setLayout(row);
        GridData buttonsData = new GridData(SWT.FILL, SWT.CENTER, true, false);
        buttonsData.widthHint = 1;
        buttons.setLayoutData(buttonsData);
        stepToOrigin = new Button(buttons, SWT.PUSH);
        stepToOrigin.setText("&Step to Origin");
        stepToOrigin.addListener(SWT.Selection, e -> {
            if (shown != null && shown.origin() != null) {
                DebugSession.get().stepTo(shown.origin().op());
            }
        });
        showInGraph = new Button(buttons, SWT.PUSH);
        showInGraph.setText("Show in &Graph");
        showInGraph.addListener(SWT.Selection, e -> {
            if (shown != null && shown.origin() != null) {
                showInGraph(shown.origin().op());
            }
        });
        Button export = new Button(buttons, SWT.PUSH);
        export.setText("&Export Report…");
        export.addListener(SWT.Selection, e -> export());
    }

    @Override
    protected void refresh(DebugSession session) {
        NanReport report = session.outcome().orElseThrow().report();
        if (report == shown) {
            return;
        }
        shown = report;
        summary.setText(describe(report));
        stepToOrigin.setEnabled(report.origin() != null);
        showInGraph.setEnabled(report.origin() != null);
    }

    /** The report in words, as the view shows it. */
    static String describe(NanReport r) {
        String nl = System.lineSeparator();
        StringBuilder text = new StringBuilder();
        if (r.finite()) {
            text.append(CoverageText.verdict(r)).append(nl);
        } else {
            NanReport.Origin o = r.origin();
            text.append("NaN/Inf starts at ").append(o.op()).append(" (").append(o.type()).append(")")
                    .append(CoverageText.loopText(o)).append(nl);
            text.append(switch (o.kind()) {
                case "input" -> "The input already holds NaN or infinity.";
                case "weights" -> "The weights already hold NaN or infinity.";
                default -> "Computed from finite inputs.";
            }).append(nl).append(nl);
            if (o.cause() != null) {
                text.append("Cause: ").append(o.cause().description()).append(nl);
                for (NanReport.Value v : o.cause().offendingValues()) {
                    text.append("    input ").append(v.input()).append(" at ").append(v.position()).append(" = ")
                            .append(number(v.value())).append(nl);
                }
                text.append("Fix: ").append(o.cause().suggestion()).append(nl);
            } else {
                text.append("No rule recognised the cause; see the inputs of the op below.").append(nl);
            }
            text.append(nl).append("First ±Inf: ").append(o.firstInfOp() == null ? "none" : o.firstInfOp()).append(nl);
            text.append("First NaN: ").append(o.firstNanOp() == null ? "none" : o.firstNanOp()).append(nl);
            if (o.firstNanCause() != null) {
                text.append("    then ").append(o.firstNanCause().description()).append(nl);
                if (o.cause() == null || !o.firstNanCause().suggestion().equals(o.cause().suggestion())) {
                    text.append("    fix: ").append(o.firstNanCause().suggestion()).append(nl);
                }
            }
            for (NanReport.TensorSummary s : o.opInputs()) {
                text.append("Input ").append(s.tensor()).append(" ").append(s.dtype()).append(s.shape()).append(": min ")
                        .append(number(s.min())).append(", max ").append(number(s.max())).append(", NaN ").append(s.nan()).append(", Inf ")
                        .append(s.negInf() + s.posInf()).append(nl);
            }
            for (NanReport.Origin other : r.otherOrigins()) {
                text.append(nl).append("Also starts at ").append(other.op()).append(" (").append(other.type()).append(")")
                        .append(CoverageText.loopText(other)).append(", independently: it needs its own fix").append(nl);
                if (other.cause() != null) {
                    text.append("Cause: ").append(other.cause().description()).append(nl);
                    for (NanReport.Value v : other.cause().offendingValues()) {
                        text.append("    input ").append(v.input()).append(" at ").append(v.position()).append(" = ")
                                .append(number(v.value())).append(nl);
                    }
                    text.append("Fix: ").append(other.cause().suggestion()).append(nl);
                } else {
                    text.append("No rule recognised the cause.").append(nl);
                }
            }
            text.append(nl).append("Propagates to ").append(r.propagation().size()).append(" later ops").append(nl);
            if (!r.complete()) {
                text.append(CoverageText.uncheckedText(r.unchecked())).append(nl);
            }
        }
        if (r.fidelity() != null && !r.fidelity().agree()) {
            text.append(nl).append("Your runtime: ").append(r.fidelity().explanation()).append(nl);
        }
        text.append(nl).append("Model inputs:").append(nl);
        for (NanReport.InputHealth input : r.inputs()) {
            text.append("    ").append(input.name()).append(" = ").append(input.source()).append(": [")
                    .append(number(input.summary().min())).append(", ").append(number(input.summary().max())).append("]")
                    .append(nl);
            input.problems().forEach(p -> text.append("    warning: ").append(p).append(nl));
        }
        text.append("Weights: ").append(r.weights().isEmpty() ? "all " + r.weightCount() + " finite"
                : r.weights().stream().map(w -> w.op() + " (" + w.nonFinite() + " NaN/Inf)").collect(Collectors.joining(", ")))
                .append(nl);
        if (!r.deviceNote().isEmpty()) {
            text.append(r.deviceNote()).append(nl);
        }
        return text.toString();
    }

    private static String number(double v) {
        return Numbers.format(v);
    }

    private void showInGraph(String op) {
        try {
            GraphView graph = (GraphView) getSite().getPage().showView(TensorscopeViews.GRAPH);
            graph.reveal(op);
        } catch (PartInitException e) {
            MessageDialog.openError(getSite().getShell(), "Show in Graph", "The Graph view could not open: " + e.getMessage());
        }
    }

    private void export() {
        if (shown == null) {
            return;
        }
        FileDialog dialog = new FileDialog(getSite().getShell(), SWT.SAVE);
        dialog.setFilterExtensions(new String[] { "*.html", "*.json" });
        dialog.setFilterNames(new String[] { "HTML report (*.html)", "JSON report (*.json)" });
        dialog.setFileName("trace.html");
        dialog.setOverwrite(true);
        String file = dialog.open();
        if (file == null) {
            return;
        }
        try {
            Files.writeString(Path.of(file), file.endsWith(".json") ? ReportJson.toJson(shown) : ReportHtml.toHtml(shown));
        } catch (IOException e) {
            MessageDialog.openError(getSite().getShell(), "Export Report", file + ": cannot be written: " + e.getMessage());
        }
    }

    /** The text shown, for tests. */
    public String getSummaryText() {
        return summary.getText();
    }
}
