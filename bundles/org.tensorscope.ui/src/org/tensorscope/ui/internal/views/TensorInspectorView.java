package org.tensorscope.ui.internal.views;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.custom.CTabItem;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.osgi.framework.FrameworkUtil;
import org.tensorscope.core.analysis.TensorStats;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.ui.internal.session.DebugSession;

/**
 * The selected op's output: shape, type, statistics, and a grid of the values of its last two
 * dimensions (first slice of the others), NaN/Inf cells highlighted. Values are fetched on demand.
 * Installed {@link org.tensorscope.core.service.TensorInspector}s add tabs beside the values.
 */
public class TensorInspectorView extends FocusedTensorView {

    private static final int MAX_ROWS = 200;
    private static final int MAX_COLUMNS = 64;

    private Label header;
    private Label stats;
    private TableViewer grid;
    private CTabFolder tabs;
    private ContributedInspectorTabs contributed;

    @Override
    protected void createContent(Composite parent) {
        Composite area = new Composite(parent, SWT.NONE);
        area.setLayout(new GridLayout(1, false));
        header = new Label(area, SWT.NONE);
        header.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        stats = new Label(area, SWT.WRAP);
        stats.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        tabs = new CTabFolder(area, SWT.BOTTOM | SWT.BORDER);
        tabs.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        grid = new TableViewer(tabs, SWT.FULL_SELECTION);
        grid.getTable().setHeaderVisible(true);
        grid.setContentProvider(ArrayContentProvider.getInstance());
        CTabItem values = new CTabItem(tabs, SWT.NONE);
        values.setText("Values");
        values.setControl(grid.getControl());
        tabs.setSelection(values);
        contributed = new ContributedInspectorTabs(
                FrameworkUtil.getBundle(TensorInspectorView.class).getBundleContext(), tabs);
        contributed.open();
    }

    @Override
    public void dispose() {
        if (contributed != null) {
            contributed.close();
        }
        super.dispose();
    }

    @Override
    protected void showOp(DebugSession session, OpNode node, TensorSpec output) {
        header.setText(output.name() + "  " + node.type() + "  " + output.dtype().displayName() + " " + output.shape());
        session.outcome().flatMap(o -> o.trace().row(output.name())).ifPresent(row -> stats.setText(String.format(
                "NaN %d   -Inf %d   +Inf %d   min %s   max %s   mean %s   on %s", row.nanCount(), row.negInfCount(),
                row.posInfCount(), row.min(), row.max(), row.mean(), row.device())));
        contributed.showOp(output);
    }

    @Override
    protected void showNothing(String why) {
        header.setText(why);
        stats.setText("");
        grid.setInput(new Integer[0]);
        contributed.showNothing(why);
    }

    @Override
    protected void showValues(TensorData data) {
        TensorStats s = TensorStats.of(data);
        stats.setText(String.format("count %d   NaN %d   -Inf %d   +Inf %d   zeros %d   min %s   max %s   mean %s   std %s",
                s.count(), s.nan(), s.negInf(), s.posInf(), s.zeros(), s.min(), s.max(), s.mean(), s.std()));
        long[] dims = data.shape().dims();
        int columns = dims.length == 0 ? 1 : (int) Math.min(MAX_COLUMNS, dims[dims.length - 1]);
        long rowLength = dims.length == 0 ? 1 : dims[dims.length - 1];
        int rows = (int) Math.min(MAX_ROWS, dims.length < 2 ? 1 : dims[dims.length - 2]);
        Table table = grid.getTable();
        table.setRedraw(false);
        for (TableColumn c : table.getColumns()) {
            c.dispose();
        }
        TableViewerColumn index = new TableViewerColumn(grid, SWT.RIGHT);
        index.getColumn().setText("");
        index.getColumn().setWidth(50);
        index.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object element) {
                return Integer.toString((Integer) element);
            }
        });
        Color bad = table.getDisplay().getSystemColor(SWT.COLOR_RED);
        for (int c = 0; c < columns; c++) {
            int column = c;
            TableViewerColumn col = new TableViewerColumn(grid, SWT.RIGHT);
            col.getColumn().setText(Integer.toString(c));
            col.getColumn().setWidth(90);
            col.setLabelProvider(new ColumnLabelProvider() {
                @Override
                public String getText(Object element) {
                    return String.format("%.5g", value(element, column));
                }

                @Override
                public Color getForeground(Object element) {
                    return Double.isFinite(value(element, column)) ? null : bad;
                }

                private double value(Object element, int col) {
                    return data.getDouble((Integer) element * rowLength + col);
                }
            });
        }
        Integer[] rowIndexes = new Integer[rows];
        for (int r = 0; r < rows; r++) {
            rowIndexes[r] = r;
        }
        grid.setInput(rowIndexes);
        table.setRedraw(true);
        contributed.showValues(data);
    }

    /** The header line shown, for tests. */
    public String getHeaderText() {
        return header.getText();
    }

    /** The heading and the rows shown by a contributed inspector's tab (empty when there is no such tab), for tests. */
    public List<String> getInspectionText(String tab) {
        return contributed.tab(tab).map(t -> {
            List<String> lines = new ArrayList<>();
            lines.add(t.heading());
            t.rows().forEach(row -> lines.add(String.join(" | ", row)));
            return lines;
        }).orElse(List.of());
    }

    /** The titles of the tabs shown, "Values" first, for tests. */
    public List<String> getTabTitles() {
        return Arrays.stream(tabs.getItems()).map(CTabItem::getText).toList();
    }
}
