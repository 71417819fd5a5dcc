package org.tensorscope.ui.internal.session;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import org.eclipse.core.runtime.Platform;
import org.osgi.framework.FrameworkUtil;
import org.tensorscope.core.state.StateFile;

/**
 * Where the workbench keeps what it remembers between sessions: JSON files in this bundle's
 * state folder of the workspace ({@code .metadata/.plugins/org.tensorscope.ui/}), written
 * atomically and set aside when corrupt (see {@link StateFile}). Eclipse preferences hold only
 * what the preference pages edit.
 */
final class WorkbenchState {

    private WorkbenchState() {
    }

    /** The state file at a path relative to the state folder; empty when the workbench has no workspace. */
    static Optional<StateFile> file(String relative) {
        try {
            Path folder = Platform.getStateLocation(FrameworkUtil.getBundle(WorkbenchState.class)).toFile().toPath();
            return Optional.of(new StateFile(folder.resolve(relative), StateNotices::log));
        } catch (IllegalStateException e) {
            // started with -data @none: nothing is remembered
            return Optional.empty();
        }
    }

    /** Writes a state file; a failure costs only the remembering, and says so. */
    static void write(StateFile file, String text, String what) {
        try {
            file.write(text);
        } catch (IOException e) {
            StateNotices.log(file.file() + ": cannot be written (" + e.getMessage() + "); " + what
                    + " will not be remembered");
        }
    }
}
