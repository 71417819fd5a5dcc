package org.tensorscope.tensorflow.internal.keras;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.osgi.service.component.annotations.Component;
import org.tensorscope.core.Tensorscope;
import org.tensorscope.core.service.ModelFiles;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.service.ModelLoader;
import org.tensorscope.tensorflow.internal.ModelReading;
import org.tensorscope.tensorflow.internal.TfModel;
import org.tensorscope.tensorflow.internal.keras.KerasGraphBuilder.Dialect;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Group;
import io.jhdf.api.Node;

/** Reads a Keras HDF5 model ({@code model.save("x.h5")}): the {@code model_config} attribute and the {@code model_weights} group. */
@Component(service = ModelLoader.class, property = { Tensorscope.PROP_FORMAT + "=" + KerasH5Loader.FORMAT,
        Tensorscope.PROP_FILE_PATTERNS + "=*.h5", Tensorscope.PROP_FILE_PATTERNS + "=*.hdf5" })
public class KerasH5Loader implements ModelLoader {

    public static final String FORMAT = "Keras HDF5 model";

    static final byte[] HDF5_SIGNATURE = { (byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n' };

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public boolean canLoad(Path path) {
        String name = path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        // claimed by name, so that a damaged file gets this format's message rather than "not a model format"
        return Files.isRegularFile(path) && (name.endsWith(".h5") || name.endsWith(".hdf5"));
    }

    @Override
    public TfModel load(Path path, IProgressMonitor monitor) throws ModelLoadException {
        SubMonitor progress = SubMonitor.convert(monitor, "Reading " + path.getFileName(), 2);
        ModelFiles.checkedSize(path, -1, ModelFiles.MODEL_FILE_LIMIT);
        if (!hasSignature(path)) {
            throw new ModelLoadException(path, "not an HDF5 file (no HDF5 signature at its start), so not a Keras .h5 model");
        }
        try (HdfFile hdf = open(path)) {
            Read read = ModelReading.alongsideNatives(() -> read(path, hdf));
            progress.split(1);
            TfModel model = KerasModels.build(path, FORMAT, FORMAT, read.topology(), Dialect.KERAS2, read.weights());
            progress.split(1);
            return model;
        } catch (org.eclipse.core.runtime.OperationCanceledException e) {
            throw e;
        } catch (RuntimeException e) {
            throw corrupt(path, e);
        }
    }

    private record Read(KerasTopology.Model topology, H5Weights weights) {
    }

    /** The model config, its topology and every weight: Java only (see {@link ModelReading}). */
    private static Read read(Path path, HdfFile hdf) throws ModelLoadException {
        try {
            Attribute config = hdf.getAttribute("model_config");
            if (config == null) {
                throw new ModelLoadException(path, hdf.getChildren().isEmpty() ? "an HDF5 file with nothing in it, not a Keras model"
                        : "an HDF5 file without a model_config attribute: Keras weights alone (save_weights) or not a Keras file;"
                                + " Tensorscope needs the whole model (model.save)");
            }
            JsonElement json;
            try {
                json = JsonParser.parseString(String.join("", H5Weights.strings(config.getData())));
            } catch (JsonParseException e) {
                throw new ModelLoadException(path, "the model_config attribute is not valid JSON: " + KerasGraphBuilder.message(e), e);
            }
            if (!json.isJsonObject()) {
                throw new ModelLoadException(path, "the model_config attribute is not a Keras model config");
            }
            KerasTopology.Model topology = KerasModels.topology(path, FORMAT, json.getAsJsonObject());
            Node weights = hdf.getChildren().get("model_weights");
            return new Read(topology, new H5Weights(weights instanceof Group g ? g : hdf, false).readAll());
        } catch (RuntimeException e) {
            throw corrupt(path, e);
        }
    }

    /** jHDF's own exceptions (HdfException) are runtime exceptions of a package it does not export. */
    private static ModelLoadException corrupt(Path path, RuntimeException e) {
        return new ModelLoadException(path, "the HDF5 file is truncated or corrupt: " + KerasGraphBuilder.message(e), e);
    }

    private static boolean hasSignature(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return Arrays.equals(in.readNBytes(8), HDF5_SIGNATURE);
        } catch (IOException e) {
            return false;
        }
    }

    private static HdfFile open(Path path) throws ModelLoadException {
        try {
            return new HdfFile(path);
        } catch (RuntimeException e) {
            throw new ModelLoadException(path, "not a valid HDF5 file (truncated or corrupt): " + KerasGraphBuilder.message(e), e);
        }
    }
}
