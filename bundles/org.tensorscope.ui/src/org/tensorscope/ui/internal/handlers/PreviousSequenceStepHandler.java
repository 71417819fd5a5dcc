package org.tensorscope.ui.internal.handlers;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.tensorscope.ui.internal.session.SequenceSession;

/**
 * Run > Previous Sequence Step (Alt+Shift+F6): the previous step of the sequence becomes the current run.
 */
public class PreviousSequenceStepHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) throws ExecutionException {
        ContextServices.of(event, SequenceSession.class).previous();
        return null;
    }
}
