package org.tensorscope.ui.internal.handlers;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.handlers.HandlerUtil;
import org.tensorscope.ui.TensorscopeViews;
import org.tensorscope.ui.internal.session.ComparisonSession;
import org.tensorscope.ui.internal.session.DebugSession;
import org.tensorscope.ui.internal.session.UiContributions;

/**
 * Run > Compare With…: compares the open model's run with another model's or with a run on other
 * inputs, in the background, and opens the Compare view.
 */
public class CompareWithHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) throws ExecutionException {
        Shell shell = HandlerUtil.getActiveShellChecked(event);
        CurrentModel model = CurrentModel.orTell(ContextServices.of(event, DebugSession.class), shell, "Compare With");
        if (model == null) {
            return null;
        }
        CompareWithDialog dialog = new CompareWithDialog(shell, ContextServices.of(event, UiContributions.class).contributions().filePatterns(), model.fileName(), model.signature(),
                ContextServices.of(event, DebugSession.class).configuration().inputSources());
        if (dialog.open() != Window.OK || !ContextServices.of(event, SideEffectConsent.class).allowed(shell, model.graph())) {
            return null;
        }
        CompareWithDialog.Choice choice = dialog.result();
        if (choice.otherModel() != null) {
            ContextServices.of(event, ComparisonSession.class).compareWithModel(choice.otherModel(), choice.tolerance());
        } else {
            ContextServices.of(event, ComparisonSession.class).compareWithInputs(choice.otherInputs(), choice.tolerance());
        }
        try {
            HandlerUtil.getActiveWorkbenchWindowChecked(event).getActivePage().showView(TensorscopeViews.COMPARE);
        } catch (PartInitException e) {
            throw new ExecutionException("The Compare view cannot open", e);
        }
        return null;
    }
}
