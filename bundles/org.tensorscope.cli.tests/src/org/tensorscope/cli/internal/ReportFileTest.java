package org.tensorscope.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The --report file's ending chooses the form it is written in; any other ending is refused. */
class ReportFileTest {

    @TempDir
    Path folder;

    @Test
    void htmlAndJsonEndingsChooseTheForm() throws IOException {
        Path html = folder.resolve("report.html");
        Path json = folder.resolve("report.json");
        ReportFile.write(html, "r", r -> "<p>" + r + "</p>", r -> "{\"r\":1}");
        ReportFile.write(json, "r", r -> "<p>" + r + "</p>", r -> "{\"r\":1}");
        assertEquals("<p>r</p>", Files.readString(html));
        assertEquals("{\"r\":1}", Files.readString(json));
    }

    @Test
    void anotherEndingIsRefusedNamingTheFile() {
        ReportFile.check(null);
        ReportFile.check(Path.of("a.json"));
        ReportFile.check(Path.of("a.html"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReportFile.check(Path.of("a.htm")));
        assertEquals("--report a.htm: the file name must end in .json or .html", e.getMessage());
    }
}
