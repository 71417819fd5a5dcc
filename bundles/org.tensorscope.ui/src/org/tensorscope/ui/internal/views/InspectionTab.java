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
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.TableColumn;
import org.tensorscope.core.service.Inspection;

/**
 * A tab showing one contributed {@link Inspection}: its title and its table.
 */
final class InspectionTab {

    private final CTabItem item;
    private final Label title;
    private final TableViewer table;

    InspectionTab(CTabFolder folder, String label) {
        item = new CTabItem(folder, SWT.NONE);
        item.setText(label);
        Composite area = new Composite(folder, SWT.NONE);
        area.setLayout(new GridLayout(1, false));
        title = new Label(area, SWT.WRAP);
        title.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        table = new TableViewer(area, SWT.BORDER | SWT.FULL_SELECTION);
        table.getTable().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        table.getTable().setHeaderVisible(true);
        table.setContentProvider(ArrayContentProvider.getInstance());
        item.setControl(area);
    }

    String title() {
        return item.getText();
    }

    boolean isDisposed() {
        return item.isDisposed();
    }

    void showMessage(String message) {
        title.setText(message);
        title.getParent().layout(new Control[] {title});
        table.setInput(new Object[0]);
    }

    void show(Inspection inspection) {
        title.setText(inspection.title());
        title.getParent().layout(new Control[] {title});
        table.getTable().setRedraw(false);
        for (TableColumn c : table.getTable().getColumns()) {
            c.dispose();
        }
        List<String> columns = inspection.columns();
        for (int c = 0; c < columns.size(); c++) {
            int column = c;
            TableViewerColumn col = new TableViewerColumn(table, SWT.LEFT);
            col.getColumn().setText(columns.get(c));
            col.getColumn().setWidth(110);
            col.setLabelProvider(new ColumnLabelProvider() {
                @Override
                public String getText(Object row) {
                    List<?> cells = (List<?>) row;
                    return column < cells.size() ? String.valueOf(cells.get(column)) : "";
                }
            });
        }
        table.setInput(inspection.rows());
        table.getTable().setRedraw(true);
    }

    String heading() {
        return title.getText();
    }

    /** The cells shown, row by row. */
    List<List<String>> rows() {
        return Arrays.stream(table.getTable().getItems()).map(item -> {
            List<String> cells = new ArrayList<>();
            for (int c = 0; c < table.getTable().getColumnCount(); c++) {
                cells.add(item.getText(c));
            }
            return cells;
        }).toList();
    }

    void dispose() {
        item.getControl().dispose();
        item.dispose();
    }
}
