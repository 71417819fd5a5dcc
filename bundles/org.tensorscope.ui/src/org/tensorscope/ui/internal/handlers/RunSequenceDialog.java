package org.tensorscope.ui.internal.handlers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.ui.internal.session.SequenceSettings;

/**
 * Run > Run Sequence…: where the frames come from (a folder of images, an .npy stack whose first
 * axis is time, or generated), which input they feed, the outputs fed back to inputs from one
 * step to the next, and how many steps to run. Every field is reachable by its mnemonic.
 */
public class RunSequenceDialog extends TitleAreaDialog {

    /** Indices of the frame kinds in the combo. */
    static final int FOLDER = 0;
    static final int NPY = 1;
    static final int GENERATED = 2;

    private final String modelName;
    private final Signature signature;
    private final SequenceSettings initial;
    private final Function<SequenceSettings, String> problemOf;
    private Combo kind;
    Text frames;
    private Button browse;
    private Combo input;
    Text feedback;
    private Spinner steps;
    private SequenceSettings result;

    /**
     * @param problemOf says what is wrong with settings (one sentence), null when they can run
     */
    public RunSequenceDialog(Shell parent, String modelName, Signature signature, SequenceSettings initial,
            Function<SequenceSettings, String> problemOf) {
        super(parent);
        this.modelName = modelName;
        this.signature = signature;
        this.initial = initial;
        this.problemOf = problemOf;
    }

    @Override
    protected void configureShell(Shell shell) {
        super.configureShell(shell);
        shell.setText("Run Sequence");
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        Composite area = (Composite) super.createDialogArea(parent);
        setTitle("Run " + modelName + " over a sequence");
        setMessage("Each step runs the model on the next frame; outputs fed back become the next step's inputs. "
                + "The Sequence view charts each output's and state's magnitude over the steps and marks where it "
                + "drifts or turns NaN.");
        Composite form = new Composite(area, SWT.NONE);
        form.setLayout(new GridLayout(3, false));
        form.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));

        new Label(form, SWT.NONE).setText("&Frames:");
        kind = new Combo(form, SWT.READ_ONLY);
        kind.setItems("Folder of images", ".npy stack (first axis is time)", "Generated");
        kind.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
        new Label(form, SWT.NONE).setText("&Source:");
        frames = new Text(form, SWT.BORDER);
        frames.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        browse = new Button(form, SWT.PUSH);
        browse.setText("&Browse…");
        browse.addListener(SWT.Selection, e -> browse());
        new Label(form, SWT.NONE);
        Label framesHint = new Label(form, SWT.WRAP);
        framesHint.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));

        new Label(form, SWT.NONE).setText("Frames &feed:");
        input = new Combo(form, SWT.READ_ONLY);
        input.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
        for (SignatureTensor in : signature.inputs()) {
            input.add(in.key());
        }
        input.select(Math.max(0, Arrays.asList(input.getItems()).indexOf(initial.input())));

        Label feedbackLabel = new Label(form, SWT.NONE);
        feedbackLabel.setText("Feed &back:");
        feedbackLabel.setLayoutData(new GridData(SWT.LEFT, SWT.TOP, false, false));
        feedback = new Text(form, SWT.BORDER | SWT.MULTI | SWT.V_SCROLL);
        GridData feedbackData = new GridData(SWT.FILL, SWT.FILL, true, true, 2, 1);
        feedbackData.heightHint = 80;
        feedback.setLayoutData(feedbackData);
        feedback.setText(String.join("\n", initial.feedback()));
        // Tab moves on, as in every other field, rather than typing a tab
        feedback.addTraverseListener(e -> {
            if (e.detail == SWT.TRAVERSE_TAB_NEXT || e.detail == SWT.TRAVERSE_TAB_PREVIOUS) {
                e.doit = true;
            }
        });
        new Label(form, SWT.NONE);
        Label feedbackHint = new Label(form, SWT.WRAP);
        feedbackHint.setText("One OUTPUT=INPUT per line, e.g. r1o=r1i, or INPUT=expression of outputs, e.g. "
                + "box=clip(Identity_1, 0, 1). Outputs: " + String.join(", ",
                        signature.outputs().stream().map(SignatureTensor::key).toList()));
        GridData hintData = new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1);
        hintData.widthHint = 480;
        feedbackHint.setLayoutData(hintData);

        new Label(form, SWT.NONE).setText("S&teps:");
        steps = new Spinner(form, SWT.BORDER);
        steps.setValues(initial.steps(), 0, 100_000, 0, 1, 10);
        Label stepsHint = new Label(form, SWT.NONE);
        stepsHint.setText("0: as many as there are frames");

        kind.addListener(SWT.Selection, e -> {
            framesHint.setText(hintOf(kind.getSelectionIndex()));
            browse.setEnabled(kind.getSelectionIndex() != GENERATED);
            if (kind.getSelectionIndex() == GENERATED && frames.getText().isBlank()) {
                frames.setText("ramp*1.5^t");
            }
            form.layout(true, true);
            validate();
        });
        kind.select(initial.kind());
        framesHint.setText(hintOf(initial.kind()));
        browse.setEnabled(initial.kind() != GENERATED);
        frames.setText(initial.frames());
        frames.addModifyListener(e -> validate());
        feedback.addModifyListener(e -> validate());
        steps.addModifyListener(e -> validate());
        input.addListener(SWT.Selection, e -> validate());
        return area;
    }

    private static String hintOf(int kind) {
        return switch (kind) {
            case FOLDER -> "Images sorted by name, each through the input's preprocessing, e.g. frames/?scale=1/255";
            case NPY -> "An array whose first axis is time: frame t is its slice [t]";
            default -> "A source per step: ramp, const:V, uniform:LO:HI, with t the step, e.g. ramp*1.5^t";
        };
    }

    private void browse() {
        String chosen;
        if (kind.getSelectionIndex() == FOLDER) {
            DirectoryDialog dialog = new DirectoryDialog(getShell());
            dialog.setText("Folder of Frames");
            dialog.setMessage("Choose the folder holding the frames (sorted by name)");
            chosen = dialog.open();
        } else {
            FileDialog dialog = new FileDialog(getShell(), SWT.OPEN);
            dialog.setText("Frames .npy");
            dialog.setFilterExtensions(new String[] { "*.npy", "*.*" });
            dialog.setFilterNames(new String[] { "NumPy arrays (*.npy)", "All files" });
            chosen = dialog.open();
        }
        if (chosen != null) {
            frames.setText(chosen);
        }
    }

    private SequenceSettings settings() {
        List<String> pairs = new ArrayList<>();
        for (String line : feedback.getText().split("\\R")) {
            if (!line.isBlank()) {
                pairs.add(line.strip());
            }
        }
        return new SequenceSettings(kind.getSelectionIndex(), frames.getText().strip(), input.getText(), pairs,
                steps.getSelection());
    }

    private void validate() {
        Button ok = getButton(IDialogConstants.OK_ID);
        if (ok == null) {
            return;
        }
        SequenceSettings settings = settings();
        String problem = settings.frames().isEmpty() && settings.feedback().isEmpty()
                ? "Choose where the frames come from, or feed outputs back" : problemOf.apply(settings);
        setErrorMessage(problem);
        ok.setEnabled(problem == null);
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        createButton(parent, IDialogConstants.OK_ID, "&Run", true);
        createButton(parent, IDialogConstants.CANCEL_ID, IDialogConstants.CANCEL_LABEL, false);
        validate();
    }

    @Override
    protected void okPressed() {
        result = settings();
        super.okPressed();
    }

    /** The settings chosen, null when cancelled. */
    public SequenceSettings result() {
        return result;
    }




    @Override
    protected boolean isResizable() {
        return true;
    }
}
