package org.tensorscope.ui.charts.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

import org.eclipse.jface.action.Action;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.resource.ResourceLocator;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Spinner;
import org.jfree.chart.plot.XYPlot;
import org.tensorscope.core.report.Numbers;
import org.tensorscope.core.sequence.DriftFinding;
import org.tensorscope.core.sequence.JitterStats;
import org.tensorscope.core.sequence.NanFinding;
import org.tensorscope.core.sequence.SequenceFindings;
import org.tensorscope.core.sequence.SequenceResult;
import org.tensorscope.core.sequence.SequenceStep;
import org.tensorscope.ui.api.EmptyStateView;
import org.tensorscope.ui.api.SequenceState;

/**
 * A sequence run over its steps: the norm of every output and fed-back state (or every op's finite
 * max|x|), the step where something drifts marked orange, the first NaN/Inf step red, and the step
 * the other views show blue. Clicking the chart (or choosing a step and pressing Enter, or Alt+F6 /
 * Alt+Shift+F6 anywhere) makes that step the current run.
 */
public class SequenceView extends EmptyStateView {

    private Label summary;
    Label findings;
    /** Why the step asked for last cannot be shown; empty otherwise. */
    Label notice;
    private Combo series;
    private Button logScale;
    private Spinner step;
    ChartCanvas canvas;
    SequenceResult shown;
    int shownStep = -1;
    private Action export;

    @Override
    protected String emptyStateMessage() {
        return "No sequence yet. Run > Run Sequence… runs the open model over a folder of frames, an .npy stack or "
                + "generated frames, feeding outputs back if asked, and charts every step here.";
    }

    @Override
    protected boolean hasContent() {
        return sequence().result().isPresent();
    }

    private SequenceState sequence() {
        return service(SequenceState.class);
    }

    @Override
    protected void createContent(Composite parent) {
        Composite area = new Composite(parent, SWT.NONE);
        area.setLayout(new GridLayout(6, false));
        summary = new Label(area, SWT.WRAP);
        summary.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 6, 1));
        findings = new Label(area, SWT.WRAP);
        findings.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 6, 1));
        notice = new Label(area, SWT.WRAP);
        notice.setForeground(area.getDisplay().getSystemColor(SWT.COLOR_DARK_RED));
        GridData noticeData = new GridData(SWT.FILL, SWT.CENTER, true, false, 6, 1);
        noticeData.exclude = true;
        notice.setLayoutData(noticeData);
        notice.setVisible(false);
        new Label(area, SWT.NONE).setText("&Plot:");
        series = new Combo(area, SWT.READ_ONLY);
        for (SequenceChart.Series s : SequenceChart.Series.values()) {
            series.add(s.label);
        }
        series.select(0);
        series.addListener(SWT.Selection, e -> draw());
        logScale = new Button(area, SWT.CHECK);
        logScale.setText("&Log scale");
        logScale.setSelection(true);
        logScale.addListener(SWT.Selection, e -> draw());
        new Label(area, SWT.NONE).setText("S&tep:");
        step = new Spinner(area, SWT.BORDER);
        step.setToolTipText("Press Enter to show this step in every view (Alt+F6 next step, Alt+Shift+F6 previous)");
        step.addListener(SWT.DefaultSelection, e -> showStep(step.getSelection()));
        Label hint = new Label(area, SWT.NONE);
        hint.setText("Click a step, or Alt+F6 / Alt+Shift+F6, to show it in every view");
        hint.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        canvas = new ChartCanvas(area);
        canvas.control().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 6, 1));
        canvas.control().addListener(SWT.MouseDown, e -> selectAt(e.x));
        export = new Action("Export Chart…") {
            @Override
            public void run() {
                exportChart();
            }
        };
        export.setToolTipText("Save the chart as PNG or SVG");
        export.setImageDescriptor(ResourceLocator.imageDescriptorFromBundle("org.tensorscope.ui.charts",
                "icons/export.png").orElse(null));
        getViewSite().getActionBars().getToolBarManager().add(export);
    }

    @Override
    protected void refresh() {
        SequenceResult result = sequence().result().orElseThrow();
        int now = sequence().shownStep().orElse(-1);
        if (result == shown && now == shownStep) {
            return;
        }
        if (result != shown) {
            shown = result;
            summary.setText(summaryOf(result, sequence().shownStep()));
            findings.setText(String.join("\n", findingsOf(result)));
            setNotice("");
            step.setValues(Math.max(0, now), 0, Math.max(0, result.steps().size() - 1), 0, 1, 10);
        }
        shownStep = now;
        if (now >= 0) {
            step.setSelection(now);
        }
        summary.getParent().layout(true, true);
        draw();
    }

    private void draw() {
        if (shown == null) {
            return;
        }
        canvas.setChart(SequenceChart.of(shown, SequenceChart.Series.values()[series.getSelectionIndex()],
                logScale.getSelection(), shownStep));
    }

    static String summaryOf(SequenceResult result, OptionalInt now) {
        StringBuilder text = new StringBuilder();
        text.append(result.steps().size()).append(result.steps().size() == 1 ? " step" : " steps").append(" of ")
                .append(Path.of(result.model()).getFileName());
        if (result.frames() != null) {
            text.append(", frames ").append(result.frames()).append(" into ").append(result.framesInput());
        }
        if (!result.feedback().isEmpty()) {
            text.append(", feeding back ").append(String.join(", ", result.feedback()));
        }
        if (!result.complete()) {
            text.append(" (").append(result.stopped()).append(")");
        }
        if (now.isPresent()) {
            result.step(now.getAsInt()).map(SequenceStep::frame).filter(f -> !f.isEmpty())
                    .ifPresent(frame -> text.append(". Showing step ").append(now.getAsInt()).append(": ").append(frame));
        }
        return text.toString();
    }

    /** One line per finding: NaN/Inf first, then drift, then the jitter of each output. */
    static List<String> findingsOf(SequenceResult result) {
        List<String> lines = new ArrayList<>();
        NanFinding nan = result.findings().nan();
        if (nan != null) {
            lines.add("NaN/Inf first at step " + nan.step() + ", in " + nan.op() + " (" + nan.opType() + ")"
                    + (nan.kind() == null ? "" : ", from the " + nan.kind().displayName()));
        }
        for (DriftFinding drift : result.findings().drift()) {
            lines.add("Drift: " + drift.kind() + " " + drift.name() + " passes " + Numbers.format(drift.factor())
                    + "x its starting norm at step " + drift.step() + " (x" + Numbers.format(drift.growthPerStep())
                    + " per step)" + (drift.op() == null ? ""
                            : "; first " + (result.unchecked().isEmpty() ? "" : "checked ") + "op to grow: " + drift.op() + " ("
                            + drift.opType() + ") at step " + drift.opStep()));
        }
        if (nan == null && result.findings().drift().isEmpty()) {
            String unchecked = result.uncheckedText();
            lines.add("No NaN/Inf in the checked tensors and no drift over " + result.steps().size() + " steps"
                    + (unchecked.isEmpty() ? "." : "; " + unchecked + "."));
        }
        for (JitterStats jitter : result.findings().jitter()) {
            if (jitter.changes() > 0) {
                lines.add("Jitter of " + jitter.output() + ": mean change " + Numbers.format(jitter.meanChange())
                        + " per step, largest " + Numbers.format(jitter.maxChange()) + " at step " + jitter.maxChangeStep()
                        + "; " + jitter.filter() + " would remove " + Math.round(100 * jitter.reduction())
                        + "% of it (mean lag " + Numbers.format(jitter.meanLag()) + ")");
            }
        }
        for (SequenceFindings.NotWatched left : result.findings().notWatched()) {
            lines.add("Left out: " + left.name() + " (" + left.kind() + "): " + left.reason());
        }
        if (!result.fidelityText().isEmpty()) {
            lines.add("Runtime: " + result.fidelityText());
        }
        if (!result.rerunText().isEmpty()) {
            lines.add("Re-run: " + result.rerunText());
        }
        return lines;
    }

    /** Shows the step under the click, through the plot's domain axis. */
    void selectAt(int x) {
        int at = stepAt(x);
        if (at >= 0) {
            showStep(at);
        }
    }

    /** Shows a step in every view, or says in one line why it can no longer be run again. */
    void showStep(int at) {
        if (shown == null) {
            return;
        }
        String whyNot = shown.step(at).map(s -> s.inputs().whyNot()).orElse("");
        setNotice(whyNot);
        if (whyNot.isEmpty()) {
            sequence().show(at);
        }
    }

    private void setNotice(String text) {
        boolean showing = !text.isEmpty();
        notice.setText(text);
        if (notice.getVisible() != showing) {
            notice.setVisible(showing);
            ((GridData) notice.getLayoutData()).exclude = !showing;
        }
        notice.getParent().layout(true, true);
    }

    private int stepAt(int x) {
        if (shown == null || shown.steps().isEmpty() || !drawn()) {
            return -1;
        }
        XYPlot plot = (XYPlot) canvas.chart().getPlot();
        double value = plot.getDomainAxis().java2DToValue(x, canvas.dataArea(), plot.getDomainAxisEdge());
        return (int) Math.max(0, Math.min(shown.steps().size() - 1, Math.round(value)));
    }

    private void exportChart() {
        if (canvas.chart() == null) {
            return;
        }
        FileDialog dialog = new FileDialog(getSite().getShell(), SWT.SAVE);
        dialog.setFilterExtensions(new String[] { "*.png", "*.svg" });
        dialog.setFilterNames(new String[] { "PNG image", "SVG drawing" });
        dialog.setFileName("sequence.png");
        dialog.setOverwrite(true);
        String chosen = dialog.open();
        if (chosen != null) {
            try {
                ChartExport.save(canvas.chart(), Path.of(chosen));
            } catch (IOException e) {
                MessageDialog.openError(getSite().getShell(), "Export Chart", chosen + ": " + e.getMessage());
            }
        }
    }

    /** Whether the chart has been drawn, so clicks map to steps. */
    boolean drawn() {
        return canvas != null && canvas.chart() != null && canvas.dataArea() != null && !canvas.dataArea().isEmpty();
    }
}
