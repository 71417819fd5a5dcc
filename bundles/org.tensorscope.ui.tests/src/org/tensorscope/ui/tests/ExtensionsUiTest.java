package org.tensorscope.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.eclipse.core.commands.Command;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.commands.ICommandService;
import org.eclipse.ui.dialogs.PreferencesUtil;
import org.junit.jupiter.api.Test;
import org.tensorscope.ui.internal.preferences.ExtensionsPreferencePage;
import org.tensorscope.ui.internal.preferences.ShownInPreferences;

/** What the workbench offers for extensions: Help menu entries and the Extensions preference page. */
class ExtensionsUiTest {

    @Test
    void helpMenuOffersInstallationDetailsAndInstallExtensionFromFile() {
        ICommandService commands = PlatformUI.getWorkbench().getService(ICommandService.class);
        for (String id : List.of("org.tensorscope.ui.commands.installExtension",
                "org.eclipse.equinox.p2.ui.sdk.installationDetails", "org.eclipse.equinox.p2.ui.sdk.install")) {
            Command command = commands.getCommand(id);
            assertTrue(command.isDefined() && command.isHandled(), id + " has no handler");
        }
        List<String> help = helpMenuItems();
        for (String item : List.of("Install New Software", "Installation Details", "Install Extension from File")) {
            assertTrue(help.stream().anyMatch(t -> t.startsWith(item)), item + " is not in the Help menu: " + help);
        }
    }

    @Test
    void extensionsPageListsEachContributionWithItsBundleAndVersion() {
        PreferenceDialog dialog = PreferencesUtil.createPreferenceDialogOn(
                PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(),
                "org.tensorscope.ui.preferences.extensions", null, null);
        dialog.setBlockOnOpen(false);
        dialog.open();
        try {
            ExtensionsPreferencePage page = (ExtensionsPreferencePage) dialog.getSelectedPage();
            assertEquals("Extensions", page.getTitle());
            List<List<String>> rows = ShownInPreferences.rows(page);
            assertTrue(rows.stream().anyMatch(r -> r.get(0).equals("Backend") && r.get(1).equals("tensorflow")
                    && r.get(2).equals("org.tensorscope.tensorflow") && r.get(3).startsWith("0.1.0.")), rows.toString());
            assertTrue(rows.stream().anyMatch(r -> r.get(0).equals("Model loader")
                    && r.get(2).equals("org.tensorscope.tensorflow")), rows.toString());
            assertTrue(rows.stream().anyMatch(r -> r.get(0).equals("NaN cause rule")
                    && r.get(2).equals("org.tensorscope.core")), rows.toString());
        } finally {
            dialog.close();
        }
    }

    private static List<String> helpMenuItems() {
        Shell shell = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
        return Arrays.stream(shell.getMenuBar().getItems())
                .filter(item -> item.getText().replace("&", "").equals("Help"))
                .flatMap(item -> {
                    item.getMenu().notifyListeners(SWT.Show, new Event());
                    return Arrays.stream(item.getMenu().getItems());
                })
                .map(item -> item.getText().replace("&", "").split("\t")[0])
                .toList();
    }
}
