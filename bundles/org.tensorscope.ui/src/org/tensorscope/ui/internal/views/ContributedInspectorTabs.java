package org.tensorscope.ui.internal.views;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.widgets.Display;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.service.Inspection;
import org.tensorscope.core.service.TensorInspector;
import org.tensorscope.core.tensor.TensorData;

/**
 * One tab of the Tensor Inspector per {@link TensorInspector} service, added and removed as
 * bundles come and go, without a restart. Service events arrive on any thread; the tabs change on
 * the UI thread. Inspections run in a job, since an inspector may walk millions of values.
 */
final class ContributedInspectorTabs implements ServiceTrackerCustomizer<TensorInspector, TensorInspector> {

    private final BundleContext context;
    private final CTabFolder folder;
    private final ServiceTracker<TensorInspector, TensorInspector> tracker;
    /** Touched on the UI thread only. */
    private final Map<ServiceReference<TensorInspector>, InspectionTab> tabs = new LinkedHashMap<>();
    private TensorSpec shownSpec;
    private TensorData shownData;

    ContributedInspectorTabs(BundleContext context, CTabFolder folder) {
        this.context = context;
        this.folder = folder;
        this.tracker = new ServiceTracker<>(context, TensorInspector.class, this);
    }

    void open() {
        tracker.open();
    }

    void close() {
        tracker.close();
    }

    @Override
    public TensorInspector addingService(ServiceReference<TensorInspector> reference) {
        TensorInspector inspector = context.getService(reference);
        if (inspector == null) {
            return null;
        }
        onUiThread(() -> {
            InspectionTab tab = new InspectionTab(folder, inspector.label());
            tabs.put(reference, tab);
            inspect(inspector, tab);
        });
        return inspector;
    }

    @Override
    public void modifiedService(ServiceReference<TensorInspector> reference, TensorInspector inspector) {
        // label and behaviour do not depend on service properties
    }

    @Override
    public void removedService(ServiceReference<TensorInspector> reference, TensorInspector inspector) {
        onUiThread(() -> {
            InspectionTab tab = tabs.remove(reference);
            if (tab != null) {
                tab.dispose();
            }
        });
        context.ungetService(reference);
    }

    private void onUiThread(Runnable change) {
        Display display = folder.isDisposed() ? null : folder.getDisplay();
        if (display == null) {
            return;
        }
        display.asyncExec(() -> {
            if (!folder.isDisposed()) {
                change.run();
            }
        });
    }

    /** The focus moved to a tensor whose values are not there yet. */
    void showOp(TensorSpec spec) {
        shownSpec = spec;
        shownData = null;
        tabs.values().forEach(tab -> tab.showMessage("Waiting for the values of " + spec.name() + "…"));
    }

    /** The focused tensor's values arrived: every inspector that applies looks at them. */
    void showValues(TensorData data) {
        shownData = data;
        tabs.forEach((reference, tab) -> {
            TensorInspector inspector = tracker.getService(reference);
            if (inspector != null) {
                inspect(inspector, tab);
            }
        });
    }

    void showNothing(String why) {
        shownSpec = null;
        shownData = null;
        tabs.values().forEach(tab -> tab.showMessage(why));
    }

    /** The tab of this title, if an inspector of that label is installed. */
    Optional<InspectionTab> tab(String title) {
        return tabs.values().stream().filter(t -> t.title().equals(title)).findFirst();
    }

    private void inspect(TensorInspector inspector, InspectionTab tab) {
        TensorSpec spec = shownSpec;
        TensorData data = shownData;
        if (spec == null || data == null) {
            tab.showMessage("No tensor values to inspect yet.");
            return;
        }
        if (!inspector.appliesTo(spec)) {
            tab.showMessage(inspector.label() + " does not apply to " + spec.name() + ".");
            return;
        }
        tab.showMessage("Inspecting " + spec.name() + "…");
        Job job = Job.create(inspector.label() + ": inspecting " + spec.name(), (IProgressMonitor monitor) -> {
            Inspection inspection;
            try {
                inspection = inspector.inspect(data);
            } catch (RuntimeException e) {
                onUiThread(() -> {
                    if (data == shownData && !tab.isDisposed()) {
                        tab.showMessage(inspector.label() + " failed on " + spec.name() + ": " + e);
                    }
                });
                return Status.error(inspector.label() + " failed on " + spec.name(), e);
            }
            onUiThread(() -> {
                if (data == shownData && !tab.isDisposed()) {
                    tab.show(inspection);
                }
            });
            return Status.OK_STATUS;
        });
        job.setSystem(true);
        job.schedule();
    }
}
