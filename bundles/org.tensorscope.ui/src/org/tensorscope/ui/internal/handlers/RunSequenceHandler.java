package org.tensorscope.ui.internal.handlers;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.handlers.HandlerUtil;
import org.tensorscope.ui.TensorscopeViews;
import org.tensorscope.ui.internal.session.DebugSession;
import org.tensorscope.ui.internal.session.SequenceSession;

/**
 * Run > Run Sequence…: asks where the frames come from and what is fed back, then runs the
 * sequence in the background and opens the Sequence view.
 */
public class RunSequenceHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) throws ExecutionException {
        Shell shell = HandlerUtil.getActiveShellChecked(event);
        CurrentModel model = CurrentModel.orTell(ContextServices.of(event, DebugSession.class), shell, "Run Sequence");
        if (model == null) {
            return null;
        }
        RunSequenceDialog dialog = new RunSequenceDialog(shell, model.fileName(), model.signature(),
                ContextServices.of(event, SequenceSession.class).settings(), settings -> SequenceSession.problemOf(model.signature(), settings));
        if (dialog.open() == Window.OK && ContextServices.of(event, SideEffectConsent.class).allowed(shell, model.graph())) {
            ContextServices.of(event, SequenceSession.class).run(dialog.result());
            try {
                HandlerUtil.getActiveWorkbenchWindowChecked(event).getActivePage().showView(TensorscopeViews.SEQUENCE);
            } catch (PartInitException e) {
                throw new ExecutionException("The Sequence view cannot open", e);
            }
        }
        return null;
    }
}
