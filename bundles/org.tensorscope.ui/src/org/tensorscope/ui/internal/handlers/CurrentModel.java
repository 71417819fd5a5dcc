package org.tensorscope.ui.internal.handlers;

import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Shell;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.Signature;
import org.tensorscope.ui.internal.session.DebugSession;

/** The open model and the signature its run configuration names, for a Run menu command that needs both. */
record CurrentModel(ModelGraph graph, Signature signature) {

    /**
     * The current model, or null after telling the user, in a dialog titled title, that none is open or why its
     * signature cannot be used.
     */
    static CurrentModel orTell(DebugSession session, Shell shell, String title) {
        if (session.graph().isEmpty()) {
            MessageDialog.openInformation(shell, title, "Open a model first (File > Open Model…).");
            return null;
        }
        ModelGraph graph = session.graph().get();
        try {
            return new CurrentModel(graph, DebugSession.signatureOf(graph, session.configuration()));
        } catch (IllegalArgumentException e) {
            MessageDialog.openError(shell, title, e.getMessage());
            return null;
        }
    }

    /** The model file's name, as the dialogs show it. */
    String fileName() {
        return graph.source().getFileName().toString();
    }
}
