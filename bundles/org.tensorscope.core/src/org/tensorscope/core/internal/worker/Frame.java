package org.tensorscope.core.internal.worker;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * One message between Tensorscope and its inference worker: a type, then a length-prefixed body,
 * so either side can read a whole message without understanding it.
 */
record Frame(int type, byte[] body) {

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

    // replies, worker to Tensorscope
    static final int OK = 100;
    static final int ERROR = 101;
    static final int PROGRESS = 102;

    /** Not sent: what the reading side queues when the stream ends. */
    static final int END = -1;

    DataInputStream reader() {
        return new DataInputStream(new ByteArrayInputStream(body));
    }

    static Frame read(DataInputStream in) throws IOException {
        int type = in.readInt();
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("broken worker stream (frame length " + length + ")");
        }
        byte[] body = new byte[length];
        in.readFully(body);
        return new Frame(type, body);
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(type);
        out.writeInt(body.length);
        out.write(body);
        out.flush();
    }

    /** Writes a body with the given writer. */
    static Frame of(int type, Body body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        body.write(out);
        out.flush();
        return new Frame(type, bytes.toByteArray());
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
