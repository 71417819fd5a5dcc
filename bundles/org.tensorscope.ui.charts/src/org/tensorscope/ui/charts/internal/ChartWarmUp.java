package org.tensorscope.ui.charts.internal;

import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageDataProvider;
import org.eclipse.swt.widgets.Display;
import org.jfree.chart.ChartRenderingInfo;
import org.tensorscope.core.analysis.Histogram;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.ui.api.TensorscopePreferences;

/**
 * Draws sample histograms into SWT images once per VM, in a job of the lowest priority, when the
 * Histogram view opens. The first charts a VM draws load JFreeChart's classes and Java2D's fonts,
 * then run while the JIT compilers have not yet compiled their code: half a second for the first,
 * and 17-42 ms for each of the next few against a median of 6.5 ms later, which the first steps
 * onto a tensor would otherwise wait for. A sample waits while a real chart is drawn, so as not to slow it down.
 */
final class ChartWarmUp {

    /** After one sample, the first step's chart still took 28-42 ms to draw; after five, 10-28 ms. */
    static final int CHARTS = 5;

    private static final AtomicBoolean ASKED = new AtomicBoolean();

    /** The thread that drew the last sample chart, null until one has (tests check it is not the UI thread). */
    static volatile Thread drewOn;

    private ChartWarmUp() {
    }

    /** Draws the samples, unless this VM has drawn them or is drawing them already. */
    static void start(Display display) {
        if (ASKED.getAndSet(true)) {
            return;
        }
        int bins = TensorscopePreferences.histogramBins();
        Job job = Job.create("Preparing the charts", monitor -> {
            try {
                for (int i = 0; i < CHARTS && !monitor.isCanceled() && !display.isDisposed(); i++) {
                    while (ChartCanvas.drawing() > 0 && !monitor.isCanceled() && !display.isDisposed()) {
                        Thread.sleep(10);
                    }
                    ImageData data = ChartCanvas.draw(HistogramChart.of(Histogram.of(sampleValues(), bins,
                            Histogram.Binning.SYMLOG), null, false), 560, 320, 100, new ChartRenderingInfo(null));
                    // as the canvas makes its images: converting the pixels into cairo's runs code of its own
                    new Image(display, (ImageDataProvider) zoom -> zoom == 100 ? data : null).dispose();
                    drewOn = Thread.currentThread();
                }
            } catch (RuntimeException e) {
                // only a head start: the first real chart meets the same problem and reports it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Status.OK_STATUS;
        });
        job.setSystem(true);
        job.setPriority(Job.DECORATE);
        job.schedule();
    }

    /** Values of both signs and of magnitudes from 1e-6 to 1e6, so that a sample has the labels of a real chart. */
    private static TensorData sampleValues() {
        float[] values = new float[256];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((i % 2 == 0 ? 1 : -1) * (1 + i % 7) * Math.pow(10, i % 13 - 6));
        }
        return TensorData.ofFloats("sample", Shape.of(values.length), values);
    }
}
