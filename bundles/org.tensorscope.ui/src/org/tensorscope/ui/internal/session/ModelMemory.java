package org.tensorscope.ui.internal.session;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.eclipse.core.runtime.preferences.InstanceScope;
import org.osgi.service.prefs.BackingStoreException;
import org.osgi.service.prefs.Preferences;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.trace.Breakpoint;
import org.tensorscope.core.trace.HealthMode;

/**
 * What the workbench remembers per model file: its last run configuration and its breakpoints,
 * kept in the workspace preferences under a digest of the model's absolute path.
 */
public final class ModelMemory {

    private static final String SIGNATURE = "signature";
    private static final String INPUTS = "inputs";
    private static final String INPUT_LABEL = "inputLabel";
    private static final String DEVICE = "device";
    private static final String MODE = "healthMode";
    private static final String BREAKPOINTS = "breakpoints";

    private ModelMemory() {
    }

    public static Optional<RunConfiguration> runConfiguration(Path model) {
        Preferences node = node(model);
        String device = node.get(DEVICE, null);
        if (device == null) {
            return Optional.empty();
        }
        try {
            String signature = node.get(SIGNATURE, "");
            return Optional.of(new RunConfiguration(signature.isEmpty() ? null : signature, lines(node.get(INPUTS, "")),
                    node.get(INPUT_LABEL, ""), Device.valueOf(device), HealthMode.valueOf(node.get(MODE, ""))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static void remember(Path model, RunConfiguration configuration) {
        Preferences node = node(model);
        node.put(SIGNATURE, configuration.signature() == null ? "" : configuration.signature());
        node.put(INPUTS, String.join("\n", configuration.inputSources()));
        node.put(INPUT_LABEL, configuration.inputLabel());
        node.put(DEVICE, configuration.device().name());
        node.put(MODE, configuration.mode().name());
        flush(node);
    }

    public static List<Breakpoint> breakpoints(Path model) {
        List<Breakpoint> breakpoints = new ArrayList<>();
        for (String line : lines(node(model).get(BREAKPOINTS, ""))) {
            try {
                breakpoints.add(Breakpoint.parse(line));
            } catch (IllegalArgumentException e) {
                // a line written by another version: the other breakpoints still count
            }
        }
        return breakpoints;
    }

    public static void remember(Path model, List<Breakpoint> breakpoints) {
        Preferences node = node(model);
        node.put(BREAKPOINTS, String.join("\n", breakpoints.stream().map(Breakpoint::toText).toList()));
        flush(node);
    }

    private static List<String> lines(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    private static Preferences node(Path model) {
        return InstanceScope.INSTANCE.getNode("org.tensorscope.ui").node("models").node(key(model));
    }

    /** Preference node names cannot hold slashes, so a path is named by its digest. */
    private static String key(Path model) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    model.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void flush(Preferences node) {
        try {
            node.flush();
        } catch (BackingStoreException e) {
            // remembering is a convenience: failing to must not disturb the run
        }
    }
}
