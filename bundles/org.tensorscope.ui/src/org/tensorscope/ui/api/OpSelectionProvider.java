package org.tensorscope.ui.api;

import org.eclipse.core.runtime.ListenerList;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.ISelectionChangedListener;
import org.eclipse.jface.viewers.ISelectionProvider;
import org.eclipse.jface.viewers.SelectionChangedEvent;
import org.eclipse.jface.viewers.StructuredSelection;

/**
 * The selection of a view that names ops without a JFace viewer (a graph, a chart, links in text):
 * set it as the view site's selection provider, call {@link #select(String)} when the user picks an
 * op, and {@link #follow(String)} when the view shows the op in focus moved there by someone else
 * (so that activating the view does not take the focus back to an op picked earlier).
 */
public final class OpSelectionProvider implements ISelectionProvider {

    private final ListenerList<ISelectionChangedListener> listeners = new ListenerList<>();
    private ISelection selection = StructuredSelection.EMPTY;
    private boolean followed;

    /** The user picked an op in the view: it becomes the workbench's selection. */
    public void select(String op) {
        setSelection(new SelectedOp(op).asSelection());
    }

    /** Whether the selection is the op in focus the view followed, and not one the user picked. */
    public boolean followed() {
        return followed;
    }

    /** The view shows the op in focus: the selection names it, without telling anyone. */
    public void follow(String op) {
        selection = op == null ? StructuredSelection.EMPTY : new SelectedOp(op).asSelection();
        followed = true;
    }

    @Override
    public void addSelectionChangedListener(ISelectionChangedListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeSelectionChangedListener(ISelectionChangedListener listener) {
        listeners.remove(listener);
    }

    @Override
    public ISelection getSelection() {
        return selection;
    }

    @Override
    public void setSelection(ISelection next) {
        selection = next == null ? StructuredSelection.EMPTY : next;
        followed = false;
        SelectionChangedEvent event = new SelectionChangedEvent(this, selection);
        listeners.forEach(listener -> listener.selectionChanged(event));
    }
}
