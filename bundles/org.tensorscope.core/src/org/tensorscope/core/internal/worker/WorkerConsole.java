package org.tensorscope.core.internal.worker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Deque;

/**
 * Passes a worker's console output on to ours, keeping its last lines to explain its end. Not shown: the AOT cache's
 * note that it recorded (not kept either), and the banner the JVM prints when it crashes (twenty lines starting with
 * '#', kept), which the message naming the worker's end sums up in one line with the crash report's file.
 */
final class WorkerConsole {

    static final int KEPT_LINES = 40;
    /** The line a JVM recording for an AOT cache prints as it ends: not the worker's. */
    static final String AOT_RECORDED = "AOTConfiguration recorded: ";
    private static final String CRASH_BANNER = "# A fatal error has been detected by the Java Runtime Environment";

    private WorkerConsole() {
    }

    static void passOn(BufferedReader reader, PrintStream to, Deque<String> kept) throws IOException {
        String line;
        String held = null; // a lone '#' may open a crash banner: it waits for the next line
        boolean inBanner = false;
        while ((line = reader.readLine()) != null) {
            if (line.strip().startsWith(AOT_RECORDED) || line.startsWith("Temporary " + AOT_RECORDED)) {
                continue;
            }
            keep(kept, line);
            if (held != null) {
                inBanner = line.startsWith(CRASH_BANNER);
                if (!inBanner) {
                    to.println(held);
                }
                held = null;
            }
            if (inBanner && line.startsWith("#")) {
                continue;
            }
            inBanner = false;
            if (line.equals("#")) {
                held = line;
            } else {
                to.println(line);
            }
        }
        if (held != null) {
            to.println(held);
        }
    }

    private static void keep(Deque<String> kept, String line) {
        synchronized (kept) {
            kept.addLast(line);
            if (kept.size() > KEPT_LINES) {
                kept.removeFirst();
            }
        }
    }
}
