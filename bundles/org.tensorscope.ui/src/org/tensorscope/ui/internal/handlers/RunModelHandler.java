package org.tensorscope.ui.internal.handlers;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.ui.handlers.HandlerUtil;
import org.tensorscope.ui.internal.session.DebugSession;

/**
 * Run > Run: runs the open model with the NaN trace (Ctrl+F11).
 */
public class RunModelHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) throws ExecutionException {
        DebugSession session = ContextServices.of(event, DebugSession.class);
        if (session.graph().isPresent()
                && ContextServices.of(event, SideEffectConsent.class).allowed(HandlerUtil.getActiveShellChecked(event), session.graph().get())) {
            session.run();
        }
        return null;
    }
}
