package org.tensorscope.core.internal.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A worker's JVM that crashes prints a banner of '#' lines to its console: the user's terminal gets the one-line
 * message naming the worker's end instead, which says where the crash report is.
 */
class WorkerConsoleTest {

    /** The banner as HotSpot (JDK 25) prints it, between two lines of the worker's own. */
    private static final String CRASH = """
            2026-12-03 06:41:02.123 I tensorflow/core/util/port.cc:153] oneDNN custom operations are on.
            #
            # A fatal error has been detected by the Java Runtime Environment:
            #
            #  SIGSEGV (0xb) at pc=0x00007f3c2b1e0b4d, pid=4242, tid=4260
            #
            # JRE version: OpenJDK Runtime Environment Temurin-25+36 (25.0+36) (build 25+36-LTS)
            # Problematic frame:
            # C  [libtensorflow_framework.so.2+0x1e0b4d]
            #
            # An error report file with more information is saved as:
            # /tmp/tensorscope-worker-crash-4242.log
            #
            # If you would like to submit a bug report, please visit:
            #   https://github.com/adoptium/adoptium-support/issues
            #
            [error occurred during error reporting (), id 0xb]
            """;

    @Test
    void aCrashBannerIsKeptButNotShown() throws Exception {
        Deque<String> kept = new ArrayDeque<>();
        String shown = passOn(CRASH, kept);
        assertEquals("""
                2026-12-03 06:41:02.123 I tensorflow/core/util/port.cc:153] oneDNN custom operations are on.
                [error occurred during error reporting (), id 0xb]
                """, shown);
        assertEquals("; it said: SIGSEGV (0xb) at pc=0x00007f3c2b1e0b4d, pid=4242, tid=4260 (its crash report:"
                + " /tmp/tensorscope-worker-crash-4242.log)", WorkerProcess.ExitText.reason(List.copyOf(kept)));
    }

    @Test
    void otherLinesStartingWithAHashAreShown() throws Exception {
        String lines = "#\n# not a crash\n#\n";
        assertEquals(lines, passOn(lines, new ArrayDeque<>()));
        assertEquals("model loaded\n#\n", passOn("model loaded\n#\n", new ArrayDeque<>()));
    }

    @Test
    void theAotCachesNoteIsNeitherShownNorKept() throws Exception {
        Deque<String> kept = new ArrayDeque<>();
        assertEquals("ready\n", passOn("AOTConfiguration recorded: /tmp/x.aotconf\nready\n", kept));
        assertEquals(List.of("ready"), List.copyOf(kept));
    }

    private static String passOn(String console, Deque<String> kept) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream to = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            WorkerConsole.passOn(new BufferedReader(new StringReader(console)), to, kept);
        }
        return out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }
}
