package org.tensorscope.onnx.internal.run;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.tensorscope.core.service.BackendException;
import org.tensorscope.onnx.internal.OnnxModel;
import org.tensorscope.onnx.internal.OnnxRuntimeEnvironment;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;

/**
 * The ONNX Runtime sessions of one model: the model as written (every value an output) and, kept
 * for the next runs, a few rewritten with the If branches an input takes inlined and their loop
 * bodies returning every iteration's values.
 */
final class InlinedSessions implements AutoCloseable {

    /** Rewritten models kept open besides the model as written: each holds the weights once more. */
    private static final int MAX_KEPT = 3;
    private static final String LOOPS_NOT_RETURNED = "ONNX Runtime returns only a loop's final values";

    /** A rewritten model, the session running it and what each value it returns takes. */
    record Session(InlinedModel model, OrtSession session, ReturnedSizes sizes) {
    }

    private final OnnxModel model;
    private final OrtEnvironment env;
    private final boolean cuda;
    private final boolean hasLoops;
    private final Session asWritten;
    /** Least recently used first. */
    private final Map<String, Session> kept = new LinkedHashMap<>(16, 0.75f, true);
    private String loopsNotReturned;

    /**
     * @param hasLoops whether the model holds a Loop or Scan anywhere
     */
    InlinedSessions(OnnxModel model, OrtEnvironment env, boolean cuda, boolean hasLoops) throws BackendException {
        this.model = model;
        this.env = env;
        this.cuda = cuda;
        this.hasLoops = hasLoops;
        this.asWritten = open(Map.of());
    }

    /** The model as written, every value of its main graph an output. */
    Session asWritten() {
        return asWritten;
    }

    /**
     * The model with these branches inlined and, unless that failed before, its loop bodies
     * returning every iteration's values.
     */
    Session checking(Map<String, Boolean> choices) throws BackendException {
        if (hasLoops && loopsNotReturned == null) {
            try {
                return open(choices, true);
            } catch (LoopsNotReturned e) {
                loopsNotReturned = e.reason();
            }
        }
        return open(choices);
    }

    /** From now on, run loops as written: returning their bodies' values failed for this reason. */
    void loopsNotReturned(LoopsNotReturned e) {
        loopsNotReturned = e.reason();
    }

    /** The model with these branches inlined, its loops as written. */
    Session open(Map<String, Boolean> choices) throws BackendException {
        try {
            return open(choices, false);
        } catch (LoopsNotReturned e) {
            throw new IllegalStateException("a model with its loops as written failed as if they were rewritten", e);
        }
    }

    private Session open(Map<String, Boolean> choices, boolean returnLoops) throws BackendException, LoopsNotReturned {
        String key = (returnLoops ? "loops;" : loopsNotReturned == null ? "" : "noloops;") + new java.util.TreeMap<>(choices);
        Session found = key.equals("{}") && asWritten != null ? asWritten : kept.get(key);
        if (found != null) {
            return found;
        }
        InlinedModel inlined;
        try {
            inlined = SubgraphInliner.inline(model, choices, returnLoops,
                    loopsNotReturned == null ? LOOPS_NOT_RETURNED : loopsNotReturned);
        } catch (IOException e) {
            throw new BackendException("Cannot prepare " + model.graph().source() + " for "
                    + OnnxRuntimeEnvironment.FRAMEWORK + ": " + e.getMessage(), e);
        }
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // every op runs as written, so each tensor Tensorscope shows is the one the file names
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            if (cuda) {
                options.addCUDA(0);
            }
            session = env.createSession(inlined.bytes(), options);
        } catch (OrtException e) {
            if (returnLoops) {
                throw new LoopsNotReturned(e);
            }
            throw new BackendException(OnnxRuntimeEnvironment.FRAMEWORK + " cannot open " + model.graph().source()
                    + (choices.isEmpty() ? "" : " with the If branches taken for this input inlined") + ": "
                    + OnnxRuntimeEnvironment.firstLine(e), e);
        }
        Session opened = new Session(inlined.withoutBytes(), session, new ReturnedSizes(session));
        if (!key.equals("{}")) {
            kept.put(key, opened);
            if (kept.size() > MAX_KEPT) {
                var eldest = kept.entrySet().iterator().next();
                kept.remove(eldest.getKey());
                closeQuietly(eldest.getValue().session());
            }
        }
        return opened;
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // closing frees native memory; a failure leaves nothing to do
        }
    }

    @Override
    public void close() {
        kept.values().forEach(s -> closeQuietly(s.session()));
        kept.clear();
        try {
            asWritten.session().close();
        } catch (OrtException e) {
            throw new IllegalStateException(OnnxRuntimeEnvironment.FRAMEWORK + " could not close the session of "
                    + model.graph().source() + ": " + OnnxRuntimeEnvironment.firstLine(e), e);
        }
    }
}
