package org.tensorscope.ui.internal;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.ui.handlers.HandlerUtil;
import org.tensorscope.ui.internal.session.UiContributions;

/**
 * Help > About Tensorscope.
 */
public class AboutHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) throws ExecutionException {
        new AboutTensorscopeDialog(HandlerUtil.getActiveShellChecked(event),
                HandlerUtil.getActiveWorkbenchWindowChecked(event).getService(UiContributions.class)).open();
        return null;
    }
}
