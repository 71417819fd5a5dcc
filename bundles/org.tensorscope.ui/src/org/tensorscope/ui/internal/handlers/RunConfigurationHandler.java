package org.tensorscope.ui.internal.handlers;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.jface.window.Window;
import org.eclipse.ui.handlers.HandlerUtil;
import org.tensorscope.ui.internal.session.DebugSession;

/**
 * Run > Run Configuration…: choose inputs, device and health mode, then run.
 */
public class RunConfigurationHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) throws ExecutionException {
        DebugSession session = ContextServices.of(event, DebugSession.class);
        if (session.graph().isEmpty()) {
            return null;
        }
        RunConfigurationDialog dialog = new RunConfigurationDialog(HandlerUtil.getActiveShellChecked(event),
                session.graph().get(), session.configuration());
        if (dialog.open() == Window.OK) {
            session.configure(dialog.result());
            if (ContextServices.of(event, SideEffectConsent.class).allowed(HandlerUtil.getActiveShellChecked(event), session.graph().get())) {
                session.run();
            }
        }
        return null;
    }
}
