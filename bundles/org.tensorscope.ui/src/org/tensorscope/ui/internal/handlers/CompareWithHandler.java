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
import org.tensorscope.ui.internal.session.ComparisonSession;
import org.tensorscope.ui.internal.session.DebugSession;

/**
 * Run > Compare With…: compares the open model's run with another model's or with a run on other
 * inputs, in the background, and opens the Compare view.
 */
public class CompareWithHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) throws ExecutionException {
        DebugSession session = DebugSession.get();
        Shell shell = HandlerUtil.getActiveShellChecked(event);
        if (session.graph().isEmpty()) {
            MessageDialog.openInformation(shell, "Compare With", "Open a model first (File > Open Model…).");
            return null;
        }
        ModelGraph graph = session.graph().get();
        Signature signature;
        try {
            signature = DebugSession.signatureOf(graph, session.configuration());
        } catch (IllegalArgumentException e) {
            MessageDialog.openError(shell, "Compare With", e.getMessage());
            return null;
        }
        CompareWithDialog dialog = new CompareWithDialog(shell, graph.source().getFileName().toString(), signature,
                session.configuration().inputSources());
        if (dialog.open() != Window.OK || !SideEffectConsent.allowed(shell, graph)) {
            return null;
        }
        CompareWithDialog.Choice choice = dialog.result();
        if (choice.otherModel() != null) {
            ComparisonSession.get().compareWithModel(choice.otherModel(), choice.tolerance());
        } else {
            ComparisonSession.get().compareWithInputs(choice.otherInputs(), choice.tolerance());
        }
        try {
            HandlerUtil.getActiveWorkbenchWindowChecked(event).getActivePage().showView(TensorscopeViews.COMPARE);
        } catch (PartInitException e) {
            throw new ExecutionException("The Compare view cannot open", e);
        }
        return null;
    }
}
