package org.tensorscope.ui.internal.session;

import java.util.List;

import org.tensorscope.core.service.Device;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.ui.api.TensorscopePreferences;

/**
 * How to run the open model: signature, a source per input (the CLI's source texts), device and
 * health mode.
 *
 * @param signature     signature key, null for the default
 * @param inputSources  "[NAME=]SOURCE" texts
 * @param inputLabel    what the inputs are, in words, e.g. "an HDR frame never clipped to 0..255"; may be empty
 */
public record RunConfiguration(String signature, List<String> inputSources, String inputLabel, Device device,
        HealthMode mode) {

    public RunConfiguration {
        inputSources = List.copyOf(inputSources);
    }

    /** The default signature and inputs, with the device and health mode of the preferences. */
    public static RunConfiguration defaults() {
        return new RunConfiguration(null, List.of(), "", TensorscopePreferences.device(),
                TensorscopePreferences.healthMode());
    }
}
