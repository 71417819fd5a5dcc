package org.tensorscope.ui.internal.handlers;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.ui.handlers.HandlerUtil;
import org.tensorscope.ui.internal.session.DebugSession;

/**
 * Run > Re-run (Ctrl+Shift+F11): the same configuration and edited values again, staying on the
 * op in focus.
 */
public class RerunHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) throws ExecutionException {
        DebugSession session = ContextServices.of(event, DebugSession.class);
        if (session.graph().isPresent()
                && ContextServices.of(event, SideEffectConsent.class).allowed(HandlerUtil.getActiveShellChecked(event), session.graph().get())) {
            session.rerun();
        }
        return null;
    }
}
