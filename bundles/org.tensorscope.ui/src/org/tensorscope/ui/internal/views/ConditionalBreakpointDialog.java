package org.tensorscope.ui.internal.views;

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
import org.tensorscope.core.trace.Breakpoint;

/** Asks for a condition on any op's output: NaN/Inf present, max|x| above T, zero fraction above p. */
public class ConditionalBreakpointDialog extends TitleAreaDialog {

    private static final String[] KINDS = {"NaN or Inf present", "max|x| greater than", "zero fraction greater than"};

    private Combo kind;
    private Text value;
    private Breakpoint breakpoint;

    public ConditionalBreakpointDialog(Shell parent) {
        super(parent);
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        setTitle("Add Conditional Breakpoint");
        setMessage("Stepping with F8 stops at every op whose output meets the condition.");
        Composite area = (Composite) super.createDialogArea(parent);
        Composite fields = new Composite(area, SWT.NONE);
        fields.setLayout(new GridLayout(2, false));
        fields.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        new Label(fields, SWT.NONE).setText("&Condition:");
        kind = new Combo(fields, SWT.READ_ONLY);
        kind.setItems(KINDS);
        kind.select(1);
        new Label(fields, SWT.NONE).setText("&Value:");
        value = new Text(fields, SWT.BORDER);
        value.setText("1e6");
        value.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        kind.addListener(SWT.Selection, e -> {
            value.setText(kind.getSelectionIndex() == 2 ? "0.9" : kind.getSelectionIndex() == 1 ? "1e6" : "");
            validate();
        });
        value.addListener(SWT.Modify, e -> validate());
        return area;
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        super.createButtonsForButtonBar(parent);
        getButton(IDialogConstants.OK_ID).setText("&Add");
        validate();
    }

    private void validate() {
        breakpoint = null;
        String text = value.getText().trim();
        value.setEnabled(kind.getSelectionIndex() != 0);
        try {
            breakpoint = switch (kind.getSelectionIndex()) {
                case 0 -> new Breakpoint.NonFinite(true);
                case 1 -> new Breakpoint.MaxAbsAbove(Double.parseDouble(text), true);
                default -> {
                    double p = Double.parseDouble(text);
                    if (p < 0 || p >= 1) {
                        throw new NumberFormatException();
                    }
                    yield new Breakpoint.ZeroFractionAbove(p, true);
                }
            };
            setErrorMessage(null);
        } catch (NumberFormatException e) {
            setErrorMessage(kind.getSelectionIndex() == 2 ? "The zero fraction is a number from 0 up to 1, e.g. 0.9"
                    : "The threshold is a number, e.g. 1e6");
        }
        if (getButton(IDialogConstants.OK_ID) != null) {
            getButton(IDialogConstants.OK_ID).setEnabled(breakpoint != null);
        }
    }

    /** The breakpoint asked for, after OK. */
    public Breakpoint breakpoint() {
        return breakpoint;
    }
}
