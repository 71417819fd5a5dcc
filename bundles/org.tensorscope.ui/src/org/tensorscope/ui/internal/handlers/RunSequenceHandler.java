package org.tensorscope.ui.internal.handlers;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.handlers.HandlerUtil;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.Signature;
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
        DebugSession session = DebugSession.get();
        Shell shell = HandlerUtil.getActiveShellChecked(event);
        if (session.graph().isEmpty()) {
            MessageDialog.openInformation(shell, "Run Sequence", "Open a model first (File > Open Model…).");
            return null;
        }
        ModelGraph graph = session.graph().get();
        Signature signature;
        try {
            signature = DebugSession.signatureOf(graph, session.configuration());
        } catch (IllegalArgumentException e) {
            MessageDialog.openError(shell, "Run Sequence", e.getMessage());
            return null;
        }
        RunSequenceDialog dialog = new RunSequenceDialog(shell, graph.source().getFileName().toString(), signature,
                SequenceSession.get().settings(), settings -> SequenceSession.problemOf(signature, settings));
        if (dialog.open() == Window.OK && SideEffectConsent.allowed(shell, graph)) {
            SequenceSession.get().run(dialog.result());
            try {
                HandlerUtil.getActiveWorkbenchWindowChecked(event).getActivePage().showView(TensorscopeViews.SEQUENCE);
            } catch (PartInitException e) {
                throw new ExecutionException("The Sequence view cannot open", e);
            }
        }
        return null;
    }
}
