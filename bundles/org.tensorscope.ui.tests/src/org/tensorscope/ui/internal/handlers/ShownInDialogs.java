package org.tensorscope.ui.internal.handlers;

import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Text;

/** The fields of the run dialogs, read from this test fragment, which shares their package. */
public final class ShownInDialogs {

    private ShownInDialogs() {
    }

    public static Text framesField(RunSequenceDialog dialog) {
        return dialog.frames;
    }

    public static Text feedbackField(RunSequenceDialog dialog) {
        return dialog.feedback;
    }

    /** Whether Run can be pressed: the dialog's OK button (JFace keeps the button's id as its data) is enabled. */
    public static boolean canRun(RunSequenceDialog dialog) {
        Button ok = okButton(dialog.getShell());
        return ok != null && ok.isEnabled();
    }

    private static Button okButton(Composite parent) {
        for (Control child : parent.getChildren()) {
            if (child instanceof Button button && Integer.valueOf(IDialogConstants.OK_ID).equals(button.getData())) {
                return button;
            }
            if (child instanceof Composite composite) {
                Button found = okButton(composite);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** The source field of an input. */
    public static Text sourceField(RunConfigurationDialog dialog, String inputKey) {
        return dialog.sources.get(inputKey);
    }

    /** The preview of the tensor an input's source makes. */
    public static String previewText(RunConfigurationDialog dialog, String inputKey) {
        return dialog.previews.get(inputKey).label.getText();
    }
}
