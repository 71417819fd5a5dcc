package org.tensorscope.cli.internal;

import java.io.IOException;
import java.io.PrintWriter;

import org.eclipse.core.runtime.IProgressMonitor;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.Contributions;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.service.ModelLoadException;

/**
 * What {@code run} and {@code trace} set up before running: the model, its signature, the
 * checked inputs and a session on the device asked for. Closing it frees the session and model.
 */
final class PreparedRun implements AutoCloseable {

    final LoadedModel model;
    final Signature signature;
    final PreparedInputs inputs;
    final InferenceSession session;

    private PreparedRun(LoadedModel model, Signature signature, PreparedInputs inputs, InferenceSession session) {
        this.model = model;
        this.signature = signature;
        this.inputs = inputs;
        this.session = session;
    }

    static PreparedRun prepare(Contributions contributions, ModelOptionsMixin options, PrintWriter err,
            IProgressMonitor loading) throws ModelLoadException, BackendException, IOException {
        LoadedModel model = contributions.open(options.model, loading);
        try {
            options.checkSideEffects(model.graph());
            Signature signature = options.signature(model.graph());
            PreparedInputs inputs;
            try {
                inputs = PreparedInputs.prepare(signature, options.inputs, options.shapes);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(model.graph().source() + ": " + e.getMessage(), e);
            }
            inputs.health().forEach(h -> h.problems().forEach(p -> err.println("warning: " + p)));
            InferenceSession session = contributions.backendFor(model).open(model, options.device());
            if (!session.deviceNote().isEmpty()) {
                err.println(session.deviceNote());
            }
            return new PreparedRun(model, signature, inputs, session);
        } catch (ModelLoadException | BackendException | IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** A failed run's error with the inputs whose shapes were guessed, since a guess is a likely cause. */
    BackendException withShapeNotes(BackendException e) {
        if (inputs.shapeNotes().isEmpty()) {
            return e;
        }
        return new BackendException(e.getMessage() + " (" + String.join("; ", inputs.shapeNotes()) + ")", e);
    }

    ModelGraph graph() {
        return model.graph();
    }

    @Override
    public void close() {
        session.close();
        model.close();
    }
}
