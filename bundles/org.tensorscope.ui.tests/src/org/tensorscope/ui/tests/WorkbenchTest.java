package org.tensorscope.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.BooleanSupplier;

import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.handlers.IHandlerService;
import org.junit.jupiter.api.Test;
import org.tensorscope.ui.TensorscopeViews;
import org.tensorscope.ui.internal.AboutTensorscopeDialog;
import org.tensorscope.ui.internal.ModelDebuggingPerspective;
import org.tensorscope.ui.internal.views.EmptyStateView;

/** Runs in the real workbench (UI harness) and checks what a user sees. */
class WorkbenchTest {

    @Test
    void modelDebuggingPerspectiveShowsAllSixViewsWithWhatToDo() {
        IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        IWorkbenchPage page = window.getActivePage();
        assertEquals(ModelDebuggingPerspective.ID, page.getPerspective().getId());
        assertEquals("Model Debugging", page.getPerspective().getLabel());
        for (String id : TensorscopeViews.ALL) {
            IViewPart view = page.findView(id);
            assertNotNull(view, "view " + id + " is not in the perspective");
        }
        assertEquals(
                Arrays.asList("Model Explorer", "Graph", "Tensor Inspector", "Histogram", "Layer Profile", "NaN Trace"),
                TensorscopeViews.ALL.stream().map(id -> page.findView(id).getTitle()).toList());
        EmptyStateView explorer = (EmptyStateView) page.findView(TensorscopeViews.MODEL_EXPLORER);
        assertTrue(explorer.getEmptyStateText().contains("File > Open Model"), explorer.getEmptyStateText());
    }

    @Test
    void aboutDialogNamesTensorscopeAndTensorFlow2180() throws Exception {
        Display display = Display.getCurrent();
        IHandlerService handlers = PlatformUI.getWorkbench().getService(IHandlerService.class);
        display.asyncExec(() -> {
            try {
                handlers.executeCommand("org.tensorscope.ui.commands.about", null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Shell about = spinUntil(display, () -> findShell(display, AboutTensorscopeDialog.TITLE) != null, 10_000)
                ? findShell(display, AboutTensorscopeDialog.TITLE)
                : null;
        assertNotNull(about, "Help > About Tensorscope did not open");
        try {
            AboutTensorscopeDialog dialog = (AboutTensorscopeDialog) about.getData();
            boolean loaded = spinUntil(display, () -> dialog.getDetailsText().contains("TensorFlow"), 60_000);
            String text = dialog.getDetailsText();
            assertTrue(loaded, text);
            assertTrue(text.startsWith("Tensorscope 0.1.0"), text);
            assertTrue(text.contains("TensorFlow 2.18.0 (devices: CPU:0"), text);
        } finally {
            about.close();
        }
    }

    private static Shell findShell(Display display, String title) {
        return Arrays.stream(display.getShells()).filter(s -> !s.isDisposed() && title.equals(s.getText()))
                .findFirst().orElse(null);
    }

    /** Runs the event loop until the condition holds or the time is up. */
    private static boolean spinUntil(Display display, BooleanSupplier condition, long timeoutMillis) {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                return false;
            }
            if (!display.readAndDispatch()) {
                display.timerExec(50, () -> { });
                display.sleep();
            }
        }
        return true;
    }
}
