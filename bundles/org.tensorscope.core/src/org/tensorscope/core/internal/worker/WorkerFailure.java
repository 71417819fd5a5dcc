package org.tensorscope.core.internal.worker;

import java.nio.file.Path;

/** A worker request that failed: the worker's error reply, or the worker ending. */
final class WorkerFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final WorkerError kind;
    private final Path file;

    WorkerFailure(WorkerError kind, String message, Path file) {
        super(message);
        this.kind = kind;
        this.file = file;
    }

    WorkerError kind() {
        return kind;
    }

    /** The file a load failure names, or null. */
    Path file() {
        return file;
    }
}
