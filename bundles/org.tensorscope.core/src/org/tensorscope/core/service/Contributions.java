package org.tensorscope.core.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.eclipse.core.runtime.IProgressMonitor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.tensorscope.core.Tensorscope;
import org.tensorscope.core.internal.worker.Worker;
import org.tensorscope.core.internal.worker.WorkerMode;
import org.tensorscope.core.internal.worker.WorkerPlan;

/**
 * The installed loaders, backends, inspectors and cause rules, tracked from the first call that needs
 * them until closed, so that a bundle installed or removed at runtime counts from the next call; and
 * opening a model with them. Shared by the
 * command line and the workbench. Calls may wait for Declarative Services at start-up: make them
 * from a job or a headless thread.
 */
public final class Contributions implements AutoCloseable {

    /** How long to wait for the first contribution of a kind to register at start-up. */
    private static final long START_UP_WAIT_MILLIS = 30_000;
    /** How many entries of a folder that is no model are looked at for models in it, and how many are named. */
    private static final int FILES_LOOKED_AT = 1_000;
    private static final int MODEL_FILES_NAMED = 3;
    /** Subfolders of a refused folder looked into for a model each: a hint, not a search. */
    private static final int FOLDERS_LOOKED_INTO = 20;

    private final ServiceTracker<InferenceBackend, InferenceBackend> backends;
    private final ServiceTracker<ModelLoader, ModelLoader> loaders;
    private final ServiceTracker<NanCauseRule, NanCauseRule> rules;
    private final ServiceTracker<TensorInspector, TensorInspector> inspectors;
    private final Set<ServiceTracker<?, ?>> waited = ConcurrentHashMap.newKeySet();
    private final Set<ServiceTracker<?, ?>> opened = ConcurrentHashMap.newKeySet();
    private final BundleContext context;
    /** Where models load and run when they run in a worker process; null when they run in this JVM. */
    private final Worker worker;
    private List<InferenceBackend> workerBackends;

    /** Contributions that load and run models where {@code -Dtensorscope.worker} says (in this JVM by default). */
    public Contributions(BundleContext context) {
        this(context, !WorkerMode.inProcess(context));
    }

    /**
     * @param inWorker whether models load and run in a worker process, so that a native crash or
     *                 an exhausted heap there ends only the worker
     */
    public Contributions(BundleContext context, boolean inWorker) {
        this.context = context;
        backends = new ServiceTracker<>(context, InferenceBackend.class, null);
        loaders = new ServiceTracker<>(context, ModelLoader.class, null);
        rules = new ServiceTracker<>(context, NanCauseRule.class, null);
        inspectors = new ServiceTracker<>(context, TensorInspector.class, null);
        worker = inWorker ? new Worker(context, this::workerPlan) : null;
    }

    /**
     * Starts the inference worker in the background when models run in one, so that it is ready by
     * the time the first model is opened; does nothing when they run in this JVM.
     */
    public void startWorker() {
        if (worker != null) {
            worker.prestart();
        }
    }

    /** What the worker starts: the loaders' and backends' bundles and what serves them. */
    private WorkerPlan workerPlan() {
        Set<String> names = new java.util.HashSet<>(Set.of("org.apache.felix.scr", "org.eclipse.equinox.common",
                FrameworkUtil.getBundle(Contributions.class).getSymbolicName()));
        int loaderCount = addBundles(loaders, names);
        int backendCount = addBundles(backends, names);
        return new WorkerPlan(names, loaderCount, backendCount);
    }

    /** Adds the bundles of a tracker's services to the names; returns how many services it has. */
    private <S> int addBundles(ServiceTracker<S, S> tracker, Set<String> names) {
        waitFor(tracker);
        ServiceReference<?>[] references = tracker.getServiceReferences();
        if (references == null) {
            return 0;
        }
        for (ServiceReference<?> reference : references) {
            Bundle bundle = reference.getBundle();
            if (bundle != null) {
                names.add(bundle.getSymbolicName());
            }
        }
        return references.length;
    }

    /**
     * The tracker, opened the first time it is asked for: opening one gets every service it tracks,
     * which activates the contributions' components, so the workbench does it with its first model
     * rather than before its window shows (docs/benchmarks.md).
     */
    private <S> ServiceTracker<S, S> opened(ServiceTracker<S, S> tracker) {
        synchronized (tracker) {
            if (opened.add(tracker)) {
                tracker.open();
            }
        }
        return tracker;
    }

    /** Every backend installed, sorted by id. */
    public List<InferenceBackend> backends() {
        if (worker != null) {
            return workerBackends();
        }
        return all(backends, new InferenceBackend[0], Comparator.comparing(InferenceBackend::id));
    }

    /** Every model loader installed, sorted by format. */
    public List<ModelLoader> loaders() {
        return all(loaders, new ModelLoader[0], Comparator.comparing(ModelLoader::format));
    }

    /**
     * The file name patterns ("*.pb", "saved_model.pb") of the loaders registered now, from their
     * component properties; unlike the other calls this never waits, so a UI thread may make it.
     */
    public List<String> filePatterns() {
        Collection<ServiceReference<ModelLoader>> references;
        try {
            references = context.getServiceReferences(ModelLoader.class, null);
        } catch (InvalidSyntaxException | IllegalStateException e) { // no filter; a stopped bundle has none
            return List.of();
        }
        return references.stream().map(r -> r.getProperty(Tensorscope.PROP_FILE_PATTERNS))
                .flatMap(Contributions::strings).distinct().sorted().toList();
    }

    private static java.util.stream.Stream<String> strings(Object property) {
        if (property instanceof String[] values) {
            return Arrays.stream(values);
        }
        return property instanceof String value ? java.util.stream.Stream.of(value) : java.util.stream.Stream.empty();
    }

    /** Every NaN cause rule installed, in precedence order (see {@link #ranked(ServiceTracker)}). */
    public List<NanCauseRule> causeRules() {
        waitFor(rules);
        return ranked(rules);
    }

    /**
     * The cause rules a tracker holds, highest {@code service.ranking} first (a specific rule such as
     * zero-variance normalisation before the general overflow rule), equal rankings by id.
     */
    public static List<NanCauseRule> ranked(ServiceTracker<NanCauseRule, NanCauseRule> tracker) {
        return tracker.getTracked().entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<ServiceReference<NanCauseRule>, NanCauseRule> e) ->
                        -ranking(e.getKey())).thenComparing(e -> e.getValue().id()))
                .map(Map.Entry::getValue).toList();
    }

    private static int ranking(ServiceReference<?> reference) {
        return reference.getProperty(org.osgi.framework.Constants.SERVICE_RANKING) instanceof Integer ranking
                ? ranking : 0;
    }

    /**
     * Every tensor inspector installed, sorted by label. Does not wait: Tensorscope itself
     * contributes none, so at start-up there may be nothing to wait for.
     */
    public List<TensorInspector> inspectors() {
        return Arrays.stream(opened(inspectors).getServices(new TensorInspector[0]))
                .sorted(Comparator.comparing(TensorInspector::label)).toList();
    }

    /** Every contribution registered now, of all four kinds, with its bundle; does not wait. */
    public List<InstalledContribution> installed() {
        List<InstalledContribution> all = new ArrayList<>();
        describe(opened(loaders), InstalledContribution.Kind.LOADER, ModelLoader::format, all);
        describe(opened(backends), InstalledContribution.Kind.BACKEND, InferenceBackend::id, all);
        describe(opened(inspectors), InstalledContribution.Kind.INSPECTOR, TensorInspector::label, all);
        describe(opened(rules), InstalledContribution.Kind.CAUSE_RULE, NanCauseRule::id, all);
        all.sort(Comparator.comparing(InstalledContribution::kind).thenComparing(InstalledContribution::name));
        return all;
    }

    private static <S> void describe(ServiceTracker<S, S> tracker, InstalledContribution.Kind kind,
            Function<S, String> name, List<InstalledContribution> into) {
        for (Map.Entry<ServiceReference<S>, S> entry : tracker.getTracked().entrySet()) {
            Bundle bundle = entry.getKey().getBundle();
            if (bundle != null) { // null once unregistered while we look
                into.add(new InstalledContribution(kind, name.apply(entry.getValue()), bundle.getSymbolicName(),
                        bundle.getVersion().toString()));
            }
        }
    }

    /** Waits for Declarative Services only the first time a kind is asked for; later calls answer at once. */
    private <S> List<S> all(ServiceTracker<S, S> tracker, S[] type, Comparator<S> order) {
        waitFor(tracker);
        return Arrays.stream(tracker.getServices(type)).sorted(order).toList();
    }

    /** Opens the tracker if it is not yet; waits for its first service only the first time. */
    private <S> void waitFor(ServiceTracker<S, S> tracker) {
        opened(tracker);
        if (waited.add(tracker)) {
            try {
                tracker.waitForService(START_UP_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Opens a model with the first installed loader that recognises it. */
    public LoadedModel open(Path path, IProgressMonitor monitor) throws ModelLoadException {
        if (!Files.exists(path)) {
            throw new ModelLoadException(path, "no such file or folder");
        }
        if (worker != null) {
            return worker.load(path, monitor);
        }
        List<ModelLoader> installed = loaders();
        for (ModelLoader loader : installed) {
            if (loader.canLoad(path)) {
                return loader.load(path, monitor);
            }
        }
        List<Path> models = modelsIn(path, installed);
        if (models.size() == 1) { // the folder of a TF.js model: open the one model in it
            Path model = models.get(0);
            for (ModelLoader loader : installed) {
                if (claims(loader, model)) {
                    return loader.load(model, monitor);
                }
            }
        }
        String formats = installed.isEmpty() ? "none is installed"
                : installed.stream().map(ModelLoader::format).collect(Collectors.joining(", "));
        throw new ModelLoadException(path, ModelFiles.unsupportedFormat(path)
                .orElse("not a model format Tensorscope can read" + hint(models.isEmpty()
                        ? modelFoldersIn(path, installed) : models)) + " (formats: " + formats + ")");
    }

    /**
     * The files and folders in a folder that is no model itself that loaders claim (a TF.js model's folder, a folder
     * of SavedModels), sorted by name; none for a file.
     */
    private static List<Path> modelsIn(Path path, List<ModelLoader> loaders) {
        if (!Files.isDirectory(path)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(path)) {
            return files.limit(FILES_LOOKED_AT).filter(f -> Files.isRegularFile(f) || Files.isDirectory(f)).sorted()
                    .filter(file -> loaders.stream().anyMatch(loader -> claims(loader, file))).toList();
        } catch (IOException | UncheckedIOException e) {
            return List.of(); // the refusal stands without the hint
        }
    }

    /** The folders in a folder that each hold exactly one model (a folder of TF.js models' folders). */
    private static List<Path> modelFoldersIn(Path path, List<ModelLoader> loaders) {
        if (!Files.isDirectory(path)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(path)) {
            return files.limit(FOLDERS_LOOKED_INTO).filter(Files::isDirectory).sorted()
                    .filter(folder -> modelsIn(folder, loaders).size() == 1).toList();
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }

    /** "; open a model in it: a.json, saved" naming the models a refused folder holds, or "". */
    private static String hint(List<Path> models) {
        if (models.isEmpty()) {
            return "";
        }
        String shown = models.stream().limit(MODEL_FILES_NAMED).map(file -> file.getFileName().toString())
                .collect(Collectors.joining(", "));
        return "; open a model in it: " + shown + (models.size() > MODEL_FILES_NAMED ? ", ..." : "");
    }

    private static boolean claims(ModelLoader loader, Path file) {
        try {
            return loader.canLoad(file);
        } catch (RuntimeException e) {
            return false; // a hint, not a verdict: a loader that trips over the file does not claim it
        }
    }

    /** The installed backend that runs models of this loader. */
    public InferenceBackend backendFor(LoadedModel model) throws ModelLoadException {
        if (worker != null) {
            Optional<InferenceBackend> remote = worker.backendFor(model);
            if (remote.isPresent()) {
                return remote.get();
            }
        }
        return backends().stream().filter(b -> b.canRun(model)).findFirst()
                .orElseThrow(() -> new ModelLoadException(model.graph().source(),
                        "no installed backend can run a model of format " + model.graph().format()));
    }

    private synchronized List<InferenceBackend> workerBackends() {
        if (workerBackends == null || workerBackends.isEmpty()) {
            workerBackends = worker.backends();
        }
        return workerBackends;
    }

    @Override
    public void close() {
        if (worker != null) {
            worker.close();
        }
        backends.close();
        loaders.close();
        rules.close();
        inspectors.close();
    }
}
