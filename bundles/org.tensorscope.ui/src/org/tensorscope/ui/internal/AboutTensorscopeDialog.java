package org.tensorscope.ui.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.dialogs.Dialog;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.tensorscope.core.Tensorscope;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.BackendInfo;
import org.tensorscope.core.service.DeviceInfo;
import org.tensorscope.core.service.InferenceBackend;
import org.tensorscope.ui.internal.session.UiContributions;

/**
 * Shows the Tensorscope version and, per installed backend, its framework version and devices.
 * Loading a framework can take seconds the first time, so that part fills in from a job.
 */
public class AboutTensorscopeDialog extends Dialog {

    public static final String TITLE = "About Tensorscope";

    private Text details;
    private final UiContributions contributions;

    public AboutTensorscopeDialog(Shell parent, UiContributions contributions) {
        super(parent);
        this.contributions = contributions;
    }

    @Override
    protected void configureShell(Shell shell) {
        super.configureShell(shell);
        shell.setText(TITLE);
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        Composite area = (Composite) super.createDialogArea(parent);
        details = new Text(area, SWT.MULTI | SWT.READ_ONLY | SWT.WRAP | SWT.V_SCROLL);
        GridData layout = new GridData(SWT.FILL, SWT.FILL, true, true);
        layout.widthHint = 460;
        layout.heightHint = 160;
        details.setLayoutData(layout);
        details.setText(header() + "Frameworks: loading…");
        scheduleBackendQuery();
        return area;
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        createButton(parent, IDialogConstants.OK_ID, IDialogConstants.CLOSE_LABEL, true);
    }

    /** The text shown; tests read it. */
    public String getDetailsText() {
        return details.getText();
    }

    private static String header() {
        return Tensorscope.NAME + " " + Tensorscope.version() + System.lineSeparator()
                + "A workbench for debugging trained neural networks." + System.lineSeparator()
                + System.lineSeparator();
    }

    private void scheduleBackendQuery() {
        Job job = Job.create("Reading framework versions", (IProgressMonitor monitor) -> {
            String text = describeBackends(contributions.contributions().backends());
            details.getDisplay().asyncExec(() -> {
                if (!details.isDisposed()) {
                    details.setText(header() + text);
                }
            });
            return Status.OK_STATUS;
        });
        job.setSystem(true);
        job.schedule();
    }

    private static String describeBackends(List<InferenceBackend> backends) {
        if (backends.isEmpty()) {
            return "No backend is installed: models cannot be run.";
        }
        List<String> lines = new ArrayList<>();
        for (InferenceBackend backend : backends) {
            try {
                BackendInfo info = backend.describe();
                lines.add(info.displayName() + " (devices: "
                        + info.devices().stream().map(DeviceInfo::name).collect(Collectors.joining(", ")) + ")");
            } catch (BackendException e) {
                lines.add(backend.id() + ": " + e.getMessage());
            }
        }
        return String.join(System.lineSeparator(), lines);
    }

    @Override
    protected boolean isResizable() {
        return true;
    }

}
