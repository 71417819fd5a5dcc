package org.tensorscope.ui.internal.handlers;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.tensorscope.ui.internal.session.DebugSession;

/**
 * Run > Run: runs the open model with the NaN trace (Ctrl+F11).
 */
public class RunModelHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        DebugSession.get().run();
        return null;
    }
}
