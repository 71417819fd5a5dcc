package org.tensorscope.ui.internal.session;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.tensorscope.core.state.CorruptStateException;
import org.tensorscope.core.state.StateJson;

/**
 * File > Recent Models: the last models opened, newest first, kept in {@value #FILE} in the
 * workbench's state folder.
 */
@Component(service = RecentModels.class)
public final class RecentModels {

    static final String FILE = "recent-models.json";
    private static final String KEY = "recentModels";
    private static final int MAX = 8;

    public RecentModels() {
        // created by the OSGi component runtime
    }

    public synchronized List<Path> list() {
        return WorkbenchState.file(FILE).map(file -> file.read(RecentModels::decode, List::<Path>of)).orElse(List.of());
    }

    /** Called by the job that opens a model: the write waits for the disk. */
    synchronized void add(Path model) {
        List<Path> recent = new ArrayList<>(list());
        Path absolute = model.toAbsolutePath().normalize();
        recent.remove(absolute);
        recent.add(0, absolute);
        List<String> kept = recent.subList(0, Math.min(MAX, recent.size())).stream().map(Path::toString).toList();
        WorkbenchState.file(FILE).ifPresent(file -> WorkbenchState.write(file, StateJson.toJson(Map.of(KEY, kept)),
                "the recent models"));
    }

    private static List<Path> decode(String text) throws CorruptStateException {
        List<Path> paths = new ArrayList<>();
        for (String path : StateJson.strings(StateJson.object(text), KEY)) {
            try {
                paths.add(Path.of(path));
            } catch (InvalidPathException e) {
                throw new CorruptStateException("holds \"" + path + "\", which is not a path");
            }
        }
        return paths;
    }
}
