package org.tensorscope.core.internal.worker;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * One message between Tensorscope and its inference worker: a type, then a length-prefixed body,
 * so either side can read a whole message without understanding it. A frame's large tensors may
 * travel beside it in a {@link SharedArea}; its body then holds where they are.
 *
 * @param tensors the area the body's shared tensors are in, or null if it has none
 */
record Frame(int type, byte[] body, SharedArea tensors) {

    // requests, Tensorscope to worker
    static final int LOAD = 1;
    static final int BACKENDS = 2;
    static final int DESCRIBE = 3;
    static final int OPEN = 4;
    static final int FETCH = 5;
    static final int HEALTH = 6;
    static final int REWRITES = 7;
    static final int CLOSE_SESSION = 8;
    static final int CLOSE_MODEL = 9;
    static final int CANCEL = 10;
    static final int FETCH_TRACED = 11;

    // replies, worker to Tensorscope
    static final int OK = 100;
    static final int ERROR = 101;
    static final int PROGRESS = 102;

    /** Not sent: what the reading side queues when the stream ends. */
    static final int END = -1;

    Frame(int type, byte[] body) {
        this(type, body, null);
    }

    Input reader() {
        return new Input(new ByteArrayInputStream(body), tensors);
    }

    /** Reads a frame whose shared tensors, if any, are in the given area. */
    static Frame read(DataInputStream in, SharedArea tensors) throws IOException {
        int type = in.readInt();
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("broken worker stream (frame length " + length + ")");
        }
        byte[] body = new byte[length];
        in.readFully(body);
        return new Frame(type, body, tensors);
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(type);
        out.writeInt(body.length);
        out.write(body);
        out.flush();
    }

    /** Writes a body with the given writer; all its tensors go into the body. */
    static Frame of(int type, Body body) throws IOException {
        return of(type, null, body);
    }

    /**
     * Writes a body with the given writer, putting large tensors into the area (when not null): the
     * tensors of the frame before are overwritten, so it must have been read.
     */
    static Frame of(int type, SharedArea tensors, Body body) throws IOException {
        if (tensors != null) {
            tensors.reset();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        Output out = new Output(bytes, tensors);
        body.write(out);
        out.flush();
        return new Frame(type, bytes.toByteArray());
    }

    /** A body being written, and where its large tensors may go. */
    static final class Output extends DataOutputStream {

        private final SharedArea tensors;

        Output(OutputStream out, SharedArea tensors) {
            super(out);
            this.tensors = tensors;
        }

        SharedArea tensors() {
            return tensors;
        }
    }

    /** A body being read, and where its shared tensors are. */
    static final class Input extends DataInputStream {

        private final SharedArea tensors;
        private boolean started;

        Input(InputStream in, SharedArea tensors) {
            super(in);
            this.tensors = tensors;
        }

        SharedArea tensors() {
            return tensors;
        }

        /** A shared tensor's bytes; the first one of a frame tells the area a new frame is read. */
        ByteBuffer take(long offset, int length, long write) throws IOException {
            if (!started) {
                tensors.startReading();
                started = true;
            }
            return tensors.take(offset, length, write);
        }
    }

    @FunctionalInterface
    interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    @FunctionalInterface
    interface Reply<T> {
        T read(DataInputStream in) throws IOException;
    }
}
