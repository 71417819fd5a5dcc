package org.tensorscope.ui.internal.handlers;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.tensorscope.ui.internal.session.SequenceSession;

/**
 * Run > Next Sequence Step (Alt+F6): the next step of the sequence becomes the current run.
 */
public class NextSequenceStepHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) throws ExecutionException {
        ContextServices.of(event, SequenceSession.class).next();
        return null;
    }
}
