package org.tensorscope.ui.internal.handlers;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.tensorscope.ui.internal.session.DebugSession;

/**
 * Run > Re-run (Ctrl+Shift+F11): the same configuration and edited values again, staying on the
 * op in focus.
 */
public class RerunHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        DebugSession.get().rerun();
        return null;
    }
}
