package org.tensorscope.core.service;

/**
 * A device a backend can run ops on.
 *
 * @param name        short name as users see it, e.g. "CPU:0" or "GPU:0"
 * @param kind        "CPU" or "GPU"
 * @param description what the framework says of it, e.g. the GPU model; may be empty
 */
public record DeviceInfo(String name, String kind, String description) {

    public boolean isGpu() {
        return "GPU".equals(kind);
    }
}
