package org.tensorscope.cli.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/** The file {@code --report} names: its ending, .json or .html, says the form the report is written in. */
final class ReportFile {

    private ReportFile() {
    }

    /** Refuses, before any model is opened, a report file whose name ends in neither .json nor .html. */
    static void check(Path report) {
        if (report != null && !report.toString().endsWith(".json") && !report.toString().endsWith(".html")) {
            throw new IllegalArgumentException("--report " + report + ": the file name must end in .json or .html");
        }
    }

    /** Writes result to report as HTML or JSON, as the file's name asks. */
    static <R> void write(Path report, R result, Function<R, String> html, Function<R, String> json)
            throws IOException {
        Files.writeString(report, (report.toString().endsWith(".html") ? html : json).apply(result));
    }
}
