package org.tensorscope.ui.internal.session;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.state.CorruptStateException;
import org.tensorscope.core.state.StateFile;
import org.tensorscope.core.state.StateJson;
import org.tensorscope.core.trace.Breakpoint;
import org.tensorscope.core.trace.HealthMode;

import com.google.gson.JsonObject;

/**
 * What the workbench remembers per model file: its last run configuration and its breakpoints,
 * one JSON file per model in the state folder's {@code models/}, named by a digest of the model's
 * absolute path (the path itself is inside, under "model"). Read and written by the job that opens
 * a model as well as on the UI thread, one call at a time.
 */
@Component(service = ModelMemory.class)
public final class ModelMemory {

    private static final String MODEL = "model";
    private static final String RUN = "runConfiguration";
    private static final String SIGNATURE = "signature";
    private static final String INPUTS = "inputs";
    private static final String INPUT_LABEL = "inputLabel";
    private static final String DEVICE = "device";
    private static final String MODE = "healthMode";
    private static final String BREAKPOINTS = "breakpoints";

    /** A model's memory as stored; breakpoints stay texts so that one written by another version does not spoil the rest. */
    private record Memory(RunConfiguration configuration, List<String> breakpoints) {
        static final Memory NONE = new Memory(null, List.of());
    }

    public ModelMemory() {
        // created by the OSGi component runtime
    }

    public synchronized Optional<RunConfiguration> runConfiguration(Path model) {
        return Optional.ofNullable(read(model).configuration());
    }

    public synchronized void remember(Path model, RunConfiguration configuration) {
        write(model, new Memory(configuration, read(model).breakpoints()));
    }

    public synchronized List<Breakpoint> breakpoints(Path model) {
        List<Breakpoint> breakpoints = new ArrayList<>();
        for (String line : read(model).breakpoints()) {
            try {
                breakpoints.add(Breakpoint.parse(line));
            } catch (IllegalArgumentException e) {
                // a line written by another version: the other breakpoints still count
            }
        }
        return breakpoints;
    }

    public synchronized void remember(Path model, List<Breakpoint> breakpoints) {
        write(model, new Memory(read(model).configuration(), breakpoints.stream().map(Breakpoint::toText).toList()));
    }

    private Memory read(Path model) {
        return file(model).map(file -> file.read(ModelMemory::decode, () -> Memory.NONE)).orElse(Memory.NONE);
    }

    private void write(Path model, Memory memory) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put(MODEL, absolute(model).toString());
        RunConfiguration configuration = memory.configuration();
        if (configuration != null) {
            Map<String, Object> run = new LinkedHashMap<>();
            run.put(SIGNATURE, configuration.signature());
            run.put(INPUTS, configuration.inputSources());
            run.put(INPUT_LABEL, configuration.inputLabel());
            run.put(DEVICE, configuration.device().name().toLowerCase(java.util.Locale.ROOT));
            run.put(MODE, configuration.mode().name().toLowerCase(java.util.Locale.ROOT));
            json.put(RUN, run);
        }
        json.put(BREAKPOINTS, memory.breakpoints());
        file(model).ifPresent(file -> WorkbenchState.write(file, StateJson.toJson(json),
                "the run configuration and breakpoints of " + model.getFileName()));
    }

    private static Memory decode(String text) throws CorruptStateException {
        JsonObject json = StateJson.object(text);
        List<String> breakpoints = StateJson.strings(json, BREAKPOINTS);
        JsonObject run = StateJson.optionalObject(json, RUN);
        if (run == null) {
            return new Memory(null, breakpoints);
        }
        String device = StateJson.string(run, DEVICE, "cpu");
        String mode = StateJson.string(run, MODE, "full");
        try {
            return new Memory(new RunConfiguration(StateJson.string(run, SIGNATURE, null), StateJson.strings(run, INPUTS),
                    StateJson.string(run, INPUT_LABEL, ""), Device.parse(device), HealthMode.parse(mode)), breakpoints);
        } catch (IllegalArgumentException e) {
            throw new CorruptStateException("holds an unknown device or health check (\"" + device + "\", \"" + mode + "\")");
        }
    }

    private static Optional<StateFile> file(Path model) {
        return WorkbenchState.file("models/" + key(model) + ".json");
    }

    private static Path absolute(Path model) {
        return model.toAbsolutePath().normalize();
    }

    /** A file name cannot hold every path (slashes, length), so a model is named by its path's digest. */
    private static String key(Path model) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(absolute(model).toString()
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
