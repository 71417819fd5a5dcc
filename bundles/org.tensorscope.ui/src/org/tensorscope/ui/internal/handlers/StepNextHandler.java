package org.tensorscope.ui.internal.handlers;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.tensorscope.ui.internal.session.SteppingFocus;

/**
 * Run > Step to Next Op (F6).
 */
public class StepNextHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) throws ExecutionException {
        ContextServices.of(event, SteppingFocus.class).next();
        return null;
    }
}
