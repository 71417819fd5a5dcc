package org.tensorscope.ui.internal.views;

import java.util.Locale;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.jface.action.GroupMarker;
import org.eclipse.jface.action.MenuManager;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.ColumnViewerToolTipSupport;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.ITreeContentProvider;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.viewers.TreePath;
import org.eclipse.jface.viewers.TreeSelection;
import org.eclipse.jface.viewers.TreeViewer;
import org.eclipse.jface.viewers.TreeViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.IWorkbenchActionConstants;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.ScopeTree;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.ui.api.EmptyStateView;
import org.tensorscope.ui.api.RunState;

/**
 * The ops of the open model, by name scope, with their type, output and, after a run, a health
 * badge. Filter by name or type; the selection drives the other views.
 */
public class ModelExplorerView extends EmptyStateView {

    TreeViewer viewer; // package-private: the test fragment looks at what the tree shows
    Text filter; // package-private for tests
    private ModelGraph shownGraph;
    ExplorerHealth health;
    /**
     * When the tree may follow the focus again (System.currentTimeMillis); see {@link #follow()}. Package-private
     * with the interval: a test of quick steps widens what "quick" means, so that a slow machine does not pause.
     */
    long nextFollow;
    int followIntervalMillis = FOLLOW_INTERVAL_MS;
    private boolean followPending;
    /** Whether the tree's selection is being set to the op in focus, and whether it was set so last. */
    private boolean revealing;
    private boolean followed;

    /** How often at most the tree follows the focus while the user steps faster. */
    static final int FOLLOW_INTERVAL_MS = 250;

    @Override
    protected String emptyStateMessage() {
        return "No model is open. Open a model with File > Open Model…";
    }

    @Override
    protected boolean hasContent() {
        return runState().graph().isPresent();
    }

    @Override
    protected void createContent(Composite parent) {
        Composite area = new Composite(parent, SWT.NONE);
        area.setLayout(new GridLayout(1, false));
        filter = new Text(area, SWT.SEARCH | SWT.ICON_SEARCH | SWT.ICON_CANCEL);
        filter.setMessage("Filter by op name or type");
        filter.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        filter.addModifyListener(e -> {
            rebuild(runState());
            focus().focusOp().ifPresent(this::reveal); // the op in focus, when the filter shows it
        });
        viewer = new TreeViewer(area, SWT.SINGLE | SWT.FULL_SELECTION | SWT.BORDER);
        // it takes the space left whatever it holds: without a size of its own, the view's layout as a
        // model opened had GTK measure the rows of the tree just filled, on the UI thread
        GridData treeData = new GridData(SWT.FILL, SWT.FILL, true, true);
        treeData.widthHint = 0;
        treeData.heightHint = 0;
        viewer.getTree().setLayoutData(treeData);
        viewer.getTree().setHeaderVisible(true);
        viewer.setUseHashlookup(true);
        viewer.setContentProvider(new ScopeContentProvider());
        health = new ExplorerHealth(viewer.getControl());
        health.makeIcons();
        opColumn();
        column("Health", 110, this::badge);
        column("Type", 110, node -> node.op() == null ? "" : node.op().type());
        column("Output", 150, node -> node.op() == null || node.op().outputs().isEmpty() ? ""
                : node.op().outputs().get(0).dtype().displayName() + " " + node.op().outputs().get(0).shape());
        ColumnViewerToolTipSupport.enableFor(viewer);
        // an op selected here is the workbench's selection: the views showing the op in focus follow it
        // before the provider's own listener, which tells the workbench: it asks whether the tree followed
        viewer.addSelectionChangedListener(e -> followed = revealing);
        setSelectionProvider(viewer);
        MenuManager menu = new MenuManager();
        menu.add(new GroupMarker(IWorkbenchActionConstants.MB_ADDITIONS));
        viewer.getControl().setMenu(menu.createContextMenu(viewer.getControl()));
        getSite().registerContextMenu(menu, viewer);
    }

    /** The op's name with its health: icon overlay, colour and counts in the tooltip. */
    private void opColumn() {
        TreeViewerColumn column = new TreeViewerColumn(viewer, SWT.NONE);
        column.getColumn().setText("Op");
        column.getColumn().setWidth(230);
        column.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object element) {
                ScopeTree node = (ScopeTree) element;
                return node.name() + (node.op() == null ? "  (" + node.opCount() + ")" : "");
            }

            @Override
            public Image getImage(Object element) {
                return health.image((ScopeTree) element);
            }

            @Override
            public Color getForeground(Object element) {
                return health.foreground((ScopeTree) element);
            }

            @Override
            public String getToolTipText(Object element) {
                return health.tooltip((ScopeTree) element);
            }
        });
    }

    private void column(String title, int width, java.util.function.Function<ScopeTree, String> text) {
        TreeViewerColumn column = new TreeViewerColumn(viewer, SWT.NONE);
        column.getColumn().setText(title);
        column.getColumn().setWidth(width);
        column.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object element) {
                return text.apply((ScopeTree) element);
            }
        });
    }

    /** "NaN 3, +Inf 2" for an op whose output is not finite after the last run. */
    String badge(ScopeTree node) {
        if (node.op() == null) {
            return "";
        }
        return runState().outcome().flatMap(o -> o.trace().row(node.op().name())).map(row -> {
            if (row.isFinite()) {
                return "ok";
            }
            StringBuilder text = new StringBuilder();
            if (row.nanCount() != 0) {
                text.append("NaN ").append(TensorHealth.countText(row.nanCount()));
            }
            if (row.posInfCount() != 0) {
                text.append(text.length() > 0 ? ", " : "").append("+Inf ").append(TensorHealth.countText(row.posInfCount()));
            }
            if (row.negInfCount() != 0) {
                text.append(text.length() > 0 ? ", " : "").append("-Inf ").append(TensorHealth.countText(row.negInfCount()));
            }
            return text.toString();
        }).orElse("");
    }

    @Override
    protected boolean selectionFollowsFocus() {
        return followed;
    }

    @Override
    protected void refresh() {
        RunState session = runState();
        boolean newRun = health.update(session.outcome());
        if (session.graph().orElse(null) != shownGraph) {
            rebuild(session);
        } else if (newRun) {
            // the labels show the run's health: a step changes none of them
            viewer.refresh(true);
        }
        follow();
    }

    /**
     * Selects the op in focus in the tree: at once after a pause, else once the interval since the
     * last time has passed. Stepping faster than that (F6 held down), each step selected, expanded
     * and scrolled the tree and GTK repainted it: about a tenth of a step's work on the UI thread.
     */
    private void follow() {
        long now = System.currentTimeMillis();
        if (now >= nextFollow) {
            nextFollow = now + followIntervalMillis;
            focus().focusOp().ifPresent(this::reveal);
        } else if (!followPending) {
            followPending = true;
            viewer.getControl().getDisplay().timerExec((int) (nextFollow - now), () -> {
                followPending = false;
                if (!isDisposed() && hasContent()) {
                    follow();
                }
            });
        }
    }

    private void rebuild(RunState session) {
        shownGraph = session.graph().orElse(null);
        if (shownGraph == null) {
            return;
        }
        String text = filter.getText().trim().toLowerCase(Locale.ROOT);
        viewer.setInput(ScopeTree.of(shownGraph, op -> text.isEmpty()
                || op.name().toLowerCase(Locale.ROOT).contains(text) || op.type().toLowerCase(Locale.ROOT).contains(text)));
        if (!text.isEmpty()) {
            viewer.expandAll();
        }
    }

    private void reveal(String opName) {
        if (!(viewer.getInput() instanceof ScopeTree tree)) {
            return;
        }
        List<ScopeTree> path = new ArrayList<>();
        if (!find(tree, opName, path)) {
            // the filter hides the op in focus: the tree must not go on showing the op the focus has left
            if (!viewer.getSelection().isEmpty()) {
                select(StructuredSelection.EMPTY);
            }
            return;
        }
        if (viewer.getStructuredSelection().getFirstElement() != path.get(path.size() - 1)) {
            select(new TreeSelection(new TreePath(path.toArray())));
        }
    }

    /** Selects what follows the focus: the op already has it, and the views following the selection leave it. */
    private void select(ISelection selection) {
        revealing = true;
        try {
            viewer.setSelection(selection, true);
        } finally {
            revealing = false;
        }
    }

    /** Fills the path from a top-level node to the op's node; false when the op is filtered out. */
    private static boolean find(ScopeTree node, String opName, List<ScopeTree> path) {
        for (ScopeTree child : node.children()) {
            if (child.op() != null && child.op().name().equals(opName)) {
                path.add(child);
                return true;
            }
            if (opName.startsWith(child.path() + "/")) {
                path.add(child);
                if (find(child, opName, path)) {
                    return true;
                }
                path.remove(path.size() - 1);
            }
        }
        return false;
    }

    /** The selected op's name, null when a scope or nothing is selected. */
    public String getSelectedOpName() {
        if (viewer == null) {
            return null;
        }
        Object first = viewer.getStructuredSelection().getFirstElement();
        return first instanceof ScopeTree node && node.op() != null ? node.op().name() : null;
    }

    private static final class ScopeContentProvider implements ITreeContentProvider {
        @Override
        public Object[] getElements(Object input) {
            return ((ScopeTree) input).children().toArray();
        }

        @Override
        public Object[] getChildren(Object parent) {
            return ((ScopeTree) parent).children().toArray();
        }

        @Override
        public Object getParent(Object element) {
            return null;
        }

        @Override
        public boolean hasChildren(Object element) {
            return ((ScopeTree) element).hasChildren();
        }
    }
}
