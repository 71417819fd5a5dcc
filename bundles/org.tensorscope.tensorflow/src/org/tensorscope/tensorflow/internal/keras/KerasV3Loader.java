package org.tensorscope.tensorflow.internal.keras;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

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

/** Reads a Keras 3 model ({@code model.save("x.keras")}): a zip of {@code config.json} and {@code model.weights.h5}. */
@Component(service = ModelLoader.class, property = { Tensorscope.PROP_FORMAT + "=" + KerasV3Loader.FORMAT,
        Tensorscope.PROP_FILE_PATTERNS + "=*.keras" })
public class KerasV3Loader implements ModelLoader {

    public static final String FORMAT = "Keras model (.keras)";

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public boolean canLoad(Path path) {
        // claimed by name, so that a damaged file gets this format's message rather than "not a model format"
        return Files.isRegularFile(path) && path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".keras");
    }

    @Override
    public TfModel load(Path path, IProgressMonitor monitor) throws ModelLoadException {
        SubMonitor progress = SubMonitor.convert(monitor, "Reading " + path.getFileName(), 2);
        ModelFiles.checkedSize(path, -1, ModelFiles.MODEL_FILE_LIMIT);
        Read read = ModelReading.alongsideNatives(() -> read(path));
        progress.split(1);
        try (HdfFile hdf = read.hdf()) {
            TfModel loaded = KerasModels.build(path, FORMAT, "Keras model", read.topology(), Dialect.KERAS3, read.weights());
            progress.split(1);
            return loaded;
        } catch (org.eclipse.core.runtime.OperationCanceledException e) {
            throw e;
        } catch (RuntimeException e) {
            throw corruptWeights(path, e);
        }
    }

    private record Read(KerasTopology.Model topology, HdfFile hdf, H5Weights weights) {
    }

    /** The config, its topology and every weight: Java only (see {@link ModelReading}). */
    private static Read read(Path path) throws ModelLoadException {
        byte[] config;
        byte[] weights;
        try (ZipFile zip = new ZipFile(path.toFile())) {
            config = entry(zip, "config.json", path);
            weights = entry(zip, "model.weights.h5", path);
        } catch (ZipException e) {
            throw new ModelLoadException(path, "not a valid .keras file: the zip is truncated or corrupt", e);
        } catch (IOException e) {
            throw new ModelLoadException(path, "cannot be read: " + KerasGraphBuilder.message(new IllegalStateException(e.getMessage())), e);
        }
        JsonElement json;
        try {
            json = JsonParser.parseString(new String(config, StandardCharsets.UTF_8));
        } catch (JsonParseException e) {
            throw new ModelLoadException(path, "config.json is not valid JSON: " + KerasGraphBuilder.message(e), e);
        }
        if (!json.isJsonObject() || !json.getAsJsonObject().has("class_name")) {
            throw new ModelLoadException(path, "config.json is not a Keras model config");
        }
        KerasTopology.Model model = KerasModels.topology(path, "Keras model", json.getAsJsonObject());
        HdfFile hdf = null;
        try {
            hdf = HdfFile.fromBytes(weights);
            return new Read(model, hdf, new H5Weights(hdf, true).readAll());
        } catch (RuntimeException e) {
            if (hdf != null) {
                hdf.close();
            }
            throw corruptWeights(path, e);
        }
    }

    /** jHDF's own exceptions (HdfException) are runtime exceptions of a package it does not export. */
    private static ModelLoadException corruptWeights(Path path, RuntimeException e) {
        return new ModelLoadException(path, "model.weights.h5 is not a valid HDF5 file (truncated or corrupt): "
                + KerasGraphBuilder.message(e), e);
    }

    private static byte[] entry(ZipFile zip, String name, Path path) throws IOException, ModelLoadException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new ModelLoadException(path, "a zip without " + name + ": not a Keras 3 model file");
        }
        if (entry.getSize() > ModelFiles.MODEL_FILE_LIMIT) {
            throw new ModelLoadException(path, name + " is larger than can be loaded (" + ModelFiles.sizeText(ModelFiles.MODEL_FILE_LIMIT) + ")");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return in.readNBytes((int) ModelFiles.MODEL_FILE_LIMIT);
        }
    }
}
