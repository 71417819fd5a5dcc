package org.tensorscope.tensorflow.tests;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real models in the repository's testdata folder (see testdata/NOTICE.md). */
final class TestModels {

    /** tycho-surefire runs in the test bundle's folder. */
    static final Path ROOT = Path.of("../../testdata").toAbsolutePath().normalize();

    private TestModels() {
    }

    static Path get(String relative) {
        Path path = ROOT.resolve(relative);
        if (!Files.exists(path)) {
            throw new IllegalStateException("test model missing: " + path);
        }
        return path;
    }
}
