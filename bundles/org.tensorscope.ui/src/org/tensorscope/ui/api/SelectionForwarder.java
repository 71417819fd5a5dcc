package org.tensorscope.ui.api;

import org.eclipse.core.runtime.ListenerList;
import org.eclipse.jface.viewers.IPostSelectionProvider;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.ISelectionChangedListener;
import org.eclipse.jface.viewers.ISelectionProvider;
import org.eclipse.jface.viewers.SelectionChangedEvent;
import org.eclipse.jface.viewers.StructuredSelection;

/**
 * A view site's selection provider that stands for one made later, with the view's content: the
 * workbench hooks a part's provider when the part is activated, so a provider set afterwards would
 * not be heard until the part is activated again.
 */
final class SelectionForwarder implements IPostSelectionProvider {

    private final ListenerList<ISelectionChangedListener> listeners = new ListenerList<>();
    private final ListenerList<ISelectionChangedListener> postListeners = new ListenerList<>();
    private final ISelectionChangedListener forward = event -> {
        fire(listeners, event.getSelection());
        if (!(event.getSelectionProvider() instanceof IPostSelectionProvider)) {
            fire(postListeners, event.getSelection()); // as the workbench does for such a provider
        }
    };
    private final ISelectionChangedListener forwardPost = event -> fire(postListeners, event.getSelection());
    private ISelectionProvider target;

    /** From now on the selection is the provider's. */
    void forwardTo(ISelectionProvider provider) {
        if (target != null) {
            target.removeSelectionChangedListener(forward);
            if (target instanceof IPostSelectionProvider post) {
                post.removePostSelectionChangedListener(forwardPost);
            }
        }
        target = provider;
        provider.addSelectionChangedListener(forward);
        if (provider instanceof IPostSelectionProvider post) {
            post.addPostSelectionChangedListener(forwardPost);
        }
    }

    private void fire(ListenerList<ISelectionChangedListener> to, ISelection selection) {
        SelectionChangedEvent event = new SelectionChangedEvent(this, selection);
        to.forEach(listener -> listener.selectionChanged(event));
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

    @Override
    public void addPostSelectionChangedListener(ISelectionChangedListener listener) {
        postListeners.add(listener);
    }

    @Override
    public void removePostSelectionChangedListener(ISelectionChangedListener listener) {
        postListeners.remove(listener);
    }
}
