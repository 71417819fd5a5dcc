package org.tensorscope.tensorflow.internal;

/**
 * Chooses TensorFlow's CUDA natives when the GPU feature is installed. Its fragment puts them
 * under {@code org/tensorflow/internal/c_api/linux-x86_64-gpu/}, which JavaCPP only loads with
 * the platform extension "-gpu"; without a usable GPU they still run, on the CPU.
 */
public final class GpuNatives {

    static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    private static final String GPU_LIBRARY = "org/tensorflow/internal/c_api/linux-x86_64-gpu/libjnitensorflow.so";

    private GpuNatives() {
    }

    /** Whether the CUDA natives are installed (the GPU fragment is attached to TensorFlow's bundle). */
    public static boolean installed() {
        return org.tensorflow.TensorFlow.class.getClassLoader().getResource(GPU_LIBRARY) != null;
    }

    /** Selects the CUDA natives unless the user chose a platform extension; returns whether they are used. */
    public static synchronized boolean selectIfInstalled() {
        String chosen = System.getProperty(EXTENSION_PROPERTY);
        if (chosen == null && installed()) {
            System.setProperty(EXTENSION_PROPERTY, "-gpu");
            return true;
        }
        return "-gpu".equals(chosen);
    }
}
