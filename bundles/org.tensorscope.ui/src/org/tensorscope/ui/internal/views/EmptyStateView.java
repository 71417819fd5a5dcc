package org.tensorscope.ui.internal.views;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.part.ViewPart;

/**
 * A view that, until it has something to show, tells the user what to do.
 */
public abstract class EmptyStateView extends ViewPart {

    private Label message;

    /** What to do to fill this view, e.g. "Open a model with File > Open Model…". */
    protected abstract String emptyStateMessage();

    @Override
    public void createPartControl(Composite parent) {
        parent.setLayout(new GridLayout(1, false));
        message = new Label(parent, SWT.WRAP | SWT.CENTER);
        message.setText(emptyStateMessage());
        message.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, true));
    }

    /** The text the user sees while the view is empty. */
    public String getEmptyStateText() {
        return message.getText();
    }

    @Override
    public void setFocus() {
        message.setFocus();
    }
}
