package org.tensorscope.core.internal.worker;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.osgi.framework.BundleContext;

/**
 * One running worker JVM and its connection: frames go out on the socket, replies come back
 * through a queue filled by a reading thread, and the worker's console output is passed on to
 * ours while its last lines are kept to explain a crash.
 */
final class WorkerProcess implements AutoCloseable {

    private static final long START_TIMEOUT_MILLIS = 60_000;
    private static final int KEPT_LINES = 40;
    private static final Pattern FATAL_LINE = Pattern.compile("^F\\d{4} [0-9:.]+ +\\d+ [^ ]+:\\d+\\] (.*)$");

    private final Process process;
    private final Path area;
    private final Socket socket;
    private final DataOutputStream out;
    private final BlockingQueue<Frame> replies = new LinkedBlockingQueue<>();
    private final Deque<String> lastLines;

    private WorkerProcess(Process process, Path area, Socket socket, Deque<String> lastLines) throws IOException {
        this.lastLines = lastLines;
        this.process = process;
        this.area = area;
        this.socket = socket;
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
        DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
        Thread reader = new Thread(() -> readReplies(in), "Tensorscope worker replies");
        reader.setDaemon(true);
        reader.start();
    }

    static WorkerProcess start(BundleContext context, WorkerPlan plan, IProgressMonitor monitor) throws IOException {
        Path area = Files.createTempDirectory("tensorscope-worker");
        String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<String> command = WorkerLaunch.prepare(context, plan, area, server.getLocalPort(), token);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Deque<String> lines = new ArrayDeque<>();
            Thread console = new Thread(() -> passOn(process, lines), "Tensorscope worker console");
            console.setDaemon(true);
            console.start();
            Socket socket = accept(server, process, token, lines, monitor);
            return new WorkerProcess(process, area, socket, lines);
        } catch (IOException | RuntimeException e) {
            deleteArea(area);
            throw e;
        }
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

    private static void passOn(Process process, Deque<String> lines) {
        PrintStream err = System.err;
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                err.println(line);
                synchronized (lines) {
                    lines.addLast(line);
                    if (lines.size() > KEPT_LINES) {
                        lines.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // the worker is gone
        }
    }

    private void readReplies(DataInputStream in) {
        try {
            while (true) {
                replies.add(Frame.read(in));
            }
        } catch (IOException e) {
            replies.add(new Frame(Frame.END, new byte[0]));
        }
    }

    synchronized void send(Frame frame) throws IOException {
        frame.write(out);
    }

    /** The next reply, or null after the timeout. */
    Frame poll(long millis) throws InterruptedException {
        return replies.poll(millis, TimeUnit.MILLISECONDS);
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
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteArea(area);
    }

    private static void deleteArea(Path area) {
        try (var files = Files.walk(area)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
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

        /** "; it said: ..." from the last fatal TensorFlow line or JVM crash line, or "". */
        static String reason(List<String> lines) {
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
    }
}
