package org.tensorscope.ui.internal.handlers;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.tensorscope.ui.internal.session.DebugSession;

/**
 * Run > Run to Selected Op (Ctrl+R).
 */
public class RunToSelectedHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        DebugSession.get().runToSelected();
        return null;
    }
}
