package org.tensorscope.ui.internal.handlers;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.tensorscope.ui.internal.session.DebugSession;

/**
 * Run > Step Back (Shift+F6).
 */
public class StepBackHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        DebugSession.get().previous();
        return null;
    }
}
