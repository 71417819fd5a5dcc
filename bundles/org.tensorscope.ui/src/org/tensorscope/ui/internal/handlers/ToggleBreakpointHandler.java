package org.tensorscope.ui.internal.handlers;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.tensorscope.ui.internal.session.Breakpoints;
import org.tensorscope.ui.internal.session.SteppingFocus;

/**
 * Run > Toggle Breakpoint (Ctrl+Shift+B): a breakpoint on the op in focus, or none any more.
 */
public class ToggleBreakpointHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) throws ExecutionException {
        ContextServices.of(event, SteppingFocus.class).focusOp().ifPresent(ContextServices.of(event, Breakpoints.class)::toggle);
        return null;
    }
}
