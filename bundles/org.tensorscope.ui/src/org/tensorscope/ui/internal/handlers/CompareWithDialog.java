package org.tensorscope.ui.internal.handlers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.tensorscope.core.input.InputAssignments;
import org.tensorscope.core.model.Signature;

/**
 * Run > Compare With…: another model fed the same inputs (a conversion, a quantized copy, another
 * checkpoint), or the same model on other inputs; and the tolerance past which a tensor diverges.
 */
public class CompareWithDialog extends TitleAreaDialog {

    /** What the user chose: a model path, or input source texts; and the tolerance. */
    public record Choice(Path otherModel, List<String> otherInputs, double tolerance) {
    }

    private final String modelName;
    private final Signature signature;
    private final String configuredInputs;
    private Button withModel;
    private Button withInputs;
    private Text model;
    private Button browse;
    private Text inputs;
    private Text tolerance;
    private Choice result;
    private final List<String> filePatterns;

    public CompareWithDialog(Shell parent, List<String> filePatterns, String modelName, Signature signature, List<String> configuredInputs) {
        super(parent);
        this.filePatterns = filePatterns;
        this.modelName = modelName;
        this.signature = signature;
        this.configuredInputs = configuredInputs.isEmpty() ? "ramp" : String.join("\n", configuredInputs);
    }

    @Override
    protected void configureShell(Shell shell) {
        super.configureShell(shell);
        shell.setText("Compare With");
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        Composite area = (Composite) super.createDialogArea(parent);
        setTitle("Compare " + modelName + " with…");
        setMessage("Both sides run; every matched tensor is compared, and the first one that differs beyond the "
                + "tolerance is named. The Graph is coloured by divergence while the comparison is shown.");
        Composite form = new Composite(area, SWT.NONE);
        form.setLayout(new GridLayout(3, false));
        form.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));

        withModel = new Button(form, SWT.RADIO);
        withModel.setText("Another &model on the same inputs:");
        withModel.setLayoutData(new GridData(SWT.LEFT, SWT.CENTER, false, false, 3, 1));
        new Label(form, SWT.NONE).setText("   ");
        model = new Text(form, SWT.BORDER);
        model.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        browse = new Button(form, SWT.PUSH);
        browse.setText("&Browse…");
        browse.addListener(SWT.Selection, e -> browse());

        withInputs = new Button(form, SWT.RADIO);
        withInputs.setText("The same model on other &inputs (one [NAME=]SOURCE per line):");
        withInputs.setLayoutData(new GridData(SWT.LEFT, SWT.CENTER, false, false, 3, 1));
        new Label(form, SWT.NONE);
        inputs = new Text(form, SWT.BORDER | SWT.MULTI | SWT.V_SCROLL);
        GridData inputsData = new GridData(SWT.FILL, SWT.FILL, true, true, 2, 1);
        inputsData.heightHint = 60;
        inputs.setLayoutData(inputsData);
        inputs.setText(configuredInputs);
        inputs.addTraverseListener(e -> {
            if (e.detail == SWT.TRAVERSE_TAB_NEXT || e.detail == SWT.TRAVERSE_TAB_PREVIOUS) {
                e.doit = true;
            }
        });

        new Label(form, SWT.NONE).setText("&Tolerance:");
        tolerance = new Text(form, SWT.BORDER);
        tolerance.setText("1e-4");
        tolerance.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        new Label(form, SWT.NONE).setText("max |a-b| / (1+|a|)");

        withModel.setSelection(true);
        withModel.addListener(SWT.Selection, e -> validate());
        withInputs.addListener(SWT.Selection, e -> validate());
        model.addModifyListener(e -> validate());
        inputs.addModifyListener(e -> validate());
        tolerance.addModifyListener(e -> validate());
        return area;
    }

    private void browse() {
        FileDialog dialog = new FileDialog(getShell(), SWT.OPEN);
        dialog.setText("Model to Compare With");
        List<String> patterns = filePatterns;
        if (!patterns.isEmpty()) {
            dialog.setFilterExtensions(new String[] { String.join(";", patterns), "*.*" });
            dialog.setFilterNames(new String[] { "Models (" + String.join(", ", patterns) + ")", "All files" });
        }
        String chosen = dialog.open();
        if (chosen != null) {
            model.setText(chosen);
            withModel.setSelection(true);
            withInputs.setSelection(false);
        }
    }

    private List<String> inputTexts() {
        List<String> texts = new ArrayList<>();
        for (String line : inputs.getText().split("\\R")) {
            if (!line.isBlank()) {
                texts.add(line.strip());
            }
        }
        return texts;
    }

    /** What is wrong with the fields, in one sentence; null when they can run. */
    private String problem() {
        model.setEnabled(withModel.getSelection());
        browse.setEnabled(withModel.getSelection());
        inputs.setEnabled(withInputs.getSelection());
        double tol;
        try {
            tol = Double.parseDouble(tolerance.getText().trim());
        } catch (NumberFormatException e) {
            return "The tolerance '" + tolerance.getText().trim() + "' is not a number";
        }
        if (!(tol >= 0) || Double.isInfinite(tol)) {
            return "The tolerance must be a number of 0 or more";
        }
        if (withModel.getSelection()) {
            String path = model.getText().trim();
            if (path.isEmpty()) {
                return "Choose the model to compare with";
            }
            if (!Files.exists(Path.of(path))) {
                return path + ": no such file or folder";
            }
            return null;
        }
        if (inputTexts().isEmpty()) {
            return "Give the other inputs, e.g. ramp*2";
        }
        try {
            InputAssignments.bind(signature, inputTexts());
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return null;
    }

    private void validate() {
        Button ok = getButton(IDialogConstants.OK_ID);
        if (ok != null) {
            String problem = problem();
            setErrorMessage(problem);
            ok.setEnabled(problem == null);
        }
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        createButton(parent, IDialogConstants.OK_ID, "&Compare", true);
        createButton(parent, IDialogConstants.CANCEL_ID, IDialogConstants.CANCEL_LABEL, false);
        validate();
    }

    @Override
    protected void okPressed() {
        double tol = Double.parseDouble(tolerance.getText().trim());
        result = withModel.getSelection() ? new Choice(Path.of(model.getText().trim()), List.of(), tol)
                : new Choice(null, inputTexts(), tol);
        super.okPressed();
    }

    /** The choice made, null when cancelled. */
    public Choice result() {
        return result;
    }

    @Override
    protected boolean isResizable() {
        return true;
    }
}
