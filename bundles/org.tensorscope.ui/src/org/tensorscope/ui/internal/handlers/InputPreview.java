package org.tensorscope.ui.internal.handlers;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.widgets.Label;
import org.tensorscope.core.analysis.TensorStats;
import org.tensorscope.core.input.InputSources;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.tensor.TensorData;

/**
 * Under an input's source, the tensor it makes: shape and range, NaN and Inf counts. Images are
 * read and preprocessed in a job, a moment after the user stops typing.
 */
final class InputPreview {

    private static final int DELAY_MILLIS = 250;

    private final Label label;
    private final TensorSpec input;
    private Job job;

    InputPreview(Label label, TensorSpec input) {
        this.label = label;
        this.input = input;
    }

    void update(String sourceText) {
        if (job != null) {
            job.cancel();
        }
        label.setText("…");
        job = Job.create("Previewing input " + input.name(), monitor -> {
            String text;
            try {
                TensorData data = InputSources.parse(sourceText).create(input);
                TensorStats s = TensorStats.of(data);
                text = String.format("→ %s %s   range [%.4g, %.4g]   mean %.4g%s", data.dtype().displayName(),
                        data.shape(), s.min(), s.max(), s.mean(), s.nonFiniteCount() == 0 ? ""
                                : String.format("   NaN %d, Inf %d", s.nan(), s.posInf() + s.negInf()));
            } catch (Exception e) {
                text = "→ " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
            if (!monitor.isCanceled()) {
                String shown = text;
                label.getDisplay().asyncExec(() -> {
                    if (!label.isDisposed()) {
                        label.setText(shown);
                        label.getParent().layout(true);
                    }
                });
            }
            return Status.OK_STATUS;
        });
        job.setSystem(true);
        job.schedule(DELAY_MILLIS);
    }

    /** The preview shown, for tests. */
    String text() {
        return label.getText();
    }
}
