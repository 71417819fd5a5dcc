package org.tensorscope.ui.internal;

import java.nio.file.Path;
import java.util.Optional;

import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.application.ActionBarAdvisor;
import org.eclipse.ui.application.IActionBarConfigurer;
import org.eclipse.ui.application.IWorkbenchConfigurer;
import org.eclipse.ui.application.IWorkbenchWindowConfigurer;
import org.eclipse.ui.application.WorkbenchAdvisor;
import org.eclipse.ui.application.WorkbenchWindowAdvisor;
import org.osgi.service.prefs.BackingStoreException;
import org.osgi.service.prefs.Preferences;
import org.tensorscope.ui.api.TensorscopePreferences;
import org.tensorscope.ui.internal.session.Demo;
import org.tensorscope.ui.internal.session.DebugSession;
import org.tensorscope.ui.internal.session.UiContributions;

/**
 * Opens windows on the Model Debugging perspective.
 */
public class TensorscopeWorkbenchAdvisor extends WorkbenchAdvisor {

    public static final String DEMO_PROPERTY = "tensorscope.demoOnFirstStart";
    private static final long WORKER_START_DELAY_MILLIS = 1500;

    @Override
    public void initialize(IWorkbenchConfigurer configurer) {
        configurer.setSaveAndRestore(true);
        applyNativeCacheFolder();
    }

    /**
     * Tells JavaCPP where to unpack TensorFlow's natives when the user chose a folder; must run
     * before TensorFlow first loads.
     */
    private static void applyNativeCacheFolder() {
        String folder = TensorscopePreferences.store().getString(TensorscopePreferences.JAVACPP_CACHE).trim();
        if (!folder.isEmpty() && System.getProperty("org.bytedeco.javacpp.cachedir") == null) {
            System.setProperty("org.bytedeco.javacpp.cachedir", folder);
        }
    }

    /**
     * Opens the model named on the command line, or on the very first start the demo (the system
     * property {@value #DEMO_PROPERTY}=false turns that off, e.g. for tests).
     */
    @Override
    public void postStartup() {
        IWorkbenchWindow window = getWorkbenchConfigurer().getWorkbench().getActiveWorkbenchWindow();
        if (window != null) {
            ViewContentAhead.schedule(window);
        }
        Optional<String> model = modelArgument(Platform.getApplicationArgs());
        if (model.isPresent()) {
            session().open(Path.of(model.get()), null, false);
            return;
        }
        Preferences preferences = InstanceScope.INSTANCE
                .getNode("org.tensorscope.ui");
        if (!Boolean.parseBoolean(System.getProperty(DEMO_PROPERTY, "true")) || preferences.getBoolean("demoShown", false)) {
            startWorkerOnceShown();
            return;
        }
        preferences.putBoolean("demoShown", true);
        try {
            preferences.flush();
        } catch (BackingStoreException e) {
            // at worst the demo opens once more next time
        }
        Demo.open(session());
    }

    /**
     * Starts the inference worker (a second VM: about 3 s of work for both cores) once the window has had
     * time to show, so that it does not compete with the window coming up; opening a model starts it at once.
     */
    private void startWorkerOnceShown() {
        UiContributions contributions = getWorkbenchConfigurer().getWorkbench().getService(UiContributions.class);
        Job start = Job.create("Starting the inference worker", monitor -> {
            contributions.contributions().startWorker();
        });
        start.setSystem(true);
        start.schedule(WORKER_START_DELAY_MILLIS);
    }

    private DebugSession session() {
        return getWorkbenchConfigurer().getWorkbench().getService(DebugSession.class);
    }

    /** The first argument that is neither an option nor an option's value (e.g. of a test harness's -testproperties). */
    static Optional<String> modelArgument(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("-") && (i == 0 || !args[i - 1].startsWith("-"))) {
                return Optional.of(args[i]);
            }
        }
        return Optional.empty();
    }

    /** File > Exit closes the window without asking it: keep its place here too. */
    @Override
    public boolean preShutdown() {
        for (var window : getWorkbenchConfigurer().getWorkbench().getWorkbenchWindows()) {
            if (window.getShell() != null && !window.getShell().isDisposed()) {
                WindowPlacement.save(window.getShell(), windowPreferences());
            }
        }
        return true;
    }

    /** Where the window's size, position and maximized state are kept. */
    static Preferences windowPreferences() {
        return InstanceScope.INSTANCE.getNode("org.tensorscope.ui");
    }

    @Override
    public String getInitialWindowPerspectiveId() {
        return ModelDebuggingPerspective.ID;
    }

    @Override
    public WorkbenchWindowAdvisor createWorkbenchWindowAdvisor(IWorkbenchWindowConfigurer configurer) {
        return new WorkbenchWindowAdvisor(configurer) {
            @Override
            public ActionBarAdvisor createActionBarAdvisor(IActionBarConfigurer actionBars) {
                return new TensorscopeActionBarAdvisor(actionBars);
            }

            @Override
            public void preWindowOpen() {
                IWorkbenchWindowConfigurer window = getWindowConfigurer();
                window.setInitialSize(new Point(1280, 800));
                window.setShowCoolBar(true);
                window.setShowStatusLine(true);
                window.setShowProgressIndicator(true);
                window.setTitle("Tensorscope");
            }

            @Override
            public void postWindowOpen() {
                Shell shell = getWindowConfigurer().getWindow().getShell();
                WindowPlacement.restore(shell, windowPreferences());
                WindowPlacement.track(shell);
            }

            @Override
            public boolean preWindowShellClose() {
                WindowPlacement.save(getWindowConfigurer().getWindow().getShell(), windowPreferences());
                return true;
            }
        };
    }
}
