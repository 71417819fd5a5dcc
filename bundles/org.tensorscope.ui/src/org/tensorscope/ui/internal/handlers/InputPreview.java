package org.tensorscope.ui.internal.handlers;

import java.util.Locale;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.tensorscope.core.analysis.TensorStats;
import org.tensorscope.core.input.InputSources;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.report.Numbers;
import org.tensorscope.core.tensor.TensorData;

/**
 * Under an input's source, the tensor it makes: shape and range, NaN and Inf counts. Images are
 * read and preprocessed in a job, a moment after the user stops typing.
 */
final class InputPreview {

    private static final int DELAY_MILLIS = 250;

    final Label label;
    private final TensorSpec input;
    private final Display display;
    private Job job;

    InputPreview(Label label, TensorSpec input) {
        this.label = label;
        this.input = input;
        this.display = label.getDisplay();
        label.addDisposeListener(e -> cancel());
    }

    void cancel() {
        if (job != null) {
            job.cancel();
        }
    }

    void update(String sourceText) {
        cancel();
        label.setText("…");
        job = Job.create("Previewing input " + input.name(), monitor -> {
            String text;
            try {
                TensorData data = InputSources.parse(sourceText).create(input);
                TensorStats s = TensorStats.of(data);
                text = String.format(Locale.ROOT, "→ %s %s   range [%s, %s]   mean %s%s", data.dtype().displayName(),
                        data.shape(), Numbers.format(s.min()), Numbers.format(s.max()), Numbers.format(s.mean()),
                        s.nonFiniteCount() == 0 ? ""
                                : String.format(Locale.ROOT, "   NaN %d, Inf %d", s.nan(), s.posInf() + s.negInf()));
            } catch (Exception e) {
                text = "→ " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
            if (!monitor.isCanceled()) {
                String shown = text;
                display.asyncExec(() -> {
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

}
