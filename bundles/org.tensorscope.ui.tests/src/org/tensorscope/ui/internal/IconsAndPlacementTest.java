package org.tensorscope.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.jface.resource.ImageDescriptor;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.ToolBar;
import org.eclipse.swt.widgets.ToolItem;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.views.IViewDescriptor;
import org.junit.jupiter.api.Test;
import org.osgi.service.prefs.Preferences;
import org.tensorscope.ui.TensorscopeViews;

/**
 * Toolbars of icons whose tooltips name the key, an icon for every view at 16x16 and 32x32, and a
 * window that reopens where it was.
 */
class IconsAndPlacementTest {

    @Test
    void theMainToolbarShowsIconsWithTooltipsNamingTheKeys() {
        Shell shell = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
        List<ToolItem> debug = new ArrayList<>();
        for (ToolBar bar : toolBars(shell)) {
            for (ToolItem item : bar.getItems()) {
                if (item.getToolTipText() != null && item.getToolTipText().startsWith("Run with NaN trace")) {
                    debug.addAll(List.of(bar.getItems()));
                }
            }
        }
        assertFalse(debug.isEmpty(), "no Debug toolbar with a Run item");
        for (ToolItem item : debug) {
            if ((item.getStyle() & org.eclipse.swt.SWT.SEPARATOR) != 0) {
                continue;
            }
            assertNotNull(item.getImage(), "no icon: " + item.getToolTipText());
            assertEquals("", item.getText(), "a word instead of an icon: " + item.getText());
        }
        String run = debug.stream().map(ToolItem::getToolTipText).filter(t -> t.startsWith("Run with NaN trace"))
                .findFirst().orElseThrow();
        assertTrue(run.contains("Ctrl+F11"), run);
        assertTrue(debug.stream().map(ToolItem::getToolTipText).anyMatch(t -> t.startsWith("Step to Next Op") && t.contains("F6")),
                "Step to Next Op names F6");
    }

    @Test
    void everyViewHasAnIconAtBothSizes() {
        for (String id : TensorscopeViews.ALL) {
            IViewDescriptor view = PlatformUI.getWorkbench().getViewRegistry().find(id);
            ImageDescriptor icon = view.getImageDescriptor();
            assertNotNull(icon, id);
            ImageData normal = icon.getImageData(100);
            ImageData retina = icon.getImageData(200);
            assertNotNull(normal, id + " has no icon file");
            assertEquals(16, normal.width, id);
            assertNotNull(retina, id + " has no @2x icon");
            assertEquals(32, retina.width, id + "@2x");
        }
    }

    @Test
    void viewToolbarsAreIconsWithTooltips() throws Exception {
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        for (String id : List.of(TensorscopeViews.GRAPH, TensorscopeViews.TENSOR_INSPECTOR, TensorscopeViews.BREAKPOINTS,
                TensorscopeViews.HISTOGRAM)) {
            IViewPart view = page.showView(id);
            var items = view.getViewSite().getActionBars().getToolBarManager().getItems();
            assertTrue(items.length > 0, id);
            for (var item : items) {
                if (item instanceof org.eclipse.jface.action.ActionContributionItem action) {
                    assertNotNull(action.getAction().getImageDescriptor(), id + ": " + action.getAction().getText());
                    assertNotNull(action.getAction().getToolTipText(), id + ": " + action.getAction().getText());
                }
            }
        }
        var graph = page.showView(TensorscopeViews.GRAPH).getViewSite().getActionBars().getToolBarManager().getItems();
        assertEquals("Zoom In (+)", ((org.eclipse.jface.action.ActionContributionItem) graph[0]).getAction().getToolTipText());
    }

    @Test
    void theWindowReopensWhereItWasAndMaximizedIfItWas() throws Exception {
        Display display = Display.getCurrent();
        Preferences preferences = InstanceScope.INSTANCE.getNode("org.tensorscope.ui.tests.window");
        preferences.clear();
        Rectangle area = display.getPrimaryMonitor().getClientArea();
        Shell first = new Shell(display);
        try {
            WindowPlacement.restore(first, preferences);
            Rectangle centred = first.getBounds();
            assertEquals(Math.min(1280, area.width), centred.width, "the default width");
            assertTrue(Math.abs(centred.x + centred.width / 2 - (area.x + area.width / 2)) <= 1,
                    "centred on the primary monitor: " + centred + " in " + area);

            Rectangle moved = new Rectangle(area.x + 20, area.y + 30, Math.min(700, area.width - 40),
                    Math.min(500, area.height - 40));
            first.setBounds(moved);
            WindowPlacement.save(first, preferences);
        } finally {
            first.dispose();
        }
        Shell second = new Shell(display);
        try {
            WindowPlacement.restore(second, preferences);
            assertEquals(Math.min(700, area.width - 40), second.getBounds().width);
            assertEquals(area.x + 20, second.getBounds().x);
            assertFalse(second.getMaximized());
        } finally {
            second.dispose();
        }

        preferences.putBoolean("window.maximized", true);
        preferences.putInt("window.x", area.x + area.width * 10); // on a monitor unplugged since
        Shell third = new Shell(display);
        try {
            WindowPlacement.restore(third, preferences);
            assertTrue(third.getMaximized(), "maximized again");
            assertTrue(area.intersects(third.getBounds()), "back on a screen: " + third.getBounds());
        } finally {
            third.dispose();
        }
        preferences.removeNode();
    }

    private static List<ToolBar> toolBars(Composite parent) {
        List<ToolBar> found = new ArrayList<>();
        for (Control child : parent.getChildren()) {
            if (child instanceof ToolBar bar) {
                found.add(bar);
            }
            if (child instanceof Composite composite) {
                found.addAll(toolBars(composite));
            }
        }
        return found;
    }
}
