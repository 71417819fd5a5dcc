package org.tensorscope.ui.internal.handlers;

import java.nio.file.Path;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.handlers.HandlerUtil;
import org.tensorscope.ui.internal.session.DebugSession;

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
            dialog.setMessage("Choose the folder holding saved_model.pb");
            chosen = dialog.open();
        } else {
            FileDialog dialog = new FileDialog(shell, SWT.OPEN);
            dialog.setText("Open Model");
            dialog.setFilterExtensions(new String[] { "*.json;*.pb;*.pbtxt", "*.*" });
            dialog.setFilterNames(new String[] { "Models (model.json, *.pb, *.pbtxt, saved_model.pb)", "All files" });
            chosen = dialog.open();
        }
        if (chosen != null) {
            DebugSession.get().open(Path.of(chosen), null, false);
        }
        return null;
    }
}
