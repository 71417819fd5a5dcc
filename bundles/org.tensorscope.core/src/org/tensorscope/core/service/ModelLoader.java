package org.tensorscope.core.service;

import java.nio.file.Path;

import org.eclipse.core.runtime.IProgressMonitor;

/**
 * Reads one model format. Contributed as an OSGi service with the component properties
 * {@link org.tensorscope.core.Tensorscope#PROP_FORMAT} and
 * {@link org.tensorscope.core.Tensorscope#PROP_FILE_PATTERNS}.
 */
public interface ModelLoader {

    /** The format as users name it, e.g. "TensorFlow SavedModel". */
    String format();

    /** Whether the file or folder looks like this format, judged by its name and first bytes. */
    boolean canLoad(Path path);

    /** Reads the model; reports progress and stops early when the monitor is cancelled. */
    LoadedModel load(Path path, IProgressMonitor monitor) throws ModelLoadException;
}
