package org.tensorscope.ui.internal.views;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.layout.RowLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.ui.PartInitException;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.report.NanReportSections;
import org.tensorscope.report.NanReportSections.CauseSection;
import org.tensorscope.report.NanReportSections.InputSection;
import org.tensorscope.report.NanReportSections.OriginSection;
import org.tensorscope.report.ReportHtml;
import org.tensorscope.report.ReportJson;
import org.tensorscope.ui.TensorscopeViews;
import org.tensorscope.ui.api.EmptyStateView;
import org.tensorscope.ui.api.OpSelectionProvider;
import org.tensorscope.ui.internal.session.SteppingFocus;

/**
 * Where NaN or infinity starts, why, the offending values and the fix, with the first-Inf /
 * first-NaN chain, the propagation, and the health of inputs and weights: the report's sections
 * ({@link NanReportSections}) in words, with every op name a link that selects the op.
 */
public class NanTraceView extends EmptyStateView {

    StyledText summary; // package-private: the test fragment checks the wrapping
    private Button stepToOrigin;
    private Button showInGraph;
    private NanReport shown;
    private List<OpLink> links = List.of();
    /** The op whose link was last clicked, else the op in focus. */
    private final OpSelectionProvider selection = new OpSelectionProvider();

    @Override
    protected String emptyStateMessage() {
        return "No trace yet. Open a model and run it: if NaN or infinity appears, this view names the op where it "
                + "starts and why.";
    }

    @Override
    protected boolean hasContent() {
        return runState().outcome().isPresent();
    }

    @Override
    protected boolean selectionFollowsFocus() {
        return selection.followed();
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
        setSelectionProvider(selection);
        summary.addListener(SWT.MouseUp, e -> {
            if (e.button == 1 && summary.getSelectionCount() == 0) { // not the end of selecting text
                linkAt(summary.getOffsetAtPoint(new Point(e.x, e.y))).ifPresent(selection::select);
            }
        });
        summary.addListener(SWT.MouseMove, e -> summary.setCursor(linkAt(summary.getOffsetAtPoint(new Point(e.x, e.y)))
                .isPresent() ? summary.getDisplay().getSystemCursor(SWT.CURSOR_HAND) : null));
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
                service(SteppingFocus.class).stepTo(shown.origin().op());
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
    protected void refresh() {
        selection.follow(focus().focusOp().orElse(null));
        NanReport report = runState().outcome().orElseThrow().report();
        if (report == shown) {
            return;
        }
        shown = report;
        Described described = describe(report);
        links = described.links();
        summary.setText(described.text());
        Color link = summary.getDisplay().getSystemColor(SWT.COLOR_LINK_FOREGROUND);
        for (OpLink l : links) {
            StyleRange style = new StyleRange(l.start(), l.length(), link, null);
            style.underline = true;
            style.underlineStyle = SWT.UNDERLINE_LINK;
            summary.setStyleRange(style);
        }
        stepToOrigin.setEnabled(report.origin() != null);
        showInGraph.setEnabled(report.origin() != null);
    }

    /** The report in words, as the view shows it, with the op names that are links. */
    static Described describe(NanReport report) {
        NanReportSections r = NanReportSections.of(report);
        Described text = new Described();
        if (r.origin() == null) {
            text.line(r.coverage().verdict());
        }
        for (OriginSection origin : r.origins()) {
            if (origin.first()) {
                text.append("NaN/Inf starts at ").op(origin.op()).line(" (" + origin.type() + ")" + origin.where());
                text.line(sentence(origin.blame())).line("");
                cause(text, origin.cause());
                text.line("").append("First ±Inf: ").op(origin.firstInfOp()).line("");
                text.append("First NaN: ").op(origin.firstNanOp()).line("");
                if (origin.then() != null) {
                    text.line("    then " + origin.then().description());
                    origin.then().values().forEach(v -> text.line("        " + v.text()));
                    if (origin.then().fix() != null) {
                        text.line("    fix: " + origin.then().fix());
                    }
                }
                origin.opInputs().forEach(s -> text.line("Input " + NanReportSections.describe(s)));
            } else {
                text.line("").append("Also starts at ").op(origin.op()).line(" (" + origin.type() + ")" + origin.where()
                        + ", independently: it needs its own fix");
                text.line(sentence(origin.blame()));
                cause(text, origin.cause());
            }
        }
        if (r.origin() != null) {
            text.line("").line("Propagates to " + r.propagation().size() + " later ops");
            text.line("Checked: " + r.coverage().verdict());
        }
        if (r.runtime() != null) {
            text.line("").line("Your runtime: " + r.runtime());
        }
        if (r.outputs() != null) {
            text.line("").line("Outputs: " + r.outputs());
        }
        text.line("").line("Model inputs:");
        for (InputSection input : r.inputs()) {
            text.line("    " + input.name() + " = " + input.source() + ": " + input.values());
            input.problems().forEach(p -> text.line("    warning: " + p));
        }
        text.line("Weights: " + r.weights().text());
        if (!r.run().deviceNote().isEmpty()) {
            text.line(r.run().deviceNote());
        }
        return text;
    }

    private static void cause(Described text, CauseSection cause) {
        if (cause == null) {
            text.line(sentence(NanReportSections.NO_CAUSE));
            return;
        }
        text.line("Cause: " + cause.description());
        cause.values().forEach(v -> text.line("    " + v.text()));
        text.line("Fix: " + cause.fix());
    }

    private static String sentence(String words) {
        return Character.toUpperCase(words.charAt(0)) + words.substring(1) + ".";
    }

    /** The view's text and where in it the op names are, each a link that selects its op. */
    static final class Described {

        private final StringBuilder text = new StringBuilder();
        private final List<OpLink> links = new ArrayList<>();

        Described append(String words) {
            text.append(words);
            return this;
        }

        Described line(String words) {
            text.append(words).append(System.lineSeparator());
            return this;
        }

        /** An op's name as a link; "none" when there is no op. */
        Described op(String op) {
            if (op == null) {
                return append("none");
            }
            links.add(new OpLink(text.length(), op.length(), op));
            return append(op);
        }

        String text() {
            return text.toString();
        }

        List<OpLink> links() {
            return List.copyOf(links);
        }
    }

    /** An op name in the text: where it starts, how long it is, and the op. */
    record OpLink(int start, int length, String op) {
    }

    /** The op whose name is at this offset of the text, if it is a link. */
    Optional<String> linkAt(int offset) {
        return links.stream().filter(l -> offset >= l.start() && offset < l.start() + l.length()).map(OpLink::op)
                .findFirst();
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

}
