package org.tensorscope.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.service.ModelLoader;
import org.tensorscope.onnx.internal.load.OnnxModelLoader;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.load.SavedModelLoader;
import org.tensorscope.tensorflow.internal.keras.KerasH5Loader;
import org.tensorscope.tensorflow.internal.keras.KerasV3Loader;
import org.tensorscope.tensorflow.internal.keras.TfjsLayersModelLoader;
import org.tensorscope.tensorflow.internal.load.TfjsGraphModelLoader;
import org.tensorscope.tensorflow.internal.tflite.TfliteLoader;

/**
 * The mutation harness: every real model of testdata/ (and of the folder in the system property
 * {@code tensorscope.fuzz.models}, e.g. the shared models folder) is broken in
 * {@code tensorscope.fuzz.mutations} ways per model, one file at a time (its JSON, shards,
 * saved_model.pb, variables, .onnx), then loaded and described as {@code info} does, and run on a ramp
 * input when the model is small. Each outcome must pass the {@link Oracle}. The counts go to
 * target/mutation-report.txt.
 */
class RealModelMutationTest {

    /** Loading a real model of megabytes may take this long (processor time), not more. */
    private static final long SLOW_MILLIS = 15_000;

    /** Models at most this large are also run after loading. */
    private static final long RUN_LIMIT = 1_500_000;

    private record Model(String name, Path folder, Path entry, ModelLoader loader, List<Path> files, long bytes) {
    }

    private static final class Counts {
        int tried;
        int loaded;
        int ran;
        int refused;
        long millis;
    }

    @Test
    void mutatedRealModelsLoadOrAreRefusedCleanly() throws IOException {
        int perModel = Integer.getInteger("tensorscope.fuzz.mutations", 3);
        List<Model> models = models();
        assertTrue(models.size() >= 15, "the real models of testdata/ were not found: " + models);
        Map<String, Counts> counts = new LinkedHashMap<>();
        List<String> findings = new ArrayList<>();
        for (Model model : models) {
            Counts c = counts.computeIfAbsent(model.name(), k -> new Counts());
            Path copy = Scratch.folder("mutants/" + model.name().replace('/', '_'));
            Scratch.copy(model.folder().toString(), copy);
            Path folder = copy.resolve(model.folder().getFileName().toString());
            ModelMutator mutator = new ModelMutator(model.name().hashCode());
            for (int i = 0; i < perModel; i++) {
                Path original = model.files().get(i % model.files().size());
                Path target = folder.resolve(model.folder().relativize(original).toString());
                byte[] bytes = Scratch.read(original);
                ModelMutator.Mutant mutant = mutator.mutate(bytes, original.toString().endsWith(".json"));
                Scratch.write(target, mutant.bytes());
                Oracle.input(mutant.bytes());
                long start = System.nanoTime();
                try {
                    tryModel(model, folder.resolve(model.folder().relativize(model.entry()).toString()), folder, c);
                } catch (Oracle.Finding f) {
                    Path kept = keep(model, target, mutant, i);
                    findings.add(model.name() + " with " + original.getFileName() + " " + mutant.what() + " (kept as "
                            + kept + "): " + f.getMessage());
                } finally {
                    c.millis += (System.nanoTime() - start) / 1_000_000;
                    c.tried++;
                    Scratch.write(target, bytes);
                }
            }
        }
        String report = report(counts, findings);
        Files.writeString(Path.of("target", "mutation-report.txt"), report);
        System.out.println(report);
        assertEquals(List.of(), findings, "mutated models broke the loaders' contract");
    }

    private static void tryModel(Model model, Path entry, Path folder, Counts c) {
        LoadedModel loaded = Oracle.check(SLOW_MILLIS, List.of(folder), () -> model.loader().load(entry, null), ModelLoadException.class);
        if (loaded == null) {
            c.refused++;
            return;
        }
        try (loaded) {
            c.loaded++;
            ModelInfo.describe(loaded.graph());
            if (model.bytes() <= RUN_LIMIT && !(model.loader() instanceof OnnxModelLoader)) {
                Boolean ran = Oracle.check(SLOW_MILLIS, List.of(), () -> run(loaded), BackendException.class,
                        IllegalArgumentException.class, IOException.class);
                if (Boolean.TRUE.equals(ran)) {
                    c.ran++;
                }
            }
        } catch (Oracle.Finding f) {
            throw f;
        } catch (Exception e) {
            throw new Oracle.Finding("closing the model failed: " + e, e);
        }
    }

    private static Boolean run(LoadedModel loaded) throws Exception {
        ModelGraph graph = loaded.graph();
        Signature signature = graph.defaultSignature().orElse(null);
        if (signature == null || signature.outputs().isEmpty()) {
            return false;
        }
        PreparedInputs inputs = PreparedInputs.prepare(signature,
                Collections.nCopies(signature.inputs().size(), "ramp"));
        try (InferenceSession session = new TensorFlowBackend().open(loaded, Device.CPU)) {
            session.fetch(inputs.feeds(), signature.outputs().stream().map(SignatureTensor::tensor)
                    .map(t -> t.name()).toList(), Map.of(), null);
        }
        return true;
    }

    private static Path keep(Model model, Path target, ModelMutator.Mutant mutant, int i) {
        Path kept = Path.of("target", "mutation-findings", model.name().replace('/', '_') + "-" + i + "-"
                + target.getFileName()).toAbsolutePath();
        try {
            Files.createDirectories(kept.getParent());
            Files.write(kept, mutant.bytes());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return kept;
    }

    /** The models under testdata/ and the optional extra folder, each once (by its path below the root). */
    static List<Model> models() throws IOException {
        Map<String, Model> found = new LinkedHashMap<>();
        List<Path> roots = new ArrayList<>(List.of(Scratch.testdata()));
        String extra = System.getProperty("tensorscope.fuzz.models", "");
        if (!extra.isBlank() && Files.isDirectory(Path.of(extra))) {
            roots.add(Path.of(extra).toAbsolutePath());
        }
        for (Path root : roots) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.sorted().toList()) {
                    Model model = model(root, file);
                    if (model != null) {
                        found.putIfAbsent(model.name(), model);
                    }
                }
            }
        }
        return new ArrayList<>(found.values());
    }

    private static Model model(Path root, Path file) throws IOException {
        String name = file.getFileName().toString();
        Path folder = file.getParent();
        String key = root.relativize(file).toString();
        if (name.equals("saved_model.pb")) {
            return model(key, folder, file, new SavedModelLoader());
        }
        if (name.endsWith(".onnx")) {
            return new Model(key, folder, file, new OnnxModelLoader(), List.of(file), Files.size(file));
        }
        if (name.endsWith(".tflite")) {
            return new Model(key, folder, file, new TfliteLoader(), List.of(file), Files.size(file));
        }
        if (name.endsWith(".keras")) {
            return new Model(key, folder, file, new KerasV3Loader(), List.of(file), Files.size(file));
        }
        if (name.endsWith(".h5")) {
            return new Model(key, folder, file, new KerasH5Loader(), List.of(file), Files.size(file));
        }
        if (name.endsWith(".json") && new TfjsLayersModelLoader().canLoad(file)) {
            return model(key, folder, file, new TfjsLayersModelLoader());
        }
        if (name.endsWith(".json") && new TfjsGraphModelLoader().canLoad(file)) {
            return model(key, folder, file, new TfjsGraphModelLoader());
        }
        return null;
    }

    /** A model that is its whole folder: every file in it may be broken, the entry file most often. */
    private static Model model(String key, Path folder, Path entry, ModelLoader loader) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toCollection(ArrayList::new));
        }
        long bytes = 0;
        for (Path f : files) {
            bytes += Files.size(f);
        }
        files.remove(entry);
        files.add(0, entry);
        files.add(1, entry);
        return new Model(key, folder, entry, loader, files, bytes);
    }

    private static String report(Map<String, Counts> counts, List<String> findings) {
        StringBuilder text = new StringBuilder("| model | mutants | loaded | ran | refused cleanly | findings | seconds |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n");
        int total = 0;
        for (Map.Entry<String, Counts> e : counts.entrySet()) {
            Counts c = e.getValue();
            long f = findings.stream().filter(s -> s.startsWith(e.getKey() + " ")).count();
            total += c.tried;
            text.append(String.format(java.util.Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %.1f |%n", e.getKey(),
                    c.tried, c.loaded, c.ran, c.refused, f, c.millis / 1000.0));
        }
        text.append("\n").append(total).append(" mutants, ").append(findings.size()).append(" findings\n");
        findings.forEach(f -> text.append("- ").append(f).append('\n'));
        return text.toString();
    }
}
