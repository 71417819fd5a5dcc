package org.tensorscope.ui.api;

import org.eclipse.core.runtime.ListenerList;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.ISelectionChangedListener;
import org.eclipse.jface.viewers.ISelectionProvider;
import org.eclipse.jface.viewers.SelectionChangedEvent;
import org.eclipse.jface.viewers.StructuredSelection;

/**
 * A view site's selection provider that stands for one made later, with the view's content: the
 * workbench hooks a part's provider when the part is activated, so a provider set afterwards would
 * not be heard until the part is activated again. (Not a post-selection provider: the workbench then
 * hands its post-selection listeners every change at once, which no Tensorscope view tells apart.)
 */
final class SelectionForwarder implements ISelectionProvider {

    private final ListenerList<ISelectionChangedListener> listeners = new ListenerList<>();
    private final ISelectionChangedListener forward = event -> {
        SelectionChangedEvent forwarded = new SelectionChangedEvent(this, event.getSelection());
        listeners.forEach(listener -> listener.selectionChanged(forwarded));
    };
    private ISelectionProvider target;

    /** From now on the selection is the provider's. */
    void forwardTo(ISelectionProvider provider) {
        if (target != null) {
            target.removeSelectionChangedListener(forward);
        }
        target = provider;
        provider.addSelectionChangedListener(forward);
    }

    @Override
    public ISelection getSelection() {
        return target == null ? StructuredSelection.EMPTY : target.getSelection();
    }

    @Override
    public void setSelection(ISelection selection) {
        if (target != null) {
            target.setSelection(selection);
        }
    }

    @Override
    public void addSelectionChangedListener(ISelectionChangedListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeSelectionChangedListener(ISelectionChangedListener listener) {
        listeners.remove(listener);
    }
}
