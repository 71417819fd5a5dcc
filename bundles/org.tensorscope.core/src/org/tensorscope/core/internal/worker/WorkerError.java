package org.tensorscope.core.internal.worker;

/** Why a worker request failed, as its error reply says. */
enum WorkerError {
    /** The model could not be loaded; carries the file. */
    LOAD,
    /** The backend refused or failed. */
    BACKEND,
    /** The request was cancelled. */
    CANCELED,
    /** A wrong argument, e.g. a tensor name the model lacks. */
    ARGUMENT,
    /** The worker ran out of memory or stack; it restarts after replying. */
    RESOURCES,
    /** The worker ended (crashed, was killed, or could not start); the next request starts a new one. */
    ENDED
}
