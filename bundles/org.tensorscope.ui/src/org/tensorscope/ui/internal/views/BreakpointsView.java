package org.tensorscope.ui.internal.views;

import java.util.List;

import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.IToolBarManager;
import org.eclipse.jface.action.MenuManager;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.CheckboxTableViewer;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.ui.part.ViewPart;
import org.tensorscope.core.trace.Breakpoint;
import org.tensorscope.ui.internal.TensorscopeImages;
import org.tensorscope.ui.internal.session.Breakpoints;
import org.tensorscope.ui.api.OpSelectionProvider;

/**
 * The breakpoints of the open model: on ops (Run > Toggle Breakpoint, Ctrl+Shift+B) and
 * conditional ones. Checked ones stop F8; anomalies always stop it.
 */
public class BreakpointsView extends ViewPart {

    CheckboxTableViewer viewer;
    private Breakpoints breakpoints;
    /** The op of the breakpoint last double-clicked: the workbench's selection while this view is active. */
    private final OpSelectionProvider selection = new OpSelectionProvider();
    private final Runnable onChange = () -> {
        if (viewer != null && !viewer.getControl().isDisposed()) {
            viewer.getControl().getDisplay().asyncExec(this::refresh);
        }
    };

    @Override
    public void createPartControl(Composite parent) {
        breakpoints = getSite().getService(Breakpoints.class);
        getSite().setSelectionProvider(selection);
        viewer = CheckboxTableViewer.newCheckList(parent, SWT.MULTI | SWT.FULL_SELECTION | SWT.BORDER);
        viewer.getTable().setHeaderVisible(true);
        viewer.setContentProvider(ArrayContentProvider.getInstance());
        TableViewerColumn column = new TableViewerColumn(viewer, SWT.NONE);
        column.getColumn().setText("Stop at");
        column.getColumn().setWidth(320);
        column.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object element) {
                return ((Breakpoint) element).describe();
            }
        });
        viewer.setCheckStateProvider(new org.eclipse.jface.viewers.ICheckStateProvider() {
            @Override
            public boolean isChecked(Object element) {
                return ((Breakpoint) element).enabled();
            }

            @Override
            public boolean isGrayed(Object element) {
                return false;
            }
        });
        viewer.addCheckStateListener(event -> {
            Breakpoint breakpoint = (Breakpoint) event.getElement();
            breakpoints.replace(breakpoint, breakpoint.withEnabled(event.getChecked()));
        });
        viewer.addDoubleClickListener(event -> {
            if (viewer.getStructuredSelection().getFirstElement() instanceof Breakpoint.OnOp at) {
                selection.select(at.opName());
            }
        });
        viewer.getTable().addListener(SWT.KeyDown, e -> {
            if (e.keyCode == SWT.DEL) {
                removeSelected();
            }
        });
        Action add = TensorscopeImages.action("Add Conditional Breakpoint…", null, "add_breakpoint", this::addConditional);
        Action remove = TensorscopeImages.action("Remove", "Delete", "remove", this::removeSelected);
        Action removeAll = TensorscopeImages.action("Remove All", null, "remove_all", () -> breakpoints.removeAll());
        IToolBarManager toolBar = getViewSite().getActionBars().getToolBarManager();
        toolBar.add(add);
        toolBar.add(remove);
        toolBar.add(removeAll);
        MenuManager menu = new MenuManager();
        menu.add(add);
        menu.add(remove);
        menu.add(removeAll);
        viewer.getControl().setMenu(menu.createContextMenu(viewer.getControl()));
        breakpoints.addListener(onChange);
        refresh();
    }


    private void refresh() {
        if (!viewer.getControl().isDisposed()) {
            viewer.setInput(breakpoints.all());
        }
    }

    private void removeSelected() {
        for (Object selected : viewer.getStructuredSelection().toList()) {
            breakpoints.remove((Breakpoint) selected);
        }
    }

    private void addConditional() {
        ConditionalBreakpointDialog dialog = new ConditionalBreakpointDialog(getSite().getShell());
        if (dialog.open() == Window.OK) {
            breakpoints.add(dialog.breakpoint());
        }
    }


    /** The view's top control. */
    public Control getControl() {
        return viewer.getControl();
    }

    @Override
    public void setFocus() {
        viewer.getControl().setFocus();
    }

    @Override
    public void dispose() {
        breakpoints.removeListener(onChange);
        super.dispose();
    }
}
