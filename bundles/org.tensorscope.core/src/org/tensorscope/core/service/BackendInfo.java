package org.tensorscope.core.service;

import java.util.List;

/**
 * What a backend runs on: its framework, the framework's version and the devices it sees.
 */
public record BackendInfo(String framework, String version, List<DeviceInfo> devices) {

    public BackendInfo {
        devices = List.copyOf(devices);
    }

    /** E.g. "TensorFlow 2.18.0". */
    public String displayName() {
        return framework + " " + version;
    }

    public boolean hasGpu() {
        return devices.stream().anyMatch(DeviceInfo::isGpu);
    }
}
