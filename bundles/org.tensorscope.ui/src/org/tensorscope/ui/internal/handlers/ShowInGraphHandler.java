package org.tensorscope.ui.internal.handlers;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.handlers.HandlerUtil;
import org.tensorscope.ui.TensorscopeViews;
import org.tensorscope.ui.internal.views.GraphView;
import org.tensorscope.ui.internal.session.SteppingFocus;

/**
 * Run > Show in Graph (Alt+Shift+G): the Graph view opens the scopes around the op in focus and
 * centres on it.
 */
public class ShowInGraphHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) throws ExecutionException {
        String op = ContextServices.of(event, SteppingFocus.class).focusOp().orElse(null);
        if (op == null) {
            return null;
        }
        try {
            GraphView graph = (GraphView) HandlerUtil.getActiveWorkbenchWindowChecked(event).getActivePage()
                    .showView(TensorscopeViews.GRAPH);
            graph.reveal(op);
        } catch (PartInitException e) {
            throw new ExecutionException("The Graph view could not open: " + e.getMessage(), e);
        }
        return null;
    }
}
