package org.tensorscope.tensorflow.internal;

import java.nio.file.Path;

/**
 * Where JavaCPP unpacks TensorFlow's native libraries (about 650 MB). Inside OSGi JavaCPP's
 * default folder does not carry the library version, so two TensorFlow versions would overwrite
 * each other: we choose one folder per TensorFlow version under the user's cache folder.
 * <p>
 * Order: the system property {@value #PROPERTY}, the environment variable {@value #ENV},
 * then {@code $XDG_CACHE_HOME/tensorscope/javacpp/tensorflow-2.18.0} (or {@code ~/.cache/...}),
 * with "-gpu" appended when the CUDA natives are used.
 */
public final class JavaCppCache {

    public static final String PROPERTY = "org.bytedeco.javacpp.cachedir";
    public static final String ENV = "TENSORSCOPE_JAVACPP_CACHE";
    static final String TENSORFLOW_VERSION = "2.18.0";

    private JavaCppCache() {
    }

    /**
     * Sets the JavaCPP cache folder unless the user already chose one, and picks the CUDA natives
     * when they are installed; returns the folder used. Call before TensorFlow's classes load.
     */
    public static synchronized Path configure() {
        boolean gpu = GpuNatives.selectIfInstalled();
        String chosen = System.getProperty(PROPERTY);
        if (chosen == null || chosen.isBlank()) {
            Path folder = defaultFolder(System.getenv(ENV), System.getenv("XDG_CACHE_HOME"),
                    System.getProperty("user.home"));
            chosen = (gpu ? folder.resolveSibling(folder.getFileName() + "-gpu") : folder).toString();
            System.setProperty(PROPERTY, chosen);
        }
        return Path.of(chosen);
    }

    public static Path defaultFolder(String explicit, String xdgCacheHome, String userHome) {
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        Path cacheRoot = xdgCacheHome != null && !xdgCacheHome.isBlank() ? Path.of(xdgCacheHome)
                : Path.of(userHome, ".cache");
        return cacheRoot.resolve("tensorscope").resolve("javacpp").resolve("tensorflow-" + TENSORFLOW_VERSION);
    }
}
