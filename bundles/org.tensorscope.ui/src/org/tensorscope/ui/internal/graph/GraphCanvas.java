package org.tensorscope.ui.internal.graph;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Event;
import org.tensorscope.ui.internal.graph.GraphDrawing.Box;
import org.tensorscope.ui.internal.graph.GraphDrawing.Route;

/**
 * Draws a laid-out graph and lets the user zoom (wheel, +, -), pan (drag, arrow keys) and fit
 * (0 or F). A click on a box reports it as selected, a double click as opened.
 */
public final class GraphCanvas {

    private static final double MIN_ZOOM = 0.05;
    private static final double MAX_ZOOM = 4;
    private static final int MARGIN = 16;
    /** Labels are drawn at the font's size, so below this zoom they no longer fit their boxes. */
    private static final double READABLE_ZOOM = 0.9;
    private static final Color ORIGIN_FILL = new Color(255, 170, 165);
    private static final Color ORIGIN_BORDER = new Color(200, 30, 30);
    private static final Color PROPAGATED_FILL = new Color(255, 214, 160);
    private static final Color PROPAGATED_BORDER = new Color(220, 120, 20);
    private static final Color FINITE_FILL = new Color(214, 236, 214);
    private static final Color SCOPE_FILL = new Color(226, 232, 244);
    private static final Color OP_FILL = new Color(246, 246, 246);
    private static final Color CURRENT_BORDER = new Color(30, 90, 220);

    private final Canvas canvas;
    private final Consumer<Box> onSelect;
    private final Consumer<Box> onOpen;
    private GraphDrawing drawing;
    private Map<String, NodeHealth> health = Map.of();
    private String current;
    private String selected;
    private double zoom = 1;
    private double offsetX = MARGIN;
    private double offsetY = MARGIN;
    private Point dragStart;
    private boolean dragged;
    /** Labels as elided for a width: measuring them through pango took most of a full repaint. */
    private final Map<String, String> elided = new HashMap<>();

    public GraphCanvas(Composite parent, Consumer<Box> onSelect, Consumer<Box> onOpen) {
        this.onSelect = onSelect;
        this.onOpen = onOpen;
        canvas = new Canvas(parent, SWT.DOUBLE_BUFFERED | SWT.NO_BACKGROUND);
        canvas.addListener(SWT.Paint, e -> paint(e.gc));
        canvas.addListener(SWT.MouseVerticalWheel, this::wheel);
        canvas.addListener(SWT.MouseDown, e -> {
            canvas.setFocus();
            dragStart = new Point(e.x, e.y);
            dragged = false;
        });
        canvas.addListener(SWT.MouseMove, this::drag);
        canvas.addListener(SWT.MouseMove, e -> hover(e.x, e.y));
        canvas.addListener(SWT.MouseUp, this::click);
        canvas.addListener(SWT.MouseDoubleClick, e -> boxAt(e.x, e.y).ifPresent(onOpen));
        canvas.addListener(SWT.KeyDown, this::key);
        canvas.addListener(SWT.Traverse, e -> e.doit = e.detail != SWT.TRAVERSE_ARROW_NEXT
                && e.detail != SWT.TRAVERSE_ARROW_PREVIOUS);
    }

    public Canvas control() {
        return canvas;
    }

    public GraphDrawing drawing() {
        return drawing;
    }

    /**
     * Shows a new drawing; keeps the view when it is the same graph relaid, else fits it, or when
     * fitting would make the labels unreadable, shows its top at a readable size.
     */
    public void setDrawing(GraphDrawing drawing, boolean fit) {
        this.drawing = drawing;
        if (!fit) {
            canvas.redraw();
            return;
        }
        fit();
        Rectangle area = canvas.getClientArea();
        if (drawing != null && zoom < READABLE_ZOOM && !drawing.boxes().isEmpty()) {
            // where the data comes in: the topmost box, centred
            Box top = drawing.boxes().stream()
                    .min(Comparator.comparingDouble(Box::y).thenComparingDouble(Box::x)).orElseThrow();
            zoom = READABLE_ZOOM;
            offsetX = area.width / 2.0 - top.centerX() * zoom;
            offsetY = MARGIN - top.y() * zoom;
            canvas.redraw();
        }
    }

    public void setHealth(Map<String, NodeHealth> health) {
        this.health = health;
        canvas.redraw();
    }

    /** Outlines the box of the op under the stepping cursor or selected elsewhere. */
    public void setCurrent(String nodeId) {
        if (canvas.isDisposed()) {
            return;
        }
        String before = current;
        String selectedBefore = selected;
        this.current = nodeId;
        this.selected = nodeId;
        if (drawing == null) {
            canvas.redraw();
            return;
        }
        // only the boxes whose outline changes: a step repainted every box and route of the model
        redrawBox(before);
        redrawBox(selectedBefore);
        redrawBox(nodeId);
    }

    private void redrawBox(String nodeId) {
        if (nodeId == null) {
            return;
        }
        drawing.box(nodeId).ifPresent(box -> {
            int x = (int) Math.floor(box.x() * zoom + offsetX);
            int y = (int) Math.floor(box.y() * zoom + offsetY);
            int w = (int) Math.ceil(box.width() * zoom);
            int h = (int) Math.ceil(box.height() * zoom);
            canvas.redraw(x - 4, y - 4, Math.max(w, 2) + 8, Math.max(h, 2) + 8, false);
        });
    }

    public NodeHealth healthOf(org.tensorscope.core.model.CollapsedGraph.Node node) {
        return NodeHealth.of(health, node);
    }

    public String current() {
        return current;
    }

    public double zoom() {
        return zoom;
    }

    public void zoomBy(double factor) {
        Rectangle area = canvas.getClientArea();
        zoomAround(factor, area.width / 2.0, area.height / 2.0);
    }

    public void fit() {
        Rectangle area = canvas.getClientArea();
        if (drawing == null || area.width <= 0 || area.height <= 0) {
            canvas.redraw();
            return;
        }
        double fitZoom = Math.min((area.width - 2.0 * MARGIN) / Math.max(1, drawing.width()),
                (area.height - 2.0 * MARGIN) / Math.max(1, drawing.height()));
        zoom = clamp(Math.min(1.2, fitZoom));
        offsetX = (area.width - drawing.width() * zoom) / 2;
        offsetY = Math.max(MARGIN, (area.height - drawing.height() * zoom) / 2);
        canvas.redraw();
    }

    /** Scrolls so that a box is in sight, without zooming when it already is. */
    public void reveal(String nodeId) {
        if (drawing == null) {
            return;
        }
        drawing.box(nodeId).ifPresent(box -> {
            Rectangle area = canvas.getClientArea();
            double sx = box.centerX() * zoom + offsetX;
            double sy = box.centerY() * zoom + offsetY;
            if (zoom < READABLE_ZOOM) {
                zoom = 1;
            } else if (sx >= 0 && sx <= area.width && sy >= 0 && sy <= area.height) {
                return;
            }
            offsetX = area.width / 2.0 - box.centerX() * zoom;
            offsetY = area.height / 2.0 - box.centerY() * zoom;
            canvas.redraw();
        });
    }

    /** The full name of the box under the pointer as the canvas's tooltip: labels may be elided. */
    private void hover(int x, int y) {
        String tip = boxAt(x, y).map(GraphCanvas::tooltip).orElse(null);
        if (!java.util.Objects.equals(tip, canvas.getToolTipText())) {
            canvas.setToolTipText(tip);
        }
    }

    static String tooltip(Box box) {
        var node = box.node();
        if (node.isScope()) {
            return node.scope() + " (" + node.opCount() + " ops; double-click to open)";
        }
        return node.op().name() + "\n" + node.type();
    }

    private java.util.Optional<Box> boxAt(int x, int y) {
        return drawing == null ? java.util.Optional.empty()
                : drawing.boxAt((x - offsetX) / zoom, (y - offsetY) / zoom);
    }

    private void wheel(Event e) {
        zoomAround(e.count > 0 ? 1.15 : 1 / 1.15, e.x, e.y);
    }

    private void zoomAround(double factor, double x, double y) {
        double next = clamp(zoom * factor);
        offsetX = x - (x - offsetX) * next / zoom;
        offsetY = y - (y - offsetY) * next / zoom;
        zoom = next;
        canvas.redraw();
    }

    private static double clamp(double z) {
        return Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, z));
    }

    private void drag(Event e) {
        if (dragStart == null || (e.stateMask & SWT.BUTTON_MASK) == 0) {
            return;
        }
        int dx = e.x - dragStart.x;
        int dy = e.y - dragStart.y;
        if (!dragged && Math.abs(dx) + Math.abs(dy) < 4) {
            return;
        }
        dragged = true;
        offsetX += dx;
        offsetY += dy;
        dragStart = new Point(e.x, e.y);
        canvas.redraw();
    }

    private void click(Event e) {
        if (!dragged && e.button == 1) {
            boxAt(e.x, e.y).ifPresent(box -> {
                selected = box.node().id();
                canvas.redraw();
                onSelect.accept(box);
            });
        }
        dragStart = null;
    }

    private void key(Event e) {
        int step = 60;
        switch (e.keyCode) {
            case '+', '=', SWT.KEYPAD_ADD -> zoomBy(1.25);
            case '-', SWT.KEYPAD_SUBTRACT -> zoomBy(1 / 1.25);
            case '0', 'f', SWT.KEYPAD_0 -> fit();
            case SWT.ARROW_LEFT -> pan(step, 0);
            case SWT.ARROW_RIGHT -> pan(-step, 0);
            case SWT.ARROW_UP -> pan(0, step);
            case SWT.ARROW_DOWN -> pan(0, -step);
            case SWT.CR, SWT.KEYPAD_CR -> {
                if (selected != null && drawing != null) {
                    drawing.box(selected).ifPresent(onOpen);
                }
            }
            default -> {
                return;
            }
        }
    }

    private void pan(int dx, int dy) {
        offsetX += dx;
        offsetY += dy;
        canvas.redraw();
    }

    private void paint(GC gc) {
        // what the paint must cover: the whole canvas, or the boxes a step outlined
        Rectangle area = gc.getClipping();
        var display = canvas.getDisplay();
        gc.setBackground(display.getSystemColor(SWT.COLOR_LIST_BACKGROUND));
        gc.fillRectangle(area);
        if (drawing == null) {
            return;
        }
        gc.setAntialias(SWT.ON);
        gc.setTextAntialias(SWT.ON);
        gc.setForeground(display.getSystemColor(SWT.COLOR_DARK_GRAY));
        gc.setLineWidth(1);
        for (Route route : drawing.routes()) {
            if (crosses(route, area)) {
                drawRoute(gc, route);
            }
        }
        boolean labels = zoom >= READABLE_ZOOM * 0.75;
        int line = gc.getFontMetrics().getHeight();
        if (elided.size() > 10_000) {
            elided.clear();
        }
        for (Box box : drawing.boxes()) {
            int x = (int) Math.round(box.x() * zoom + offsetX);
            int y = (int) Math.round(box.y() * zoom + offsetY);
            int w = (int) Math.round(box.width() * zoom);
            int h = (int) Math.round(box.height() * zoom);
            if (x + w < area.x || y + h < area.y || x > area.x + area.width || y > area.y + area.height) {
                continue;
            }
            drawBox(gc, box, new Rectangle(x, y, Math.max(w, 2), Math.max(h, 2)), labels ? line : 0);
        }
    }

    /** Whether a route's bounds, with room for its arrow head, meet the area. */
    private boolean crosses(Route route, Rectangle area) {
        double[] p = route.points();
        double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (int i = 0; i < p.length; i += 2) {
            minX = Math.min(minX, p[i]);
            maxX = Math.max(maxX, p[i]);
            minY = Math.min(minY, p[i + 1]);
            maxY = Math.max(maxY, p[i + 1]);
        }
        double pad = Math.max(3, 7 * zoom) + 2;
        return minX * zoom + offsetX - pad <= area.x + area.width && maxX * zoom + offsetX + pad >= area.x
                && minY * zoom + offsetY - pad <= area.y + area.height && maxY * zoom + offsetY + pad >= area.y;
    }

    private void drawRoute(GC gc, Route route) {
        double[] p = route.points();
        int[] screen = new int[p.length];
        for (int i = 0; i < p.length; i += 2) {
            screen[i] = (int) Math.round(p[i] * zoom + offsetX);
            screen[i + 1] = (int) Math.round(p[i + 1] * zoom + offsetY);
        }
        gc.drawPolyline(screen);
        int n = screen.length;
        double angle = Math.atan2(screen[n - 1] - screen[n - 3], screen[n - 2] - screen[n - 4]);
        double size = Math.max(3, 7 * zoom);
        int[] head = {screen[n - 2], screen[n - 1],
                (int) Math.round(screen[n - 2] - size * Math.cos(angle - 0.4)),
                (int) Math.round(screen[n - 1] - size * Math.sin(angle - 0.4)),
                (int) Math.round(screen[n - 2] - size * Math.cos(angle + 0.4)),
                (int) Math.round(screen[n - 1] - size * Math.sin(angle + 0.4))};
        gc.setBackground(gc.getForeground());
        gc.fillPolygon(head);
    }

    /** A box; its label and type in lines of {@code line} pixels, none when 0 (zoomed out too far to read). */
    private void drawBox(GC gc, Box box, Rectangle r, int line) {
        var display = canvas.getDisplay();
        NodeHealth h = NodeHealth.of(health, box.node());
        Color fill = switch (h) {
            case ORIGIN -> ORIGIN_FILL;
            case PROPAGATED -> PROPAGATED_FILL;
            case FINITE -> FINITE_FILL;
            case NOT_RUN -> box.node().isScope() ? SCOPE_FILL : OP_FILL;
        };
        Color border = switch (h) {
            case ORIGIN -> ORIGIN_BORDER;
            case PROPAGATED -> PROPAGATED_BORDER;
            default -> display.getSystemColor(SWT.COLOR_DARK_GRAY);
        };
        int arc = (int) Math.max(2, 10 * zoom);
        gc.setBackground(fill);
        gc.fillRoundRectangle(r.x, r.y, r.width, r.height, arc, arc);
        boolean isCurrent = box.node().id().equals(current);
        boolean isSelected = box.node().id().equals(selected);
        gc.setForeground(isCurrent ? CURRENT_BORDER : border);
        gc.setLineWidth(isCurrent ? 3 : isSelected || h == NodeHealth.ORIGIN ? 2 : 1);
        if (box.node().isScope()) {
            gc.setLineStyle(isCurrent ? SWT.LINE_SOLID : SWT.LINE_DASH);
        }
        gc.drawRoundRectangle(r.x, r.y, r.width, r.height, arc, arc);
        gc.setLineStyle(SWT.LINE_SOLID);
        gc.setLineWidth(1);
        if (line > 0) {
            gc.setForeground(display.getSystemColor(SWT.COLOR_LIST_FOREGROUND));
            gc.setClipping(r.x + 2, r.y, Math.max(0, r.width - 4), r.height);
            String title = (box.node().isScope() ? "▸ " : "") + box.node().label();
            int room = r.width - 10;
            gc.drawText(elide(gc, title, room), r.x + 6, r.y + Math.max(1, r.height / 2 - line), true);
            gc.setForeground(display.getSystemColor(SWT.COLOR_DARK_GRAY));
            gc.drawText(elide(gc, box.node().type(), room), r.x + 6, r.y + r.height / 2, true);
            gc.setClipping((Rectangle) null);
        }
        gc.setForeground(display.getSystemColor(SWT.COLOR_DARK_GRAY));
    }

    /** The label as fits in {@code room} pixels of the canvas's font (see {@link LabelElision}). */
    private String elide(GC gc, String label, int room) {
        return elided.computeIfAbsent(room + "\u0000" + label,
                key -> LabelElision.middle(label, room, text -> gc.textExtent(text).x));
    }
}
