package org.tensorscope.ui.charts.internal;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageDataProvider;
import org.eclipse.swt.graphics.PaletteData;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Listener;
import org.eclipse.swt.widgets.Shell;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.swt.SWTGraphics2D;

/**
 * Draws a JFreeChart on an SWT canvas. A chart set with {@link #setChart} is drawn through
 * SWTGraphics2D in the paint; one given to {@link #render} is made and drawn into an SWT image by
 * a job, off the UI thread, and shown as the canvas's background image, which GTK paints from the
 * image's own pixels (the paint draws the chart itself, as the first way, only while the canvas has
 * another size than the image). {@code GC.drawImage} is not used for it: SWT copies the whole image
 * back into an {@code ImageData} on every call, on the UI thread.
 */
final class ChartCanvas {

    private final Canvas canvas;
    private JFreeChart chart;
    private JFreeChart painted;
    private ChartRenderingInfo rendering = new ChartRenderingInfo(null);
    /** The chart drawn off the UI thread, at {@link #imageArea}'s size, the canvas's background; null while none is. */
    private Image image;
    private Rectangle imageArea;
    /** Counts the charts asked for, so that a drawing finished after a newer request is dropped. */
    private long requests;
    /** The request whose chart {@link #chart} is: an older one while the newest is being drawn. */
    private long chartRequest;
    private int zoom;
    private Job drawing;
    /** The thread that drew the chart on the screen last (tests check it is not the UI thread). */
    Thread drewOn;
    /** The thread that made the SWT image on the screen, null while none is (tests check it is not the UI thread). */
    Thread imageMadeOn;

    /** How many charts the canvases' jobs are drawing now. */
    private static final AtomicInteger DRAWING = new AtomicInteger();

    ChartCanvas(Composite parent) {
        canvas = new Canvas(parent, SWT.DOUBLE_BUFFERED);
        canvas.addPaintListener(e -> {
            if (chart == null) {
                return;
            }
            Rectangle area = canvas.getClientArea();
            if (image == null || area.width != imageArea.width || area.height != imageArea.height) {
                SWTGraphics2D g2 = new SWTGraphics2D(e.gc);
                rendering = new ChartRenderingInfo(null);
                chart.draw(g2, new Rectangle2D.Double(0, 0, area.width, area.height), rendering);
                g2.dispose();
                drewOn = Thread.currentThread();
            }
            painted = chart;
        });
        Listener zoomMayChange = e -> zoom = 0;
        Shell shell = canvas.getShell();
        shell.addListener(SWT.ZoomChanged, zoomMayChange);
        shell.addListener(SWT.Move, zoomMayChange);
        canvas.addListener(SWT.Resize, zoomMayChange); // also when the view moves to another window
        canvas.addListener(SWT.Dispose, e -> {
            if (image != null) {
                image.dispose();
            }
            if (!shell.isDisposed()) {
                shell.removeListener(SWT.ZoomChanged, zoomMayChange);
                shell.removeListener(SWT.Move, zoomMayChange);
            }
        });
    }

    /** The zoom of the canvas's monitor, asked again only after its window moved: GDK asks the X server for it. */
    private int zoom() {
        if (zoom == 0) {
            zoom = Math.max(100, canvas.getMonitor().getZoom());
        }
        return zoom;
    }

    Canvas control() {
        return canvas;
    }

    void setChart(JFreeChart chart) {
        chartRequest = ++requests;
        dropImage();
        this.chart = chart;
        canvas.redraw();
    }

    /**
     * Makes the chart and draws it at the canvas's size in a job; the canvas shows it once drawn,
     * and the chart set before until then. {@code shown} runs on the UI thread in the same turn as
     * the canvas takes the new chart, so that what the view says of it changes with it.
     */
    void render(Supplier<JFreeChart> make, Runnable shown) {
        long request = ++requests;
        Rectangle area = canvas.getClientArea();
        if (area.width <= 0 || area.height <= 0) {
            setChart(make.get()); // not on the screen: drawn when it is
            shown.run();
            return;
        }
        int zoom = zoom();
        Display display = canvas.getDisplay();
        if (drawing != null) {
            drawing.cancel(); // a step since: its chart would be dropped
        }
        Job job = Job.create("Drawing the chart", monitor -> {
            if (monitor.isCanceled()) {
                return Status.CANCEL_STATUS;
            }
            Thread drawer = Thread.currentThread();
            JFreeChart made;
            ChartRenderingInfo info = new ChartRenderingInfo(null); // the plot's area; no entity per bar, which nothing reads
            ImageData data;
            DRAWING.incrementAndGet();
            try {
                made = make.get();
                data = draw(made, area.width, area.height, zoom, info);
            } finally {
                DRAWING.decrementAndGet();
            }
            if (display.isDisposed() || monitor.isCanceled()) {
                return Status.CANCEL_STATUS; // the workbench closed, or a step since: its chart would be dropped
            }
            // an SWT image is a cairo surface: made here, its pixels are converted off the UI thread too
            Image drawn = new Image(display, (ImageDataProvider) z -> z == zoom ? data
                    : z == 100 ? data.scaledTo(area.width, area.height) : null);
            display.asyncExec(() -> {
                if (canvas.isDisposed() || request != requests) {
                    drawn.dispose();
                    return;
                }
                Image before = image;
                image = drawn;
                imageArea = area;
                chart = made;
                chartRequest = request;
                rendering = info;
                drewOn = drawer;
                imageMadeOn = drawer;
                canvas.setBackgroundImage(drawn); // also asks for the repaint
                if (before != null) {
                    before.dispose();
                }
                shown.run();
            });
            return Status.OK_STATUS;
        });
        job.setSystem(true);
        job.setPriority(Job.INTERACTIVE);
        drawing = job;
        job.schedule();
    }

    /** How many charts the canvases' jobs are drawing now (the sample charts wait for none to be). */
    static int drawing() {
        return DRAWING.get();
    }

    /** The chart drawn by Java2D into pixels of {@code zoom} percent, as SWT image data. */
    static ImageData draw(JFreeChart made, int width, int height, int zoom, ChartRenderingInfo info) {
        int w = width * zoom / 100;
        int h = height * zoom / 100;
        BufferedImage pixels = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g2 = pixels.createGraphics();
        try {
            g2.scale(zoom / 100.0, zoom / 100.0);
            made.draw(g2, new Rectangle2D.Double(0, 0, width, height), info);
        } finally {
            g2.dispose();
        }
        int[] rgb = ((DataBufferInt) pixels.getRaster().getDataBuffer()).getData();
        ImageData data = new ImageData(w, h, 24, new PaletteData(0xFF0000, 0xFF00, 0xFF));
        for (int y = 0; y < h; y++) {
            data.setPixels(0, y, w, rgb, y * w);
        }
        return data;
    }

    private void dropImage() {
        if (image != null) {
            canvas.setBackgroundImage(null);
            image.dispose();
            image = null;
            imageArea = null;
            imageMadeOn = null;
        }
    }

    /** The image the canvas shows as its background, null while it draws the chart itself. */
    Image backgroundImage() {
        return canvas.getBackgroundImage() == image ? image : null;
    }

    /** Where the last drawing put the plot's data, in canvas pixels. */
    Rectangle2D dataArea() {
        return rendering.getPlotInfo().getDataArea();
    }

    /** Whether the chart set or asked for last is on the screen. */
    boolean isPainted() {
        return chart != null && painted == chart && chartRequest == requests;
    }

    JFreeChart chart() {
        return chart;
    }
}
