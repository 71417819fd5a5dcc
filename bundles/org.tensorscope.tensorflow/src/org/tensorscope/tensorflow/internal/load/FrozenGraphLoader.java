package org.tensorscope.tensorflow.internal.load;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.osgi.service.component.annotations.Component;
import org.tensorflow.proto.GraphDef;
import org.tensorscope.core.Tensorscope;
import org.tensorscope.core.service.ModelFiles;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.service.ModelLoader;
import org.tensorscope.tensorflow.internal.ModelReading;
import org.tensorscope.tensorflow.internal.TfModel;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TextFormat;

/**
 * Reads a frozen TensorFlow graph: a binary GraphDef ({@code .pb}) or its text form ({@code .pbtxt}).
 * Functions of its library that the graph calls are inlined, as for a SavedModel.
 */
@Component(service = ModelLoader.class, property = { Tensorscope.PROP_FORMAT + "=" + FrozenGraphLoader.FORMAT,
        Tensorscope.PROP_FILE_PATTERNS + "=*.pb", Tensorscope.PROP_FILE_PATTERNS + "=*.pbtxt" })
public class FrozenGraphLoader implements ModelLoader {

    public static final String FORMAT = "TensorFlow frozen graph";

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public boolean canLoad(Path path) {
        String name = path.getFileName().toString();
        return Files.isRegularFile(path) && !name.equals("saved_model.pb")
                && (name.endsWith(".pb") || name.endsWith(".pbtxt")) && TfjsLegacyGraphModelLoader.graphFile(path) == null;
    }

    @Override
    public TfModel load(Path path, IProgressMonitor monitor) throws ModelLoadException {
        SubMonitor progress = SubMonitor.convert(monitor, "Reading " + path.getFileName(), 3);
        GraphDef graphDef = ModelReading.alongsideNatives(() -> graphDef(path));
        progress.split(1);
        if (FunctionInliner.hasCalls(graphDef)) {
            try {
                graphDef = new FunctionInliner(graphDef).inline(graphDef);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new ModelLoadException(path, "the graph's functions cannot be inlined: "
                        + (e.getMessage() == null ? "a call or a function body is malformed" : oneLine(e.getMessage())), e);
            }
        }
        progress.split(1);
        TfModel model = new TfModel(graphDef, GraphDefConverter.convert(path, FORMAT, graphDef, List.of())
                .withLibraryOps(FunctionBodies.of(graphDef)));
        progress.split(1);
        return model;
    }

    /** The GraphDef as written, binary or text: Java only (see {@link ModelReading}). */
    static GraphDef graphDef(Path path) throws ModelLoadException {
        byte[] bytes = ModelFiles.readNonEmpty(path);
        GraphDef graphDef;
        if (path.getFileName().toString().endsWith(".pbtxt")) {
            try {
                GraphDef.Builder builder = GraphDef.newBuilder();
                TextFormat.getParser().merge(new String(bytes, StandardCharsets.UTF_8), builder);
                graphDef = builder.build();
            } catch (TextFormat.ParseException e) {
                throw new ModelLoadException(path, "not a valid text GraphDef: " + oneLine(e.getMessage()), e);
            } catch (StackOverflowError e) {
                throw new ModelLoadException(path, "not a valid text GraphDef: its messages are nested too deeply to read");
            }
        } else {
            try {
                graphDef = GraphDef.parseFrom(bytes);
            } catch (InvalidProtocolBufferException e) {
                throw new ModelLoadException(path, "not a valid GraphDef (the protobuf is truncated or corrupt)", e);
            }
        }
        return graphDef;
    }

    /** protobuf lists unknown fields on lines of their own: one line, of a readable length, for the user. */
    static String oneLine(String message) {
        String line = message == null ? "unknown error" : message.replaceAll("\\s+", " ").trim();
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
