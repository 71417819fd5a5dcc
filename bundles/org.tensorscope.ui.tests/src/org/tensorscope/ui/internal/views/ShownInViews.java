package org.tensorscope.ui.internal.views;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.eclipse.jface.viewers.TreeViewer;
import org.eclipse.swt.custom.CTabItem;
import org.tensorscope.core.compare.TensorPair;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.Breakpoint;
import org.tensorscope.ui.api.TextLine;
import org.tensorscope.ui.internal.graph.GraphDrawing;
import org.tensorscope.ui.internal.tensor.Heatmap;
import org.tensorscope.ui.internal.tensor.SliceControls;
import org.tensorscope.ui.internal.tensor.ValuesGrid;

/**
 * What the workbench's views show, read from their fields: this test fragment shares the views'
 * package, so the product carries no getters for tests.
 */
public final class ShownInViews {

    private ShownInViews() {
    }

    /** The Compare view's rows in the order shown. */
    public static List<TensorPair> rows(CompareView view) {
        List<TensorPair> rows = new ArrayList<>();
        for (var item : view.viewer.getTable().getItems()) {
            rows.add((TensorPair) item.getData());
        }
        return rows;
    }

    /** The Compare view's row highlighted as the first divergence, null when none is. */
    public static TensorPair highlightedRow(CompareView view) {
        for (var item : view.viewer.getTable().getItems()) {
            if (CompareView.FIRST_DIVERGENCE.equals(item.getBackground(0))) {
                return (TensorPair) item.getData();
            }
        }
        return null;
    }

    /** The first divergence as the Compare view names it. */
    public static String firstDivergenceText(CompareView view) {
        return view.first.getText();
    }

    /** The Compare view's notes on the matching and what stayed unmatched, as it writes them; empty when none. */
    public static String compareNotesText(CompareView view) {
        return view.notes.getVisible() ? view.notes.getText() : "";
    }

    /** The NaN Trace view's text. */
    public static String summaryText(NanTraceView view) {
        return view.summary.getText();
    }

    /** Whether the Graph view's drawing is of this model. */
    public static boolean isShowing(GraphView view, ModelGraph model) {
        return model != null && view.drawnGraph == model && view.canvas.drawing() != null;
    }

    /** The Graph view's drawing, null while the first layout runs. */
    public static GraphDrawing drawing(GraphView view) {
        return view.canvas.drawing();
    }

    /** The breakpoints the Breakpoints view lists, in order. */
    public static List<Breakpoint> breakpoints(BreakpointsView view) {
        return List.of(view.viewer.getTable().getItems()).stream().map(item -> (Breakpoint) item.getData()).toList();
    }

    public static TreeViewer explorerViewer(ModelExplorerView view) {
        return view.viewer;
    }

    /** How often at most the Model Explorer's tree follows the focus while the user steps. */
    public static int explorerFollowIntervalMillis() {
        return ModelExplorerView.FOLLOW_INTERVAL_MS;
    }

    /** The Tensor Inspector's header line. */
    public static String headerText(TensorInspectorView view) {
        return view.header.getText();
    }

    /** The Tensor Inspector's header line, the widget. */
    public static TextLine headerLine(TensorInspectorView view) {
        return view.header;
    }

    /** The Tensor Inspector's statistics line, the widget. */
    public static TextLine statsLine(TensorInspectorView view) {
        return view.stats;
    }

    /** How often the Tensor Inspector set its statistics line. */
    public static int statsShown(TensorInspectorView view) {
        return view.statsShown;
    }

    public static SliceControls sliceControls(TensorInspectorView view) {
        return view.sliceControls;
    }

    public static ValuesGrid valuesGrid(TensorInspectorView view) {
        return view.grid;
    }

    public static Heatmap heatmap(TensorInspectorView view) {
        return view.heatmap;
    }

    /** The values the Tensor Inspector shows, null while they are fetched. */
    public static TensorData values(TensorInspectorView view) {
        return view.shown;
    }

    /** The heading and rows of a contributed inspector's tab, empty when there is no such tab. */
    public static List<String> inspectionText(TensorInspectorView view, String tab) {
        return view.contributed.tab(tab).map(t -> {
            List<String> lines = new ArrayList<>();
            lines.add(t.heading());
            t.rows().forEach(row -> lines.add(String.join(" | ", row)));
            return lines;
        }).orElse(List.of());
    }

    /** The titles of the Tensor Inspector's tabs, "Values" first. */
    public static List<String> tabTitles(TensorInspectorView view) {
        return Arrays.stream(view.tabs.getItems()).map(CTabItem::getText).toList();
    }
}
