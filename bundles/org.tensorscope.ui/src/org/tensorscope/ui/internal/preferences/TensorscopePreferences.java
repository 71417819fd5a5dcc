package org.tensorscope.ui.internal.preferences;

import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.jface.preference.IPreferenceStore;
import org.eclipse.ui.preferences.ScopedPreferenceStore;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.trace.HealthMode;

/**
 * The workbench's preferences (Window > Preferences > Tensorscope) and their defaults.
 */
public final class TensorscopePreferences {

    public static final String DEVICE = "device";
    public static final String HEALTH_MODE = "healthMode";
    public static final String HISTOGRAM_BINS = "histogramBins";
    public static final String JAVACPP_CACHE = "javacppCacheFolder";
    public static final String TENSOR_MEMORY_MB = "tensorMemoryMegabytes";

    private static ScopedPreferenceStore store;

    private TensorscopePreferences() {
    }

    public static synchronized IPreferenceStore store() {
        if (store == null) {
            store = new ScopedPreferenceStore(InstanceScope.INSTANCE, "org.tensorscope.ui");
            store.setDefault(DEVICE, "cpu");
            store.setDefault(HEALTH_MODE, "full");
            store.setDefault(HISTOGRAM_BINS, 30);
            store.setDefault(JAVACPP_CACHE, "");
            store.setDefault(TENSOR_MEMORY_MB, 512);
        }
        return store;
    }

    public static Device device() {
        return Device.parse(store().getString(DEVICE));
    }

    public static HealthMode healthMode() {
        return HealthMode.parse(store().getString(HEALTH_MODE));
    }

    public static int histogramBins() {
        return Math.max(1, store().getInt(HISTOGRAM_BINS));
    }

    /** How many bytes of tensor values the views may hold: one fetched tensor, plus the previous run's kept for comparison. */
    public static long tensorMemoryBytes() {
        return Math.max(1, store().getInt(TENSOR_MEMORY_MB)) * 1024L * 1024L;
    }

    /**
     * Tells JavaCPP where to unpack TensorFlow's natives when the user chose a folder; must run
     * before TensorFlow first loads (the workbench calls it at start-up).
     */
    public static void applyNativeCacheFolder() {
        String folder = store().getString(JAVACPP_CACHE).trim();
        if (!folder.isEmpty() && System.getProperty("org.bytedeco.javacpp.cachedir") == null) {
            System.setProperty("org.bytedeco.javacpp.cachedir", folder);
        }
    }
}
