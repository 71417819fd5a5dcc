package org.tensorscope.ui.internal.handlers;

import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.handlers.HandlerUtil;
import org.tensorscope.ui.internal.session.DebugSession;
import org.tensorscope.ui.internal.session.UiContributions;

/**
 * File > Open Model…: a model file, or (parameter "folder") a SavedModel folder.
 */
public class OpenModelHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) throws ExecutionException {
        Shell shell = HandlerUtil.getActiveShellChecked(event);
        String chosen;
        if ("true".equals(event.getParameter("org.tensorscope.ui.commands.openModel.folder"))) {
            DirectoryDialog dialog = new DirectoryDialog(shell);
            dialog.setText("Open SavedModel Folder");
            dialog.setMessage("Choose the folder holding saved_model.pb (a SavedModel) or tensorflowjs_model.pb (a TF.js"
                    + " model of converter 0.x)");
            chosen = dialog.open();
        } else {
            FileDialog dialog = new FileDialog(shell, SWT.OPEN);
            dialog.setText("Open Model");
            // the installed loaders say which files they read, so an extension's format is offered too
            List<String> patterns = ContextServices.of(event, UiContributions.class).contributions().filePatterns();
            if (patterns.isEmpty()) {
                dialog.setFilterExtensions(new String[] { "*.*" });
                dialog.setFilterNames(new String[] { "All files" });
            } else {
                dialog.setFilterExtensions(new String[] { String.join(";", patterns), "*.*" });
                dialog.setFilterNames(new String[] { "Models (" + String.join(", ", patterns) + ")", "All files" });
            }
            chosen = dialog.open();
        }
        if (chosen != null) {
            ContextServices.of(event, DebugSession.class).open(Path.of(chosen), null, false);
        }
        return null;
    }
}
