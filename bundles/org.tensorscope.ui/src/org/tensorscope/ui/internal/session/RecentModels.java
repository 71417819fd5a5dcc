package org.tensorscope.ui.internal.session;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.eclipse.core.runtime.preferences.InstanceScope;
import org.osgi.service.prefs.BackingStoreException;
import org.osgi.service.prefs.Preferences;

/**
 * File > Recent Models: the last models opened, newest first, kept in the workspace preferences.
 */
public final class RecentModels {

    private static final String KEY = "recentModels";
    private static final int MAX = 8;

    private RecentModels() {
    }

    public static List<Path> list() {
        String stored = preferences().get(KEY, "");
        return stored.isEmpty() ? List.of() : Arrays.stream(stored.split("\n")).map(Path::of).toList();
    }

    static void add(Path model) {
        List<Path> recent = new ArrayList<>(list());
        Path absolute = model.toAbsolutePath().normalize();
        recent.remove(absolute);
        recent.add(0, absolute);
        Preferences preferences = preferences();
        preferences.put(KEY, String.join("\n", recent.subList(0, Math.min(MAX, recent.size())).stream()
                .map(Path::toString).toList()));
        try {
            preferences.flush();
        } catch (BackingStoreException e) {
            // the list is a convenience: losing it must not disturb opening a model
        }
    }

    private static Preferences preferences() {
        return InstanceScope.INSTANCE.getNode("org.tensorscope.ui");
    }
}
