package org.tensorscope.ui.internal.tensor;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.PaletteData;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.tensorscope.core.report.Numbers;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.tensor.TensorSlice;

/**
 * The slice as an image: finite values from dark blue (min) to yellow (max), NaN magenta, +Inf
 * white, -Inf black. One channel of an activation, or of an input image, at a glance.
 */
public final class Heatmap {

    static final RGB NAN = new RGB(255, 0, 255);
    static final RGB POS_INF = new RGB(255, 255, 255);
    static final RGB NEG_INF = new RGB(0, 0, 0);
    private static final int MAX_SIDE = 1024;

    private final Canvas canvas;
    private TensorData data;
    private TensorSlice slice;
    private ImageData picture;
    private String legend = "";

    public Heatmap(Composite parent) {
        canvas = new Canvas(parent, SWT.DOUBLE_BUFFERED);
        canvas.addListener(SWT.Paint, e -> paint(e.gc));
    }

    public Canvas control() {
        return canvas;
    }

    /**
     * Shows a slice. The picture is made when the canvas first paints it, so that stepping with
     * the Image tab hidden does not colour every pixel of each tensor on the UI thread.
     */
    public void show(TensorData data, TensorSlice slice) {
        this.data = data;
        this.slice = slice;
        picture = null;
        legend = "";
        canvas.redraw();
    }

    public void clear() {
        data = null;
        slice = null;
        picture = null;
        legend = "";
        canvas.redraw();
    }

    /** The slice's picture, made now if it was not yet; null when nothing is shown. */
    ImageData picture() {
        if (picture == null && data != null) {
            draw();
        }
        return picture;
    }

    private void draw() {
        int width = (int) Math.min(MAX_SIDE, slice.columns());
        int height = (int) Math.min(MAX_SIDE, slice.rows());
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < width; c++) {
                double v = data.getDouble(slice.flatIndex(r, c));
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        ImageData image = new ImageData(Math.max(1, width), Math.max(1, height), 24, new PaletteData(0xff0000, 0xff00, 0xff));
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < width; c++) {
                image.setPixel(c, r, image.palette.getPixel(color(data.getDouble(slice.flatIndex(r, c)), min, max)));
            }
        }
        picture = image;
        legend = Double.isInfinite(min) ? "no finite values" : slice.describe() + "  min "
                + Numbers.format(min) + " (blue) .. max " + Numbers.format(max) + " (yellow); NaN magenta, +Inf white, -Inf black";
    }

    /** The colour of a value on the blue-to-yellow scale between min and max. */
    static RGB color(double v, double min, double max) {
        if (Double.isNaN(v)) {
            return NAN;
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? POS_INF : NEG_INF;
        }
        double t = max > min ? (v - min) / (max - min) : 0.5;
        return new RGB((int) Math.round(30 + 225 * t), (int) Math.round(30 + 190 * t), (int) Math.round(120 * (1 - t)));
    }

    private void paint(GC gc) {
        Rectangle area = canvas.getClientArea();
        gc.fillRectangle(area);
        ImageData picture = picture();
        gc.drawText(legend, 4, 2, true);
        if (picture == null) {
            return;
        }
        int top = gc.getFontMetrics().getHeight() + 6;
        double scale = Math.min((area.width - 8.0) / picture.width, (area.height - top - 4.0) / picture.height);
        if (scale <= 0) {
            return;
        }
        Image image = new Image(canvas.getDisplay(), picture);
        try {
            gc.setInterpolation(SWT.NONE);
            gc.drawImage(image, 0, 0, picture.width, picture.height, 4, top,
                    (int) Math.max(1, picture.width * scale), (int) Math.max(1, picture.height * scale));
        } finally {
            image.dispose();
        }
    }
}
