package org.tensorscope.ui.internal.views;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.IToolBarManager;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.jface.viewers.Viewer;
import org.eclipse.jface.viewers.ViewerComparator;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.TableColumn;
import org.tensorscope.core.compare.Comparison;
import org.tensorscope.core.compare.Divergence;
import org.tensorscope.core.compare.ErrorMetrics;
import org.tensorscope.core.compare.TensorPair;
import org.tensorscope.core.report.Numbers;
import org.tensorscope.ui.api.EmptyStateView;
import org.tensorscope.ui.internal.TensorscopeImages;
import org.tensorscope.ui.internal.session.ComparisonSession;

/**
 * Two runs compared tensor by tensor: every matched tensor with its errors, largest error first
 * (click a column header to sort by it), the first divergence in execution order highlighted and
 * named above the table. Selecting a row focuses its op in every other view; the Graph is
 * coloured by divergence and the Histogram lays side B over side A while the comparison is shown.
 */
public class CompareView extends EmptyStateView {

    static final Color FIRST_DIVERGENCE = new Color(255, 205, 200);
    private static final Color DIVERGED = new Color(255, 232, 205);

    private Label summary;
    Label first;
    /** The notes on the matching and what stayed unmatched; hidden when there is nothing to note. */
    Label notes;
    TableViewer viewer;
    private Comparison shown;
    private PairSorter sorter;

    /** A column: its title, width, text, and the order it sorts by. */
    private record Column(String title, int width, Function<TensorPair, String> text, Comparator<TensorPair> order) {
    }

    @Override
    protected String emptyStateMessage() {
        return "No comparison yet. Run > Compare With… compares the open model's run with another model "
                + "(a conversion, a quantized copy) or with the same model on other inputs, tensor by tensor.";
    }

    @Override
    protected boolean hasContent() {
        return service(ComparisonSession.class).comparison().isPresent();
    }

    @Override
    protected void createContent(Composite parent) {
        Composite area = new Composite(parent, SWT.NONE);
        area.setLayout(new GridLayout(1, false));
        summary = new Label(area, SWT.WRAP);
        summary.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        first = new Label(area, SWT.WRAP);
        first.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        notes = new Label(area, SWT.WRAP);
        GridData notesData = new GridData(SWT.FILL, SWT.CENTER, true, false);
        notesData.widthHint = 400; // wraps at the view's width rather than widening it
        notesData.exclude = true;
        notes.setLayoutData(notesData);
        notes.setVisible(false);
        viewer = new TableViewer(area, SWT.SINGLE | SWT.FULL_SELECTION | SWT.BORDER | SWT.V_SCROLL | SWT.H_SCROLL);
        viewer.getTable().setHeaderVisible(true);
        viewer.getTable().setLinesVisible(true);
        viewer.getTable().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        viewer.setContentProvider(ArrayContentProvider.getInstance());
        List<Column> columns = List.of(
                new Column("#", 50, p -> p.order() == Integer.MAX_VALUE ? "" : Integer.toString(p.order()),
                        Comparator.comparingInt(TensorPair::order)),
                new Column("Tensor", 260, p -> p.tensorA().equals(p.tensorB()) ? p.tensorA()
                        : p.tensorA() + "  \u2194  " + p.tensorB(), Comparator.comparing(TensorPair::tensorA)),
                new Column("Op type", 110, TensorPair::opType, Comparator.comparing(TensorPair::opType)),
                new Column("Status", 110, p -> p.status().displayName() + (p.input() ? " (input)" : ""),
                        Comparator.comparing(TensorPair::status)),
                new Column("Error", 90, p -> Numbers.format(p.error()), byError()),
                new Column("Max abs error", 100, p -> metric(p, ErrorMetrics::maxAbsError),
                        byMetric(ErrorMetrics::maxAbsError)),
                new Column("Max rel error", 100, p -> metric(p, ErrorMetrics::maxRelError),
                        byMetric(ErrorMetrics::maxRelError)),
                new Column("Cosine", 80, p -> metric(p, ErrorMetrics::cosine), byMetric(ErrorMetrics::cosine)),
                new Column("NaN/Inf A", 80, p -> p.metrics() == null ? "" : (p.metrics().nanA() + p.metrics().infA()) + "",
                        Comparator.comparingLong(p -> p.metrics() == null ? -1 : p.metrics().nanA() + p.metrics().infA())),
                new Column("NaN/Inf B", 80, p -> p.metrics() == null ? "" : (p.metrics().nanB() + p.metrics().infB()) + "",
                        Comparator.comparingLong(p -> p.metrics() == null ? -1 : p.metrics().nanB() + p.metrics().infB())),
                new Column("Note", 260, TensorPair::note, Comparator.comparing(TensorPair::note)));
        sorter = new PairSorter();
        for (Column column : columns) {
            TableViewerColumn viewerColumn = new TableViewerColumn(viewer, SWT.NONE);
            TableColumn tableColumn = viewerColumn.getColumn();
            tableColumn.setText(column.title());
            tableColumn.setWidth(column.width());
            tableColumn.setToolTipText("Click to sort by " + column.title().toLowerCase(java.util.Locale.ROOT)
                    + "; again to reverse");
            viewerColumn.setLabelProvider(new PairLabels(column.text()));
            tableColumn.addListener(SWT.Selection, e -> {
                sorter.sortBy(tableColumn, column.order());
                viewer.getTable().setSortColumn(tableColumn);
                viewer.getTable().setSortDirection(sorter.descending ? SWT.DOWN : SWT.UP);
                viewer.refresh();
            });
            if (column.title().equals("Error")) {
                sorter.sortBy(tableColumn, column.order());
                sorter.descending = true;
                viewer.getTable().setSortColumn(tableColumn);
                viewer.getTable().setSortDirection(SWT.DOWN);
            }
        }
        viewer.setComparator(sorter);
        // a row is the workbench's selection: it names side A's tensor, which the other views follow
        setSelectionProvider(viewer);
        IToolBarManager toolBar = getViewSite().getActionBars().getToolBarManager();
        toolBar.add(TensorscopeImages.action("Go to First Divergence", null, "step_to_origin",
                this::selectFirstDivergence));
        Action clear = TensorscopeImages.action("Clear Comparison", null, "clear_comparison",
                () -> service(ComparisonSession.class).clear());
        clear.setToolTipText("Clear Comparison: the Graph shows the run's health again");
        toolBar.add(clear);
    }

    private static String metric(TensorPair pair, java.util.function.ToDoubleFunction<ErrorMetrics> value) {
        return pair.metrics() == null ? "" : Numbers.format(value.applyAsDouble(pair.metrics()));
    }

    /** By error; pairs not compared (NaN) are put last by the sorter whichever the direction. */
    private static Comparator<TensorPair> byError() {
        return Comparator.comparingDouble(TensorPair::error);
    }

    private static Comparator<TensorPair> byMetric(java.util.function.ToDoubleFunction<ErrorMetrics> value) {
        return Comparator.comparingDouble(p -> p.metrics() == null ? Double.NEGATIVE_INFINITY
                : value.applyAsDouble(p.metrics()));
    }

    @Override
    protected void refresh() {
        Comparison comparison = service(ComparisonSession.class).comparison().orElseThrow();
        if (comparison == shown) {
            return;
        }
        shown = comparison;
        long diverged = comparison.pairs().stream().filter(TensorPair::diverged).count();
        summary.setText(String.format(java.util.Locale.ROOT,
                "A: %s (%s)   B: %s (%s)   tolerance %s, %s; %d tensors compared, %d diverged, %d of A and %d of B"
                        + " unmatched",
                Path.of(comparison.a().model()).getFileName(), String.join(", ", comparison.a().inputs()),
                Path.of(comparison.b().model()).getFileName(), String.join(", ", comparison.b().inputs()),
                Numbers.format(comparison.tolerance()), comparison.matching().description(), comparison.comparedCount(),
                diverged, comparison.unmatchedA().size(), comparison.unmatchedB().size()));
        first.setText(firstDivergenceText(comparison));
        String noted = String.join("\n", notesOf(comparison));
        notes.setText(noted);
        notes.setToolTipText(noted);
        notes.setVisible(!noted.isEmpty());
        ((GridData) notes.getLayoutData()).exclude = noted.isEmpty();
        viewer.setInput(comparison.pairs());
        summary.getParent().layout(true, true);
    }

    /**
     * What to know about how the tensors were paired, one line each as the CLI says it: the matching notes
     * (signature outputs paired by shape, pairs by position the shapes refuted), the outputs computed through ops
     * only one side has (a conversion's sigmoid), and the tensors left unmatched on each side.
     */
    static List<String> notesOf(Comparison comparison) {
        List<String> lines = new ArrayList<>();
        for (String note : comparison.matchingNotes()) {
            lines.add("Note: " + note);
        }
        for (TensorPair output : comparison.outputs()) {
            if (!output.note().isEmpty()) {
                lines.add("Output " + output.tensorA() + (output.tensorA().equals(output.tensorB()) ? ""
                        : " / B " + output.tensorB()) + ": " + output.note());
            }
        }
        List<String> unmatched = new ArrayList<>();
        unmatchedText(comparison.unmatchedA(), "A").ifPresent(unmatched::add);
        unmatchedText(comparison.unmatchedB(), "B").ifPresent(unmatched::add);
        if (!unmatched.isEmpty()) {
            lines.add("Unmatched: " + String.join("; ", unmatched));
        }
        return lines;
    }

    /** "7 of B (x, y, z, u, v, ...)"; empty when none. */
    private static java.util.Optional<String> unmatchedText(List<String> tensors, String side) {
        if (tensors.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(tensors.size() + " of " + side + " (" + String.join(", ", tensors.subList(0, Math.min(5,
                tensors.size()))) + (tensors.size() > 5 ? ", ..." : "") + ")");
    }

    /** The first divergence in words, as the header above the table says it. */
    static String firstDivergenceText(Comparison comparison) {
        if (comparison.firstDivergence().isEmpty()) {
            return comparison.diverged() ? "Only the inputs differ; every computed tensor stays within the tolerance."
                    : "No divergence: every compared tensor is within the tolerance.";
        }
        Divergence divergence = comparison.firstDivergence().get();
        TensorPair pair = divergence.pair();
        StringBuilder text = new StringBuilder("First divergence: ").append(pair.tensorA()).append(" (")
                .append(pair.opType()).append(")");
        if (pair.metrics() != null) {
            text.append(", max abs error ").append(Numbers.format(pair.metrics().maxAbsError()))
                    .append(", cosine ").append(Numbers.format(pair.metrics().cosine()));
        } else if (!pair.note().isEmpty()) {
            text.append(": ").append(pair.note());
        }
        text.append(divergence.inTheOpItself() ? "; its inputs agree: the op itself computes differently"
                : divergence.differingInputs().isEmpty() ? "; its inputs not compared: "
                        + String.join(", ", divergence.uncomparedInputs())
                : "; its inputs that already differ: " + String.join(", ", divergence.differingInputs()));
        return text.toString();
    }

    private void selectFirstDivergence() {
        if (shown != null) {
            shown.firstDivergence().ifPresent(d -> select(d.pair()));
        }
    }

    /** Selects a row as a click would, focusing its op in the other views. */
    public void select(TensorPair pair) {
        if (viewer == null) {
            return;
        }
        getSite().getPage().activate(this);
        viewer.setSelection(new StructuredSelection(pair), true);
    }




    @Override
    public void setFocus() {
        if (viewer != null && !viewer.getControl().isDisposed() && !isShowingEmptyState()) {
            viewer.getControl().setFocus();
        } else {
            super.setFocus();
        }
    }

    @Override
    public void dispose() {
        // the comparison is shown as long as its view is open
        service(ComparisonSession.class).clear();
        super.dispose();
    }

    /** Sorts rows by the chosen column; the first divergence of equal rows first. */
    private static final class PairSorter extends ViewerComparator {
        private TableColumn column;
        private Comparator<TensorPair> order = Comparator.comparingInt(TensorPair::order);
        private boolean descending;

        void sortBy(TableColumn chosen, Comparator<TensorPair> by) {
            descending = chosen == column ? !descending : false;
            column = chosen;
            order = by;
        }

        @Override
        public int compare(Viewer viewer, Object x, Object y) {
            TensorPair a = (TensorPair) x;
            TensorPair b = (TensorPair) y;
            boolean nanA = Double.isNaN(a.error());
            boolean nanB = Double.isNaN(b.error());
            if (column != null && "Error".equals(column.getText()) && nanA != nanB) {
                return nanA ? 1 : -1; // pairs not compared last, whichever the direction
            }
            int c = order.compare(a, b);
            if (c == 0) {
                return Integer.compare(a.order(), b.order());
            }
            return descending ? -c : c;
        }
    }

    /** A column's text, and the colours and font that mark the first divergence and diverged pairs. */
    private final class PairLabels extends ColumnLabelProvider {
        private final Function<TensorPair, String> text;

        PairLabels(Function<TensorPair, String> text) {
            this.text = text;
        }

        @Override
        public String getText(Object element) {
            return text.apply((TensorPair) element);
        }

        @Override
        public Color getBackground(Object element) {
            TensorPair pair = (TensorPair) element;
            if (isFirst(pair)) {
                return FIRST_DIVERGENCE;
            }
            return pair.diverged() ? DIVERGED : null;
        }

        @Override
        public Font getFont(Object element) {
            return isFirst((TensorPair) element) ? JFaceResources.getFontRegistry().getBold(JFaceResources.DEFAULT_FONT)
                    : null;
        }

        private boolean isFirst(TensorPair pair) {
            return shown != null && shown.firstDivergence().map(d -> d.pair().equals(pair)).orElse(false);
        }
    }
}
