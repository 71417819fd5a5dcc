package org.tensorscope.cli.internal;

import java.io.PrintWriter;
import java.nio.file.Path;

import org.eclipse.core.runtime.IProgressMonitor;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.Contributions;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.service.ModelLoadException;

/**
 * A model opened in a session without preparing inputs: the second model of {@code compare}, and
 * both models of a weights-only comparison. Closing it frees the session and the model.
 */
final class OpenedModel implements AutoCloseable {

    final LoadedModel model;
    final InferenceSession session;

    private OpenedModel(LoadedModel model, InferenceSession session) {
        this.model = model;
        this.session = session;
    }

    static OpenedModel open(Contributions contributions, Path path, ModelOptionsMixin options, PrintWriter err,
            IProgressMonitor monitor) throws ModelLoadException, BackendException {
        LoadedModel model = contributions.open(path, monitor);
        try {
            options.checkSideEffects(model.graph());
            InferenceSession session = contributions.backendFor(model).open(model, options.device());
            if (!session.deviceNote().isEmpty()) {
                err.println(session.deviceNote());
            }
            return new OpenedModel(model, session);
        } catch (ModelLoadException | BackendException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    @Override
    public void close() {
        session.close();
        model.close();
    }
}
