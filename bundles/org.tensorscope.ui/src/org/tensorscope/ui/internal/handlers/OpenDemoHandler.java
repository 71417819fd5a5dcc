package org.tensorscope.ui.internal.handlers;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.tensorscope.ui.internal.session.Demo;
import org.tensorscope.ui.internal.session.DebugSession;

/**
 * Help > Open Demo: the hand-pose model fed a frame whose preprocessing went wrong.
 */
public class OpenDemoHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) throws ExecutionException {
        Demo.open(ContextServices.of(event, DebugSession.class));
        return null;
    }
}
