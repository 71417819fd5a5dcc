package org.tensorscope.ui.internal.handlers;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.tensorscope.ui.internal.session.SteppingFocus;

/**
 * Run > Run to Selected Op (Ctrl+R).
 */
public class RunToSelectedHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) throws ExecutionException {
        ContextServices.of(event, SteppingFocus.class).runToSelected();
        return null;
    }
}
