package org.tensorscope.core.internal.worker;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Deque;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.osgi.framework.BundleContext;

/**
 * One running worker JVM and its connection: frames go out on the socket and replies are read
 * from it by the thread that waits for them (no hand-over between threads), large tensors travel
 * in two shared areas beside the socket, and the worker's console output is passed on to ours
 * while its last lines are kept to explain a crash.
 */
final class WorkerProcess implements AutoCloseable {

    private static final long START_TIMEOUT_MILLIS = 60_000;
    private static final Pattern FATAL_LINE = Pattern.compile("^F\\d{4} [0-9:.]+ +\\d+ [^ ]+:\\d+\\] (.*)$");

    private final Process process;
    private final Path area;
    private final Socket socket;
    private final DataOutputStream out;
    private final BufferedInputStream in;
    private final SharedAreas shared;
    private final Deque<String> lastLines;
    private final Runnable afterEnd;

    private WorkerProcess(Process process, Path area, Socket socket, SharedAreas shared, Deque<String> lastLines,
            Runnable afterEnd) throws IOException {
        this.lastLines = lastLines;
        this.afterEnd = afterEnd;
        this.process = process;
        this.area = area;
        this.socket = socket;
        this.shared = shared;
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
        this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
    }

    /** The requests' and the replies' areas, or none when tensors go through the socket. */
    private record SharedAreas(SharedArea requests, SharedArea replies) {

        /** Maps the two areas a worker was given; none if it was given none. */
        static SharedAreas open(LaunchedWorker worker) throws IOException {
            if (worker.sharedFolder() == null) {
                return null;
            }
            SharedArea requests = SharedArea.open(worker.sharedFolder().resolve(LaunchedWorker.REQUESTS_AREA));
            try {
                return new SharedAreas(requests, SharedArea.open(worker.sharedFolder().resolve(LaunchedWorker.REPLIES_AREA)));
            } catch (IOException e) {
                requests.close();
                throw e;
            }
        }

        void close() {
            requests.close();
            replies.close();
        }
    }

    /**
     * Starts a worker with the plan, or takes over the one started with the same plan before this
     * framework (see {@link EarlyWorker}), and waits for it to connect.
     */
    static WorkerProcess start(BundleContext context, WorkerPlan plan, IProgressMonitor monitor) throws IOException {
        WorkerAreas.deleteStale(Path.of(System.getProperty("java.io.tmpdir")));
        SharedArea.deleteStaleFolders();
        Properties planned = WorkerLaunch.planned(context, plan);
        EarlyWorker.save(planned);
        LaunchedWorker launched = EarlyWorker.takeLaunched();
        if (launched != null && !launched.planned().equals(planned)) {
            launched.discard(); // the installation's bundles changed since the plan was saved
            launched = null;
        }
        if (launched == null) {
            launched = LaunchedWorker.start(planned, true);
        }
        SharedAreas shared;
        try {
            shared = SharedAreas.open(launched);
        } catch (IOException e) {
            launched.discard(); // it would map areas this side cannot: one without them
            launched = LaunchedWorker.start(planned, false);
            shared = null;
        }
        return connect(launched, shared, monitor);
    }

    /** Waits for a started worker to connect; on failure stops it and deletes what it was given. */
    private static WorkerProcess connect(LaunchedWorker launched, SharedAreas shared, IProgressMonitor monitor)
            throws IOException {
        try (ServerSocket server = launched.server()) {
            Socket socket = accept(server, launched.process(), launched.token(), launched.lines(), monitor);
            socket.setSoTimeout(10_000);
            boolean mapped = socket.getInputStream().read() == 1; // the worker says whether it mapped the areas
            socket.setSoTimeout(0);
            if (!mapped && shared != null) {
                shared.close();
                shared = null;
            }
            return new WorkerProcess(launched.process(), launched.area(), socket, shared, launched.lines(), launched.afterEnd());
        } catch (IOException | RuntimeException e) {
            if (shared != null) {
                shared.close();
            }
            launched.discard();
            throw e;
        } finally {
            if (launched.sharedFolder() != null) {
                WorkerAreas.delete(launched.sharedFolder()); // both sides have mapped the areas, or never will
            }
        }
    }

    /** Where this side writes the tensors of its requests, or null. */
    SharedArea requestArea() {
        return shared == null ? null : shared.requests();
    }

    private static Socket accept(ServerSocket server, Process process, String token, Deque<String> lines,
            IProgressMonitor monitor) throws IOException {
        server.setSoTimeout(500);
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        byte[] expected = token.getBytes(StandardCharsets.US_ASCII);
        while (System.currentTimeMillis() < deadline) {
            if (monitor != null && monitor.isCanceled()) {
                process.destroyForcibly();
                throw new OperationCanceledException();
            }
            if (!process.isAlive()) {
                throw new IOException("the inference worker did not start (" + ExitText.describe(process.exitValue())
                        + ")" + ExitText.reason(snapshot(lines)));
            }
            try {
                Socket socket = server.accept();
                socket.setSoTimeout(10_000);
                byte[] received = new DataInputStream(socket.getInputStream()).readNBytes(expected.length);
                if (MessageDigest.isEqual(expected, received)) {
                    socket.setSoTimeout(0);
                    socket.setTcpNoDelay(true);
                    return socket;
                }
                socket.close(); // not our worker
            } catch (SocketTimeoutException e) {
                // not connected yet
            }
        }
        process.destroyForcibly();
        throw new IOException("the inference worker did not start within " + START_TIMEOUT_MILLIS / 1000 + " s");
    }

    private static List<String> snapshot(Deque<String> lines) {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    synchronized void send(Frame frame) throws IOException {
        frame.write(out);
    }

    /**
     * The next reply, or null if none came within the time given. Only the start of a frame is
     * waited for with a time limit, so a timeout never leaves half a frame read.
     */
    Frame next(long millis) throws IOException {
        socket.setSoTimeout((int) millis);
        try {
            in.mark(1);
            if (in.read() < 0) {
                return new Frame(Frame.END, new byte[0]);
            }
            in.reset();
        } catch (SocketTimeoutException e) {
            return null;
        } finally {
            socket.setSoTimeout(0);
        }
        return Frame.read(new DataInputStream(in), shared == null ? null : shared.replies());
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Why the worker ended, in words, once it has: its exit and the fatal message it printed, if any. */
    String endText() {
        try {
            process.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String exit = process.isAlive() ? "it stopped answering" : ExitText.describe(process.exitValue());
        return exit + ExitText.reason(lastLines());
    }

    private List<String> lastLines() {
        return snapshot(lastLines);
    }

    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            socket.close(); // the worker exits when its connection ends
            if (afterEnd != null) {
                // it is writing what it loaded for an AOT cache as it ends: not killed; what assembles
                // the cache waits for it
                afterEnd.run();
            } else if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        WorkerAreas.delete(area);
        if (shared != null) {
            shared.close();
        }
    }

    /** Words for a worker's exit. */
    static final class ExitText {

        private ExitText() {
        }

        static String describe(int code) {
            return switch (code) {
                case 134 -> "it aborted (SIGABRT)";
                case 137 -> "it was killed (SIGKILL)";
                case 139 -> "it crashed (SIGSEGV)";
                case 135 -> "it crashed (SIGBUS)";
                case 143 -> "it was terminated (SIGTERM)";
                case WorkerServer.EXIT_EXHAUSTED -> "it ran out of memory";
                default -> "it exited with code " + code;
            };
        }

        /**
         * "; it said: ..." from the last fatal TensorFlow line or JVM crash line, or "", followed by where the JVM
         * wrote its crash report, when it did.
         */
        static String reason(List<String> lines) {
            return said(lines) + crashReport(lines);
        }

        private static String said(List<String> lines) {
            for (int i = lines.size() - 1; i >= 0; i--) {
                var fatal = FATAL_LINE.matcher(lines.get(i));
                if (fatal.matches()) {
                    return "; it said: " + fatal.group(1).strip();
                }
            }
            for (String line : lines) {
                if (line.startsWith("#  SIG") || line.contains("java.lang.OutOfMemoryError")) {
                    return "; it said: " + line.replaceFirst("^#\\s*", "").strip();
                }
            }
            return "";
        }

        /** The JVM names its crash report on the line after "An error report file ... is saved as:". */
        private static String crashReport(List<String> lines) {
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).startsWith("# An error report file") && lines.get(i + 1).startsWith("#")) {
                    String file = lines.get(i + 1).replaceFirst("^#\\s*", "").strip();
                    if (!file.isEmpty()) {
                        return " (its crash report: " + file + ")";
                    }
                }
            }
            return "";
        }
    }
}
