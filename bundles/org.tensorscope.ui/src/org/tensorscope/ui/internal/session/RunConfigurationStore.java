package org.tensorscope.ui.internal.session;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.tensorscope.core.tensor.TensorData;

/**
 * How the open model runs: its run configuration (remembered per model file) and the tensors the
 * user edited, which the next runs use instead of what the model computes. Changed on the UI thread.
 */
@Component(service = RunConfigurationStore.class)
public final class RunConfigurationStore {

    @Reference
    private ModelMemory memory;
    private RunConfiguration configuration;
    private final Map<String, TensorData> overrides = new LinkedHashMap<>();

    public RunConfigurationStore() {
        // created by the OSGi component runtime
    }

    public synchronized RunConfiguration configuration() {
        if (configuration == null) {
            configuration = RunConfiguration.defaults();
        }
        return configuration;
    }

    /**
     * Sets how the model runs, and remembers it for the next time that model opens (none when
     * {@code model} is null). Edits made on other inputs are dropped: they would silently replace
     * the new ones.
     */
    public synchronized void configure(RunConfiguration next, Path model) {
        RunConfiguration now = configuration();
        if (!Objects.equals(next.signature(), now.signature()) || !next.inputSources().equals(now.inputSources())) {
            overrides.clear();
        }
        configuration = next;
        if (model != null) {
            memory.remember(model, next);
        }
    }

    /** The configuration remembered for a model file; reads the state folder, off the UI thread. */
    public Optional<RunConfiguration> remembered(Path model) {
        return memory.runConfiguration(model);
    }

    /** Remembers a configuration for the next time a model opens; writes the state folder, off the UI thread. */
    public void remember(RunConfiguration configuration, Path model) {
        memory.remember(model, configuration);
    }

    /** A model opened: the configuration it runs with (see {@link #remembered}), and no edits. */
    public synchronized void restore(RunConfiguration opened) {
        configuration = opened;
        overrides.clear();
    }

    /** Tensors the next runs use instead of what the model computes (edited or clipped values). */
    public synchronized Map<String, TensorData> overrides() {
        return Map.copyOf(overrides);
    }

    public synchronized void edit(TensorData replacement) {
        overrides.put(replacement.name(), replacement);
    }

    /** Forgets every edited tensor; the next run computes them all again. */
    public synchronized void clearOverrides() {
        overrides.clear();
    }
}
