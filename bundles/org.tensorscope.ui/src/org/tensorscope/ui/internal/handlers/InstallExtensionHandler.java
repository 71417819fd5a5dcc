package org.tensorscope.ui.internal.handlers;

import java.nio.file.Path;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.BusyIndicator;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.handlers.HandlerUtil;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.tensorscope.core.extension.ExtensionInstallException;
import org.tensorscope.core.extension.ExtensionInstaller;

/**
 * Help > Install Extension from File…: installs one bundle jar into the running workbench, so its
 * loaders, backends, inspectors and cause rules appear without a restart.
 */
public class InstallExtensionHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        Shell shell = HandlerUtil.getActiveShell(event);
        FileDialog dialog = new FileDialog(shell, SWT.OPEN);
        dialog.setText("Install Extension from File");
        dialog.setFilterExtensions(new String[] { "*.jar", "*" });
        dialog.setFilterNames(new String[] { "Extension bundles (*.jar)", "All files" });
        String chosen = dialog.open();
        if (chosen == null) {
            return null;
        }
        ExtensionInstaller installer = new ExtensionInstaller(
                FrameworkUtil.getBundle(InstallExtensionHandler.class).getBundleContext());
        Path jar = Path.of(chosen);
        Bundle[] installed = new Bundle[1];
        ExtensionInstallException[] failure = new ExtensionInstallException[1];
        BusyIndicator.showWhile(shell.getDisplay(), () -> {
            try {
                installed[0] = installer.install(jar);
            } catch (ExtensionInstallException e) {
                failure[0] = e;
            }
        });
        if (failure[0] != null) {
            MessageDialog.openError(shell, "Extension Not Installed",
                    jar.getFileName() + " was not installed, and nothing was changed.\n\n" + failure[0].problem());
        } else {
            MessageDialog.openInformation(shell, "Extension Installed", installed[0].getSymbolicName() + " "
                    + installed[0].getVersion() + " is installed and running. It stays until Tensorscope restarts; "
                    + "install it from an update site (Help > Install New Software…) to keep it.");
        }
        return null;
    }
}
