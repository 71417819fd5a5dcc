package org.tensorscope.ui.internal.preferences;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.preference.PreferencePage;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchPreferencePage;
import org.tensorscope.core.service.InstalledContribution;
import org.tensorscope.ui.internal.session.UiContributions;

/**
 * Window > Preferences > Tensorscope > Extensions: every contributed loader, backend, inspector
 * and NaN cause rule, with the bundle that contributes it. Read-only.
 */
public class ExtensionsPreferencePage extends PreferencePage implements IWorkbenchPreferencePage {

    TableViewer table;

    private UiContributions contributions;

    public ExtensionsPreferencePage() {
        setDescription("The model loaders, backends, tensor inspectors and NaN cause rules installed, "
                + "and the bundles they come from. Add more with Help > Install Extension from File… "
                + "or Help > Install New Software….");
        noDefaultAndApplyButton();
    }

    @Override
    public void init(IWorkbench workbench) {
        contributions = workbench.getService(UiContributions.class);
    }

    @Override
    protected Control createContents(Composite parent) {
        Composite area = new Composite(parent, SWT.NONE);
        area.setLayout(new GridLayout(1, false));
        table = new TableViewer(area, SWT.BORDER | SWT.FULL_SELECTION);
        table.getTable().setHeaderVisible(true);
        table.getTable().setLinesVisible(true);
        GridDataFactory.fillDefaults().grab(true, true).hint(560, 300).applyTo(table.getTable());
        table.setContentProvider(ArrayContentProvider.getInstance());
        column("Kind", 130, c -> c.kind().label());
        column("Name", 200, InstalledContribution::name);
        column("Bundle", 220, InstalledContribution::bundleSymbolicName);
        column("Version", 140, InstalledContribution::bundleVersion);
        table.setInput(contributions.contributions().installed());
        if (table.getTable().getItemCount() == 0) {
            new Label(area, SWT.WRAP).setText("No contributions are installed.");
        }
        return area;
    }

    private void column(String title, int width, Function<InstalledContribution, String> text) {
        TableViewerColumn column = new TableViewerColumn(table, SWT.LEFT);
        column.getColumn().setText(title);
        column.getColumn().setWidth(width);
        column.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object element) {
                return text.apply((InstalledContribution) element);
            }
        });
    }

}
