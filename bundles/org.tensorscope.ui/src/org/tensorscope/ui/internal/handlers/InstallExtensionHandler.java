package org.tensorscope.ui.internal.handlers;

import java.nio.file.Path;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.handlers.HandlerUtil;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.tensorscope.ui.internal.extension.ExtensionInstallException;
import org.tensorscope.ui.internal.extension.ExtensionInstaller;

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
        // installing resolves and starts the bundle, and a rollback waits for the framework: not on the UI thread
        Job job = Job.create("Installing " + jar.getFileName(), monitor -> {
            try {
                Bundle installed = installer.install(jar);
                shell.getDisplay().asyncExec(() -> MessageDialog.openInformation(shell, "Extension Installed",
                        installed.getSymbolicName() + " " + installed.getVersion() + " is installed and running."
                                + " It stays until Tensorscope restarts; install it from an update site"
                                + " (Help > Install New Software…) to keep it."));
            } catch (ExtensionInstallException e) {
                shell.getDisplay().asyncExec(() -> MessageDialog.openError(shell, "Extension Not Installed",
                        jar.getFileName() + " was not installed, and nothing was changed.\n\n" + e.problem()));
            }
        });
        job.setUser(true);
        job.schedule();
        return null;
    }
}
