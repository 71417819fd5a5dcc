package org.tensorscope.ui.internal.handlers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.tensorscope.core.input.InputSources;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.ui.internal.session.RunConfiguration;

/**
 * Run > Run Configuration…: the signature, a source per input (the command line's sources,
 * including images with a preprocessing chain), the device and the health mode.
 */
public class RunConfigurationDialog extends TitleAreaDialog {

    private final ModelGraph graph;
    private final RunConfiguration initial;
    private Combo signature;
    private Composite inputsArea;
    final Map<String, Text> sources = new LinkedHashMap<>();
    final Map<String, InputPreview> previews = new LinkedHashMap<>();
    private Combo device;
    private Combo mode;
    private RunConfiguration result;

    public RunConfigurationDialog(Shell parent, ModelGraph graph, RunConfiguration initial) {
        super(parent);
        this.graph = graph;
        this.initial = initial;
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        Composite area = (Composite) super.createDialogArea(parent);
        setTitle("Run " + graph.source().getFileName());
        setMessage("Choose an input source per input: ramp, zeros, const:V, uniform:LO:HI[:SEED], "
                + "normal:MEAN:STD[:SEED], a .npy file or an image such as photo.png?scale=1/255&clip=0:1. "
                + "Append *K to scale any source.");
        Composite form = new Composite(area, SWT.NONE);
        form.setLayout(new GridLayout(2, false));
        form.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        new Label(form, SWT.NONE).setText("&Signature:");
        signature = new Combo(form, SWT.READ_ONLY);
        graph.signatures().forEach(s -> signature.add(s.key()));
        String chosen = initial.signature() != null ? initial.signature()
                : graph.defaultSignature().map(Signature::key).orElse("");
        signature.select(Math.max(0, signature.indexOf(chosen)));
        signature.addListener(SWT.Selection, e -> showInputs());
        inputsArea = new Composite(form, SWT.NONE);
        inputsArea.setLayout(new GridLayout(2, false));
        inputsArea.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 2, 1));
        new Label(form, SWT.NONE).setText("&Device:");
        device = new Combo(form, SWT.READ_ONLY);
        device.setItems("cpu", "gpu");
        device.select(initial.device() == Device.GPU ? 1 : 0);
        new Label(form, SWT.NONE).setText("&Health check:");
        mode = new Combo(form, SWT.READ_ONLY);
        mode.setItems("full", "concise", "curt");
        mode.select(initial.mode() == HealthMode.FULL ? 0 : initial.mode() == HealthMode.CONCISE ? 1 : 2);
        showInputs();
        return area;
    }

    private void showInputs() {
        for (Control c : inputsArea.getChildren()) {
            c.dispose();
        }
        sources.clear();
        previews.clear();
        Signature s = graph.signature(signature.getText()).orElse(null);
        if (s != null) {
            for (SignatureTensor input : s.inputs()) {
                new Label(inputsArea, SWT.NONE).setText(input.key() + " " + input.tensor().dtype().displayName() + " "
                        + input.tensor().shape() + ":");
                Text source = new Text(inputsArea, SWT.BORDER);
                source.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
                source.setText(initialSource(input.key()));
                new Label(inputsArea, SWT.NONE);
                Label preview = new Label(inputsArea, SWT.NONE);
                preview.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
                InputPreview inputPreview = new InputPreview(preview, input.tensor());
                source.addModifyListener(e -> {
                    validate();
                    inputPreview.update(source.getText());
                });
                inputPreview.update(source.getText());
                sources.put(input.key(), source);
                previews.put(input.key(), inputPreview);
            }
        }
        inputsArea.getParent().layout(true, true);
    }

    private String initialSource(String key) {
        for (String text : initial.inputSources()) {
            if (text.startsWith(key + "=")) {
                return text.substring(key.length() + 1);
            }
        }
        return initial.inputSources().size() == 1 && !initial.inputSources().get(0).contains("=")
                ? initial.inputSources().get(0) : "ramp";
    }

    private void validate() {
        for (Map.Entry<String, Text> entry : sources.entrySet()) {
            try {
                InputSources.parse(entry.getValue().getText());
            } catch (IllegalArgumentException e) {
                setErrorMessage(e.getMessage());
                getButton(IDialogConstants.OK_ID).setEnabled(false);
                return;
            }
        }
        setErrorMessage(null);
        getButton(IDialogConstants.OK_ID).setEnabled(true);
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        createButton(parent, IDialogConstants.OK_ID, "&Run", true);
        createButton(parent, IDialogConstants.CANCEL_ID, IDialogConstants.CANCEL_LABEL, false);
    }

    @Override
    protected void okPressed() {
        List<String> texts = new ArrayList<>();
        sources.forEach((key, text) -> texts.add(key + "=" + text.getText().trim()));
        result = new RunConfiguration(signature.getText(), texts, "", Device.parse(device.getText()),
                HealthMode.parse(mode.getText()));
        super.okPressed();
    }



    /** The configuration chosen, null when cancelled. */
    public RunConfiguration result() {
        return result;
    }

    @Override
    protected boolean isResizable() {
        return true;
    }
}
