package org.tensorscope.ui.internal.session;

import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;

/**
 * The inference session the jobs on the open model share, one per model and device. Jobs ask for
 * it when they start, not when they are scheduled, so that a job queued behind another (a Run
 * behind the warm-up) takes the session that one opened. Any thread.
 */
final class ModelSessions {

    private LoadedModel model;
    private InferenceSession session;
    private Device device;

    /** A model opened: sessions are kept for it from now on. */
    synchronized void open(LoadedModel opened) {
        model = opened;
    }

    /** The model closed: its session, to close, or null. */
    synchronized InferenceSession close() {
        InferenceSession old = session;
        model = null;
        session = null;
        device = null;
        return old;
    }

    /** The session to run the model on that device with, null when a job has to open one. */
    synchronized InferenceSession reusable(LoadedModel on, Device onDevice) {
        return on == model && onDevice == device ? session : null;
    }

    /**
     * A job opened a session: the next jobs use it unless the model closed or a session on that
     * device came first. Returns the session no longer used (to close), or null.
     */
    synchronized InferenceSession offer(LoadedModel on, InferenceSession opened, Device onDevice) {
        if (on != model || (session != null && device == onDevice)) {
            return opened;
        }
        return replace(opened, onDevice);
    }

    /** A run landed: its session is the one the next jobs use. Returns the one it replaced (to close), or null. */
    synchronized InferenceSession use(LoadedModel on, InferenceSession ran, Device onDevice) {
        if (on != model) {
            return session == ran ? null : ran;
        }
        return replace(ran, onDevice);
    }

    private InferenceSession replace(InferenceSession next, Device nextDevice) {
        InferenceSession old = session;
        session = next;
        device = nextDevice;
        return old == next ? null : old;
    }
}
