package org.tensorscope.cli.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.IProgressMonitor;
import org.tensorscope.core.service.InferenceBackend;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.service.ModelLoader;

/**
 * Finds the loader for a path among the installed ones and the backend that runs its result.
 */
final class ModelOpener {

    private final Contributions contributions;

    ModelOpener(Contributions contributions) {
        this.contributions = contributions;
    }

    LoadedModel open(Path path, IProgressMonitor monitor) throws ModelLoadException {
        if (!Files.exists(path)) {
            throw new ModelLoadException(path, "no such file or folder");
        }
        List<ModelLoader> loaders = contributions.loaders();
        for (ModelLoader loader : loaders) {
            if (loader.canLoad(path)) {
                return loader.load(path, monitor);
            }
        }
        String formats = loaders.isEmpty() ? "none is installed"
                : loaders.stream().map(ModelLoader::format).collect(Collectors.joining(", "));
        throw new ModelLoadException(path, "not a model format Tensorscope can read (formats: " + formats + ")");
    }

    InferenceBackend backendFor(LoadedModel model) throws ModelLoadException {
        return contributions.backends().stream().filter(b -> b.canRun(model)).findFirst()
                .orElseThrow(() -> new ModelLoadException(model.graph().source(),
                        "no installed backend can run a model of format " + model.graph().format()));
    }
}
