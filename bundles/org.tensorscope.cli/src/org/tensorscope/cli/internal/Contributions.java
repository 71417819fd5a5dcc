package org.tensorscope.cli.internal;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;
import org.tensorscope.core.service.InferenceBackend;
import org.tensorscope.core.service.ModelLoader;
import org.tensorscope.core.service.NanCauseRule;

/**
 * The contributed services the commands use, tracked while the command runs.
 */
public final class Contributions implements AutoCloseable {

    /** How long to wait for Declarative Services to register the first of a kind at start-up. */
    private static final long START_UP_WAIT_MILLIS = 30_000;

    private final ServiceTracker<InferenceBackend, InferenceBackend> backends;
    private final ServiceTracker<ModelLoader, ModelLoader> loaders;
    private final ServiceTracker<NanCauseRule, NanCauseRule> rules;

    public Contributions(BundleContext context) {
        backends = open(context, InferenceBackend.class);
        loaders = open(context, ModelLoader.class);
        rules = open(context, NanCauseRule.class);
    }

    private static <S> ServiceTracker<S, S> open(BundleContext context, Class<S> type) {
        ServiceTracker<S, S> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        return tracker;
    }

    /** Every backend installed, sorted by id; waits for the first one to register. */
    public List<InferenceBackend> backends() {
        return all(backends, new InferenceBackend[0], Comparator.comparing(InferenceBackend::id));
    }

    /** Every model loader installed, sorted by format. */
    public List<ModelLoader> loaders() {
        return all(loaders, new ModelLoader[0], Comparator.comparing(ModelLoader::format));
    }

    /** Every NaN cause rule installed, sorted by id. */
    public List<NanCauseRule> causeRules() {
        return all(rules, new NanCauseRule[0], Comparator.comparing(NanCauseRule::id));
    }

    private static <S> List<S> all(ServiceTracker<S, S> tracker, S[] type, Comparator<S> order) {
        try {
            tracker.waitForService(START_UP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Arrays.stream(tracker.getServices(type)).sorted(order).toList();
    }

    @Override
    public void close() {
        backends.close();
        loaders.close();
        rules.close();
    }
}
