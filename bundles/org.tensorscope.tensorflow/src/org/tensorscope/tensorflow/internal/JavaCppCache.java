package org.tensorscope.tensorflow.internal;

import java.nio.file.Path;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.Version;

/**
 * Where JavaCPP unpacks TensorFlow's native libraries (about 650 MB). Inside OSGi JavaCPP's
 * default folder does not carry the library version, so two TensorFlow versions would overwrite
 * each other: we choose one folder per version of the bundled TensorFlow Java (which fixes the
 * natives) under the user's cache folder, named from the org.tensorflow.core bundle itself so an
 * upgrade unpacks into a new folder.
 * <p>
 * Order: the system property {@value #PROPERTY}, the environment variable {@value #ENV},
 * then {@code $XDG_CACHE_HOME/tensorscope/javacpp/tensorflow-java-VERSION} (or {@code ~/.cache/...}),
 * with "-gpu" appended when the CUDA natives are used.
 */
public final class JavaCppCache {

    public static final String PROPERTY = "org.bytedeco.javacpp.cachedir";
    public static final String ENV = "TENSORSCOPE_JAVACPP_CACHE";

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
                    System.getProperty("user.home"), tensorFlowJavaVersion());
            chosen = (gpu ? folder.resolveSibling(folder.getFileName() + "-gpu") : folder).toString();
            System.setProperty(PROPERTY, chosen);
        }
        return Path.of(chosen);
    }

    /**
     * The version of the TensorFlow Java bundle on the class path, e.g. "1.1.0", without loading its
     * natives (a class literal does not initialise the class); "unknown" outside OSGi.
     */
    public static String tensorFlowJavaVersion() {
        Bundle bundle = FrameworkUtil.getBundle(org.tensorflow.TensorFlow.class);
        if (bundle == null) {
            return "unknown";
        }
        Version version = bundle.getVersion();
        return version.getMajor() + "." + version.getMinor() + "." + version.getMicro();
    }

    public static Path defaultFolder(String explicit, String xdgCacheHome, String userHome, String tensorFlowJava) {
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        Path cacheRoot = xdgCacheHome != null && !xdgCacheHome.isBlank() ? Path.of(xdgCacheHome)
                : Path.of(userHome, ".cache");
        return cacheRoot.resolve("tensorscope").resolve("javacpp").resolve("tensorflow-java-" + tensorFlowJava);
    }
}
