package org.tensorscope.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

/**
 * What a person watching the command line sees of long work: nothing in the first second, then the
 * task and how far it is, even when nothing reports progress after the first second (a model run in
 * the worker says nothing until it ends).
 */
class ConsoleProgressMonitorTest {

    private final StringWriter text = new StringWriter();
    private final PrintWriter err = new PrintWriter(text, true);

    @Test
    void workStartedInTheFirstSecondIsShownWhenItIsOver() throws InterruptedException {
        ConsoleProgressMonitor monitor = new ConsoleProgressMonitor(err, 0, true);
        monitor.beginTask("Running slow.pb", 10);
        monitor.worked(7);
        assertEquals("", printed(), "nothing in the first second");
        String shown = waitForALine();
        monitor.done();
        assertEquals("Running slow.pb... 70%" + System.lineSeparator(), shown);
    }

    @Test
    void workDoneInTheFirstSecondShowsNothing() throws InterruptedException {
        ConsoleProgressMonitor monitor = new ConsoleProgressMonitor(err, 0, true);
        monitor.beginTask("Loading quick.pb", 10);
        monitor.worked(10);
        monitor.done();
        Thread.sleep(1_500);
        assertEquals("", printed());
    }

    @Test
    void nothingIsShownWhenStderrIsNotATerminal() throws InterruptedException {
        ConsoleProgressMonitor monitor = new ConsoleProgressMonitor(err, 0, false);
        monitor.beginTask("Running slow.pb", 10);
        Thread.sleep(1_500);
        monitor.worked(5);
        assertEquals("", printed());
    }

    private String waitForALine() throws InterruptedException {
        for (int i = 0; i < 100 && printed().isEmpty(); i++) {
            Thread.sleep(50);
        }
        return printed();
    }

    private String printed() {
        return text.toString();
    }
}
