package org.tensorscope.ui.api;

import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.jface.preference.IPreferenceStore;
import org.eclipse.ui.preferences.ScopedPreferenceStore;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.ui.internal.session.StateNotices;

/**
 * The workbench's preferences (Window > Preferences > Tensorscope): their keys in the instance
 * scope node {@value #NODE}, their defaults, and what they say, read so that a damaged value falls
 * back to the default with one notice.
 */
public final class TensorscopePreferences {

    /** The preference node (instance scope) the keys live in. */
    public static final String NODE = "org.tensorscope.ui";
    public static final String DEVICE = "device";
    public static final String HEALTH_MODE = "healthMode";
    public static final String HISTOGRAM_BINS = "histogramBins";
    public static final String JAVACPP_CACHE = "javacppCacheFolder";
    public static final String TENSOR_MEMORY_MB = "tensorMemoryMegabytes";
    /** Whether a model is run once in the background after it opens, so that the first Run is fast. */
    public static final String WARM_UP = "warmUpAfterOpen";

    private TensorscopePreferences() {
    }

    /** The preferences with their defaults; a view of the preference node, holding nothing itself. */
    public static IPreferenceStore store() {
        ScopedPreferenceStore store = new ScopedPreferenceStore(InstanceScope.INSTANCE, NODE);
        store.setDefault(DEVICE, "cpu");
        store.setDefault(HEALTH_MODE, "full");
        store.setDefault(HISTOGRAM_BINS, 30);
        store.setDefault(JAVACPP_CACHE, "");
        store.setDefault(TENSOR_MEMORY_MB, 512);
        store.setDefault(WARM_UP, true);
        return store;
    }

    /**
     * A stored value the preference page would not have written (a .prefs file edited or damaged)
     * is replaced by the default, with one notice: it must not fail a model's open.
     */
    public static Device device() {
        IPreferenceStore store = store();
        try {
            return Device.parse(store.getString(DEVICE));
        } catch (IllegalArgumentException e) {
            notUnderstood(store, DEVICE, e.getMessage());
            return Device.parse(store.getDefaultString(DEVICE));
        }
    }

    public static HealthMode healthMode() {
        IPreferenceStore store = store();
        try {
            return HealthMode.parse(store.getString(HEALTH_MODE));
        } catch (IllegalArgumentException e) {
            notUnderstood(store, HEALTH_MODE, e.getMessage());
            return HealthMode.parse(store.getDefaultString(HEALTH_MODE));
        }
    }

    /** Whether a model opened without a run is run once in the background (its side-effect ops aside). */
    public static boolean warmUp() {
        return store().getBoolean(WARM_UP);
    }

    public static int histogramBins() {
        return positive(HISTOGRAM_BINS);
    }

    /** How many bytes of tensor values the views may hold: one fetched tensor, plus the previous run's kept for comparison. */
    public static long tensorMemoryBytes() {
        return positive(TENSOR_MEMORY_MB) * 1024L * 1024L;
    }

    /** A whole number the store cannot parse reads as 0: then the default holds. */
    private static int positive(String key) {
        IPreferenceStore store = store();
        int value = store.getInt(key);
        if (value > 0) {
            return value;
        }
        notUnderstood(store, key, "'" + store.getString(key) + "' is not a positive whole number");
        return store.getDefaultInt(key);
    }

    /** Says so once: the value is replaced by the default, so the next read finds the default. */
    private static void notUnderstood(IPreferenceStore store, String key, String problem) {
        StateNotices.log("Tensorscope preference " + key + ": " + problem + "; using the default "
                + store.getDefaultString(key));
        store.setToDefault(key);
    }
}
