package org.tensorscope.onnx.internal;

import java.util.ArrayList;
import java.util.List;

import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.BackendInfo;
import org.tensorscope.core.service.DeviceInfo;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;

/**
 * The process-wide ONNX Runtime environment. Its first use unpacks and loads the natives that
 * the ONNX Runtime jar carries for the running platform. ONNX Runtime's own log lines (coloured
 * warnings and errors on stderr) are turned off but for fatal ones: every error that matters
 * reaches Tensorscope as an exception and is reported in its words.
 */
public final class OnnxRuntimeEnvironment {

    public static final String FRAMEWORK = "ONNX Runtime";

    private OnnxRuntimeEnvironment() {
    }

    public static OrtEnvironment get() throws BackendException {
        try {
            return OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, "tensorscope");
        } catch (LinkageError | IllegalStateException e) {
            throw new BackendException(FRAMEWORK + " cannot start on this platform: " + e.getMessage(), e);
        }
    }

    /** Whether this ONNX Runtime was built with CUDA and can use it. */
    public static boolean cudaAvailable() throws BackendException {
        get();
        try {
            return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
        } catch (LinkageError e) {
            throw new BackendException(FRAMEWORK + " cannot list its execution providers: " + e.getMessage(), e);
        }
    }

    public static BackendInfo describe() throws BackendException {
        OrtEnvironment env = get();
        List<DeviceInfo> devices = new ArrayList<>();
        devices.add(new DeviceInfo("CPU:0", "CPU", "CPU execution provider"));
        if (cudaAvailable()) {
            devices.add(new DeviceInfo("GPU:0", "GPU", "CUDA execution provider"));
        }
        return new BackendInfo(FRAMEWORK, env.getVersion(), devices);
    }

    /** The first line of an ONNX Runtime error, which may carry a long native stack. */
    public static String firstLine(Exception e) {
        String message = e.getMessage();
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
