package org.tensorscope.ui.internal.session;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.tensorscope.core.service.InferenceBackend;
import org.tensorscope.core.service.ModelLoader;
import org.tensorscope.core.service.NanCauseRule;

/**
 * The contributed services the workbench uses, tracked so that bundles installed or removed at
 * runtime count from the next call. Call from jobs: the first call may wait for start-up.
 */
public final class UiContributions {

    private static final long START_UP_WAIT_MILLIS = 20_000;

    private static UiContributions instance;

    private final ServiceTracker<InferenceBackend, InferenceBackend> backends;
    private final ServiceTracker<ModelLoader, ModelLoader> loaders;
    private final ServiceTracker<NanCauseRule, NanCauseRule> rules;

    private UiContributions(BundleContext context) {
        backends = open(context, InferenceBackend.class);
        loaders = open(context, ModelLoader.class);
        rules = open(context, NanCauseRule.class);
    }

    public static synchronized UiContributions get() {
        if (instance == null) {
            instance = new UiContributions(FrameworkUtil.getBundle(UiContributions.class).getBundleContext());
        }
        return instance;
    }

    private static <S> ServiceTracker<S, S> open(BundleContext context, Class<S> type) {
        ServiceTracker<S, S> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        return tracker;
    }

    public List<InferenceBackend> backends() {
        return all(backends, new InferenceBackend[0], Comparator.comparing(InferenceBackend::id));
    }

    public List<ModelLoader> loaders() {
        return all(loaders, new ModelLoader[0], Comparator.comparing(ModelLoader::format));
    }

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
}
