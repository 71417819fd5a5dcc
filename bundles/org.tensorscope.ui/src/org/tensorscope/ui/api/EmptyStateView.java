package org.tensorscope.ui.api;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.ISelectionProvider;
import org.eclipse.swt.dnd.DND;
import org.eclipse.swt.dnd.DropTarget;
import org.eclipse.swt.dnd.DropTargetAdapter;
import org.eclipse.swt.dnd.DropTargetEvent;
import org.eclipse.swt.dnd.FileTransfer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StackLayout;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.ISelectionListener;
import org.eclipse.ui.IWorkbenchPart;
import org.eclipse.ui.part.ViewPart;
import org.osgi.service.event.EventHandler;
import org.tensorscope.core.DebugTopics;

/**
 * A view of the debugging session that, until it has something to show, tells the user what to
 * do. Subclasses build their content once, not while the workbench's window is being built (the
 * workbench builds it for the views its window shows once the window is up, other views build it
 * when the session first has something for them: docs/benchmarks.md), and refresh it when the
 * session moves on (on every
 * {@link DebugTopics} event; for a new model in a turn of the event loop of the view's own),
 * laying out again what a refresh resizes (the view itself is laid out
 * only when it switches between its empty state and its content); they read the session through its services ({@link #runState()},
 * {@link #focus()}, {@link #service(Class)}). The op in focus follows the op a part selects
 * through the workbench's selection service (a {@link SelectedOp}, or what adapts to one): every
 * such view listens, so the focus follows whichever view the user picks an op in; stepping (F6)
 * moves the focus through {@link TraceFocus}.
 */
public abstract class EmptyStateView extends ViewPart {

    private Composite stack;
    private StackLayout layout;
    private Composite emptyPage;
    private Composite contentPage;
    private boolean contentMade;
    /** Whether createPartControl has returned: content built later leaves the refresh to a turn of its own. */
    private boolean partMade;
    private final SelectionForwarder selection = new SelectionForwarder();
    private Label message;
    /** Whether a new model's update waits for its own turn of the event loop. */
    private boolean updatePending;
    private final EventHandler onSessionEvent = event -> {
        if (stack == null || stack.isDisposed()) {
            return;
        }
        if (DebugTopics.MODEL.equals(event.getTopic())) {
            // filling every view for a new model at once stalled the UI thread (docs/benchmarks.md):
            // each view does it in a turn of its own; events arriving meanwhile update it at once
            if (!updatePending) {
                updatePending = true;
                stack.getDisplay().asyncExec(() -> {
                    if (updatePending && !isDisposed()) {
                        update();
                    }
                });
            }
        } else {
            update();
        }
    };
    /** The op each other part last selected, so that a part activated again does not re-select it. */
    private final Map<IWorkbenchPart, SelectedOp> lastSelected = new WeakHashMap<>();
    private final ISelectionListener onSelection = this::selected;

    /** What to do to fill this view, e.g. "Open a model with File > Open Model…". */
    protected abstract String emptyStateMessage();

    /**
     * Builds the content shown once the session has something for this view, at the latest the first
     * time it has; actions added to the view's tool bar or menu here show from then on.
     */
    protected void createContent(Composite parent) {
        // views without content yet keep their empty state
    }

    /** Whether the session holds what this view shows. */
    protected boolean hasContent() {
        return false;
    }

    /** Shows the session's current state; called on the UI thread. */
    protected void refresh() {
    }

    /**
     * Whether this view's selection is the op in focus it followed, and not one the user picked there: a
     * view that shows the focus moved elsewhere says so, and may lag behind a quick step when activated.
     */
    protected boolean selectionFollowsFocus() {
        return false;
    }

    /**
     * A part's selection names an op: it gets the focus, unless it has it already, the part only
     * followed the focus there, or the part only showed again what it had selected before (being
     * activated re-sends its selection).
     */
    private void selected(IWorkbenchPart part, ISelection selection) {
        if (stack == null || stack.isDisposed()) {
            return;
        }
        Optional<SelectedOp> named = SelectedOp.in(selection);
        if (named.isEmpty() || part instanceof EmptyStateView view && view.selectionFollowsFocus()) {
            lastSelected.remove(part);
            return;
        }
        SelectedOp op = named.get();
        if (op.equals(lastSelected.put(part, op))) {
            return;
        }
        TraceFocus focus = focus();
        boolean focused = focus.focusOp().filter(op.op()::equals).isPresent()
                && (op.tensor() == null || focus.focusTensor().filter(op.tensor()::equals).isPresent());
        if (!focused) {
            focus.select(op);
        }
    }

    /**
     * Makes what a provider made with the content selects the workbench's selection while this view
     * is active (instead of the site's {@code setSelectionProvider}, which the workbench does not
     * hear once the view is active).
     */
    protected final void setSelectionProvider(ISelectionProvider provider) {
        selection.forwardTo(provider);
    }

    /** A session service (or any workbench or OSGi service) as this view's site finds it. */
    protected final <T> T service(Class<T> type) {
        T found = getSite().getService(type);
        if (found == null) {
            throw new IllegalStateException(type.getName() + " is not available: is org.tensorscope.ui started?");
        }
        return found;
    }

    /** The open model and its current run. */
    protected final RunState runState() {
        return service(RunState.class);
    }

    /** The op the views show. */
    protected final TraceFocus focus() {
        return service(TraceFocus.class);
    }

    @Override
    public void createPartControl(Composite parent) {
        stack = new Composite(parent, SWT.NONE);
        layout = new StackLayout();
        stack.setLayout(layout);
        emptyPage = new Composite(stack, SWT.NONE);
        emptyPage.setLayout(new GridLayout(1, false));
        message = new Label(emptyPage, SWT.WRAP | SWT.CENTER);
        message.setText(emptyStateMessage());
        message.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, true));
        contentPage = new Composite(stack, SWT.NONE);
        contentPage.setLayout(new FillLayout());
        getSite().setSelectionProvider(selection);
        IEventBroker broker = getSite().getService(IEventBroker.class);
        if (broker != null) {
            broker.subscribe(DebugTopics.ALL, null, onSessionEvent, false);
        }
        getSite().getPage().addSelectionListener(onSelection);
        acceptDroppedModels(stack);
        update();
        partMade = true;
    }

    /**
     * Builds the content now if the view has not yet: the workbench does it, one view per turn of its
     * event loop, for the views it shows at start once its window is up, so that neither the window
     * nor the first model waits for it.
     */
    public final void buildContent() {
        if (isDisposed() || contentMade) {
            return;
        }
        contentMade = true;
        createContent(contentPage);
        getViewSite().getActionBars().updateActionBars();
    }

    /** Dropping a model file or SavedModel folder onto any Tensorscope view opens it. */
    private void acceptDroppedModels(Composite target) {
        DropTarget drop = new DropTarget(target, DND.DROP_COPY | DND.DROP_DEFAULT | DND.DROP_LINK);
        drop.setTransfer(FileTransfer.getInstance());
        drop.addDropListener(new DropTargetAdapter() {
            @Override
            public void dragEnter(DropTargetEvent event) {
                event.detail = DND.DROP_COPY;
            }

            @Override
            public void drop(DropTargetEvent event) {
                if (event.data instanceof String[] files && files.length > 0) {
                    runState().open(Path.of(files[0]));
                }
            }
        });
    }

    private void update() {
        updatePending = false;
        boolean show = hasContent();
        if (show && !contentMade) {
            buildContent();
            if (partMade) {
                // building the content and showing a new model in one turn stalled the UI thread
                updatePending = true;
                stack.getDisplay().asyncExec(() -> {
                    if (updatePending && !isDisposed()) {
                        update();
                    }
                });
                return;
            }
        }
        Control top = show ? contentPage : emptyPage;
        boolean switched = layout.topControl != top;
        layout.topControl = top;
        if (show) {
            refresh();
        }
        // only when the page changes: a deep layout asks every table and text of the view for its
        // size, which stalled each step for hundreds of ms; views lay out what their refresh changes
        if (switched) {
            stack.layout(true, true);
        }
    }

    /** Whether the view's widgets are gone (a job's result may arrive after the view closed). */
    protected boolean isDisposed() {
        return stack == null || stack.isDisposed();
    }

    /** The view's top control. */
    public Control getControl() {
        return stack;
    }

    /** Whether the view shows its empty state. */
    public boolean isShowingEmptyState() {
        return layout.topControl == emptyPage;
    }

    /** The text the user sees while the view is empty. */
    public String getEmptyStateText() {
        return message.getText();
    }

    @Override
    public void setFocus() {
        stack.setFocus();
    }

    @Override
    public void dispose() {
        getSite().getPage().removeSelectionListener(onSelection);
        IEventBroker broker = getSite().getService(IEventBroker.class);
        if (broker != null) {
            broker.unsubscribe(onSessionEvent);
        }
        super.dispose();
    }
}
