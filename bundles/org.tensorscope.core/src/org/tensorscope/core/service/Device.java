package org.tensorscope.core.service;

/**
 * The device a user asks to run on.
 */
public enum Device {
    CPU, GPU;

    public static Device parse(String text) {
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "cpu" -> CPU;
            case "gpu", "cuda" -> GPU;
            default -> throw new IllegalArgumentException("Unknown device '" + text + "': use cpu or gpu");
        };
    }
}
