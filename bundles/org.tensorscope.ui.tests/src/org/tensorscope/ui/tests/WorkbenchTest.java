package org.tensorscope.ui.tests;

import org.tensorscope.ui.internal.session.UiContributions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import org.eclipse.core.commands.Command;
import org.eclipse.jface.action.ActionContributionItem;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.ui.commands.ICommandService;
import org.eclipse.ui.dialogs.PreferencesUtil;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.tensorscope.ui.TensorscopeViews;
import org.tensorscope.ui.internal.AboutTensorscopeDialog;
import org.tensorscope.ui.internal.ModelDebuggingPerspective;
import org.tensorscope.ui.internal.preferences.TensorscopePreferencePage;
import org.tensorscope.ui.api.EmptyStateView;
import org.tensorscope.ui.internal.session.DebugSession;
import org.tensorscope.ui.internal.session.Demo;
import org.tensorscope.ui.internal.ViewContentAhead;
import org.tensorscope.ui.internal.views.GraphView;

/** Runs in the real workbench (UI harness) and checks what a user sees. */
class WorkbenchTest {

    @Test
    void modelDebuggingPerspectiveShowsAllNineViewsWithWhatToDo() {
        IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        IWorkbenchPage page = window.getActivePage();
        assertEquals(ModelDebuggingPerspective.ID, page.getPerspective().getId());
        assertEquals("Model Debugging", page.getPerspective().getLabel());
        for (String id : TensorscopeViews.ALL) {
            IViewPart view = page.findView(id);
            assertNotNull(view, "view " + id + " is not in the perspective");
        }
        assertEquals(
                Arrays.asList("Model Explorer", "Graph", "Tensor Inspector", "Histogram", "Layer Profile", "NaN Trace",
                        "Breakpoints", "Sequence", "Compare"),
                TensorscopeViews.ALL.stream().map(id -> page.findView(id).getTitle()).toList());
        EmptyStateView explorer = (EmptyStateView) page.findView(TensorscopeViews.MODEL_EXPLORER);
        assertTrue(explorer.getEmptyStateText().contains("File > Open Model"), explorer.getEmptyStateText());
    }

    @Test
    void everyBundleResolves() {
        Bundle[] bundles = FrameworkUtil.getBundle(WorkbenchTest.class).getBundleContext().getBundles();
        List<String> unresolved = Arrays.stream(bundles)
                .filter(b -> b.getState() == Bundle.INSTALLED)
                .map(b -> b.getSymbolicName() + " " + b.getVersion())
                .toList();
        assertEquals(List.of(), unresolved);
    }

    @Test
    void helpMenuOffersAboutTensorscopeAndInstallNewSoftware() {
        ICommandService commands = PlatformUI.getWorkbench().getService(ICommandService.class);
        Command about = commands.getCommand("org.tensorscope.ui.commands.about");
        assertTrue(about.isDefined() && about.isHandled(), "About Tensorscope has no handler");
        Command install = commands.getCommand("org.eclipse.equinox.p2.ui.sdk.install");
        assertTrue(install.isDefined() && install.isHandled(), "p2's Install New Software is missing");
        Shell shell = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
        List<String> help = Arrays.stream(shell.getMenuBar().getItems())
                .filter(item -> item.getText().replace("&", "").equals("Help"))
                .flatMap(item -> {
                    item.getMenu().notifyListeners(SWT.Show, new Event());
                    return Arrays.stream(item.getMenu().getItems());
                })
                .map(item -> item.getText().replace("&", ""))
                .toList();
        assertTrue(help.stream().anyMatch(t -> t.startsWith("About Tensorscope")), "Help menu: " + help);
        assertTrue(help.stream().anyMatch(t -> t.startsWith("Install New Software")), "Help menu: " + help);
    }

    @Test
    void preferencesHaveATensorscopePage() {
        PreferenceDialog dialog = PreferencesUtil.createPreferenceDialogOn(
                PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), "org.tensorscope.ui.preferences", null,
                null);
        dialog.setBlockOnOpen(false);
        dialog.open();
        try {
            assertTrue(dialog.getSelectedPage() instanceof TensorscopePreferencePage, String.valueOf(dialog.getSelectedPage()));
            assertEquals("Tensorscope", ((TensorscopePreferencePage) dialog.getSelectedPage()).getTitle());
        } finally {
            dialog.close();
        }
    }

    @Test
    void aboutDialogNamesTensorscopeAndTheTensorFlowRuntime() {
        Display display = Display.getCurrent();
        AboutTensorscopeDialog dialog = new AboutTensorscopeDialog(
                PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), TestServices.get(UiContributions.class));
        dialog.setBlockOnOpen(false);
        dialog.open();
        try {
            boolean loaded = UiWait.until(display, () -> dialog.getDetailsText().contains("TensorFlow"), 60_000);
            String text = dialog.getDetailsText();
            assertTrue(loaded, text);
            assertTrue(text.startsWith("Tensorscope 0.1.0"), text);
            // the version the runtime reports, whichever TensorFlow the build bundles
            assertTrue(Pattern.compile("TensorFlow \\d+\\.\\d+\\.\\d+ \\(devices: CPU:0").matcher(text).find(), text);
        } finally {
            dialog.close();
        }
    }

    /**
     * The window shows sooner when the views that are empty at start build nothing more: a view
     * builds its content, and its tool bar, only once the session has something for it.
     */
    @Test
    void anEmptyViewBuildsItsContentOnlyOnceItHasSomethingToShow() throws Exception {
        Display display = Display.getCurrent();
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        DebugSession session = TestServices.get(DebugSession.class);
        session.closeModel();
        page.hideView(page.findView(TensorscopeViews.GRAPH));
        GraphView graph = (GraphView) page.showView(TensorscopeViews.GRAPH);
        assertTrue(graph.isShowingEmptyState(), graph.getEmptyStateText());
        assertEquals(0, contentPage(graph).getChildren().length, "the empty Graph view built its content");
        assertEquals(List.of(), toolBarActions(graph));

        session.open(Demo.modelFile(), null, false);
        assertTrue(UiWait.until(display, () -> !graph.isShowingEmptyState(), 60_000), "the demo's graph did not show");
        assertEquals(1, contentPage(graph).getChildren().length);
        assertTrue(toolBarActions(graph).containsAll(List.of("Zoom In", "Zoom Out", "Fit")), toolBarActions(graph).toString());

        // after the window shows, the workbench builds the content of the views it shows, still empty
        session.closeModel();
        page.hideView(graph);
        GraphView ahead = (GraphView) page.showView(TensorscopeViews.GRAPH);
        assertEquals(0, contentPage(ahead).getChildren().length);
        ViewContentAhead.schedule(page.getWorkbenchWindow());
        assertTrue(UiWait.until(display, () -> contentPage(ahead).getChildren().length == 1, 5_000),
                "the Graph view's content was not built ahead");
        assertTrue(ahead.isShowingEmptyState(), "a view built ahead still shows what to do");
        assertTrue(toolBarActions(ahead).contains("Zoom In"), toolBarActions(ahead).toString());

        // a view opened while a model is open builds its content at once
        session.open(Demo.modelFile(), null, false);
        assertTrue(UiWait.until(display, () -> !ahead.isShowingEmptyState(), 60_000), "the demo's graph did not show");
        page.hideView(ahead);
        GraphView again = (GraphView) page.showView(TensorscopeViews.GRAPH);
        assertTrue(!again.isShowingEmptyState() && contentPage(again).getChildren().length == 1);
    }

    /** The page a view shows its content on, beside the page of its empty state. */
    private static Composite contentPage(EmptyStateView view) {
        Composite stack = (Composite) view.getControl();
        return (Composite) stack.getChildren()[1];
    }

    private static List<String> toolBarActions(EmptyStateView view) {
        return Arrays.stream(view.getViewSite().getActionBars().getToolBarManager().getItems())
                .filter(ActionContributionItem.class::isInstance)
                .map(item -> ((ActionContributionItem) item).getAction().getText())
                .toList();
    }
}
