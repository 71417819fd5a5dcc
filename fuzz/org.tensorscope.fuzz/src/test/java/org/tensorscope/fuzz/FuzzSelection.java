package org.tensorscope.fuzz;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Which targets a build fuzzes. Replaying the seeds and saved findings always runs every target;
 * fuzzing starts a JVM with Jazzer's agent per target (some 10 to 25 s before the first input), so
 * the regular build fuzzes one target, a different one each day, and the long campaign all of them.
 * The system property {@code tensorscope.fuzz.targets} says which: {@code all}, {@code daily}, or
 * simple class names separated by commas.
 */
public final class FuzzSelection {

    static final List<String> TARGETS = List.of("TfjsModelFuzzTest", "GraphDefFuzzTest", "GraphDefTextFuzzTest",
            "SavedModelFuzzTest", "NpyFuzzTest", "ImageFuzzTest", "OnnxFuzzTest", "InputSourceFuzzTest",
            "TfliteFuzzTest", "KerasFuzzTest", "TfjsLegacyModelFuzzTest");

    private FuzzSelection() {
    }

    /** For {@code @EnabledIf}: whether this target runs in this JVM. */
    public static boolean chosen(ExtensionContext context) {
        String fuzzing = System.getProperty("JAZZER_FUZZ", System.getenv("JAZZER_FUZZ"));
        if (fuzzing == null || fuzzing.isBlank() || fuzzing.equals("0") || fuzzing.equalsIgnoreCase("false")) {
            return true; // replaying seeds and findings: every target, every build
        }
        String target = context.getRequiredTestClass().getSimpleName();
        String wanted = System.getProperty("tensorscope.fuzz.targets", "daily").trim();
        return switch (wanted) {
            case "all" -> true;
            case "daily" -> TARGETS.get(LocalDate.now().getDayOfYear() % TARGETS.size()).equals(target);
            default -> Arrays.stream(wanted.split(",")).map(String::trim).anyMatch(target::equals);
        };
    }
}
