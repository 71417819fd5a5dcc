import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Arc2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import javax.imageio.ImageIO;

/**
 * The source of Tensorscope's icons: each is drawn here in vector form on a 16x16 grid (8x8 for
 * overlays) in the flat style and palette of Eclipse's own icons, and written as name.png and
 * name@2x.png. Run from the bundle folder:  java icons/src/DrawIcons.java icons
 * Licensed like the rest of Tensorscope (Apache License 2.0).
 */
public final class DrawIcons {

    static final Color BLUE = new Color(0x3C, 0x78, 0xC3);
    static final Color DARK_BLUE = new Color(0x1F, 0x4E, 0x8C);
    static final Color GREEN = new Color(0x38, 0x9E, 0x3C);
    static final Color RED = new Color(0xD2, 0x32, 0x32);
    static final Color ORANGE = new Color(0xE0, 0x86, 0x00);
    static final Color GREY = new Color(0x6E, 0x6E, 0x6E);
    static final Color LIGHT = new Color(0xF4, 0xF4, 0xF4);
    static final Color YELLOW = new Color(0xF0, 0xC4, 0x3C);
    static final Color PURPLE = new Color(0x7B, 0x3F, 0xA8);

    private DrawIcons() {
    }

    public static void main(String[] args) throws IOException {
        File out = new File(args.length > 0 ? args[0] : "icons");
        Map<String, Consumer<Graphics2D>> icons = new LinkedHashMap<>();
        // commands
        icons.put("open_model", DrawIcons::folder);
        icons.put("open_demo", g -> { network(g, BLUE); star(g, 11.5, 4.5, YELLOW); });
        icons.put("run", g -> play(g, GREEN, 3));
        icons.put("run_config", g -> { play(g, GREEN, 1); lines(g, 9, 9, GREY); });
        icons.put("rerun", DrawIcons::rerun);
        icons.put("cancel", g -> square(g, RED));
        icons.put("step_next", g -> { arrow(g, true, BLUE); bar(g, 13, GREY); });
        icons.put("step_back", g -> { arrow(g, false, BLUE); bar(g, 2, GREY); });
        icons.put("resume", g -> { bar(g, 2.5, YELLOW.darker()); play(g, GREEN, 6); });
        icons.put("run_to_selected", g -> { arrow(g, true, GREEN); box(g, 12, 4, 3.5, 8, BLUE); });
        icons.put("toggle_breakpoint", g -> dot(g, 8, 8, 5, BLUE));
        icons.put("show_in_graph", g -> network(g, BLUE));
        icons.put("about", DrawIcons::about);
        icons.put("install_extension", DrawIcons::plug);
        icons.put("open_folder", g -> { folder(g); });
        icons.put("run_sequence", g -> { filmStrip(g); play(g, GREEN, 5); });
        icons.put("step_next_frame", g -> { filmStrip(g); arrow(g, true, BLUE); });
        icons.put("step_back_frame", g -> { filmStrip(g); arrow(g, false, BLUE); });
        icons.put("compare_with", DrawIcons::compare);
        // views
        icons.put("view_explorer", DrawIcons::tree);
        icons.put("view_graph", g -> network(g, BLUE));
        icons.put("view_inspector", DrawIcons::grid);
        icons.put("view_nantrace", DrawIcons::nanTrace);
        icons.put("view_breakpoints", g -> { dot(g, 5.5, 5.5, 3.5, BLUE); dot(g, 10.5, 10.5, 3.5, BLUE); });
        icons.put("view_histogram", DrawIcons::bars);
        icons.put("view_profile", DrawIcons::profile);
        icons.put("view_sequence", DrawIcons::sequence);
        icons.put("view_compare", DrawIcons::compare);
        // view toolbars
        icons.put("zoom_in", g -> magnifier(g, true, true));
        icons.put("zoom_out", g -> magnifier(g, true, false));
        icons.put("zoom_fit", DrawIcons::fit);
        icons.put("copy", DrawIcons::copy);
        icons.put("export", DrawIcons::save);
        icons.put("clip", DrawIcons::clip);
        icons.put("clear_edits", DrawIcons::eraser);
        icons.put("clear_comparison", g -> { compare(g); cross(g, 4); });
        icons.put("step_to_origin", g -> { arrow(g, true, RED); dot(g, 13, 8, 2.5, RED); });
        icons.put("remove", DrawIcons::cross);
        icons.put("remove_all", g -> { cross(g); cross(g, 3); });
        icons.put("fold_scopes", g -> { box(g, 1.5, 2.5, 13, 11, BLUE); sign(g, false); });
        icons.put("expand_scopes", g -> { box(g, 1.5, 2.5, 13, 11, BLUE); sign(g, true); });
        icons.put("add_breakpoint", g -> { dot(g, 6.5, 9.5, 4.5, BLUE); g.setColor(GREEN.darker()); g.setStroke(stroke(1.8));
            g.draw(new Line2D.Double(10, 4, 15, 4)); g.draw(new Line2D.Double(12.5, 1.5, 12.5, 6.5)); });
        // ops in the Model Explorer, and health overlays for them
        icons.put("op", g -> box(g, 2.5, 4.5, 11, 7, BLUE));
        for (var e : icons.entrySet()) {
            write(out, e.getKey(), 16, e.getValue());
        }
        write(out, "ovr_origin", 8, g -> { dot(g, 4, 4, 3.5, RED); g.setColor(Color.WHITE);
            g.fill(new Rectangle2D.Double(3.4, 1.6, 1.2, 3.2)); g.fill(new Rectangle2D.Double(3.4, 5.4, 1.2, 1.2)); });
        write(out, "ovr_propagated", 8, g -> dot(g, 4, 4, 3.2, ORANGE));
        write(out, "ovr_finite", 8, g -> { g.setColor(GREEN); g.setStroke(stroke(1.6));
            Path2D p = new Path2D.Double(); p.moveTo(1, 4.2); p.lineTo(3.2, 6.4); p.lineTo(7, 1.6); g.draw(p); });
    }

    static void write(File folder, String name, int size, Consumer<Graphics2D> icon) throws IOException {
        folder.mkdirs();
        for (int scale = 1; scale <= 2; scale++) {
            BufferedImage image = new BufferedImage(size * scale, size * scale, BufferedImage.TYPE_INT_ARGB);
            Graphics2D g = image.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.scale(scale, scale);
            icon.accept(g);
            g.dispose();
            ImageIO.write(image, "png", new File(folder, name + (scale == 2 ? "@2x" : "") + ".png"));
        }
    }

    static BasicStroke stroke(double width) {
        return new BasicStroke((float) width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    static void outlined(Graphics2D g, java.awt.Shape shape, Color fill, Color line) {
        g.setColor(fill);
        g.fill(shape);
        g.setColor(line);
        g.setStroke(stroke(1));
        g.draw(shape);
    }

    static void folder(Graphics2D g) {
        Path2D p = new Path2D.Double();
        p.moveTo(1.5, 3.5); p.lineTo(6, 3.5); p.lineTo(7.5, 5); p.lineTo(14.5, 5); p.lineTo(14.5, 13.5); p.lineTo(1.5, 13.5);
        p.closePath();
        outlined(g, p, YELLOW, YELLOW.darker().darker());
    }

    static void play(Graphics2D g, Color color, double x) {
        Path2D p = new Path2D.Double();
        p.moveTo(x, 2.5); p.lineTo(x + 10, 8); p.lineTo(x, 13.5); p.closePath();
        outlined(g, p, color, color.darker());
    }

    static void lines(Graphics2D g, double x, double y, Color color) {
        g.setColor(Color.WHITE);
        g.fill(new Rectangle2D.Double(x - 0.5, y - 0.5, 7, 7));
        g.setColor(color);
        g.setStroke(stroke(1.2));
        for (int i = 0; i < 3; i++) {
            g.draw(new Line2D.Double(x + 0.5, y + 1 + 2 * i, x + 5.5, y + 1 + 2 * i));
        }
    }

    static void rerun(Graphics2D g) {
        g.setColor(GREEN.darker());
        g.setStroke(stroke(2));
        g.draw(new Arc2D.Double(2.5, 2.5, 11, 11, 60, 280, Arc2D.OPEN));
        Path2D head = new Path2D.Double();
        head.moveTo(9.5, 0.8); head.lineTo(14, 3.6); head.lineTo(9.5, 6.2); head.closePath();
        g.fill(head);
    }

    static void square(Graphics2D g, Color color) {
        outlined(g, new RoundRectangle2D.Double(3, 3, 10, 10, 2, 2), color, color.darker());
    }

    static void arrow(Graphics2D g, boolean right, Color color) {
        Path2D p = new Path2D.Double();
        if (right) {
            p.moveTo(1.5, 6); p.lineTo(6.5, 6); p.lineTo(6.5, 3); p.lineTo(11.5, 8); p.lineTo(6.5, 13); p.lineTo(6.5, 10);
            p.lineTo(1.5, 10);
        } else {
            p.moveTo(14.5, 6); p.lineTo(9.5, 6); p.lineTo(9.5, 3); p.lineTo(4.5, 8); p.lineTo(9.5, 13); p.lineTo(9.5, 10);
            p.lineTo(14.5, 10);
        }
        p.closePath();
        outlined(g, p, color, color.darker());
    }

    static void bar(Graphics2D g, double x, Color color) {
        outlined(g, new Rectangle2D.Double(x, 2.5, 1.8, 11), color, color.darker());
    }

    static void box(Graphics2D g, double x, double y, double w, double h, Color color) {
        outlined(g, new RoundRectangle2D.Double(x, y, w, h, 2, 2), new Color(0xDC, 0xE8, 0xF6), color);
    }

    static void dot(Graphics2D g, double cx, double cy, double r, Color color) {
        outlined(g, new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r), color, color.darker());
    }

    static void star(Graphics2D g, double cx, double cy, Color color) {
        Path2D p = new Path2D.Double();
        for (int i = 0; i < 10; i++) {
            double r = i % 2 == 0 ? 4 : 1.8;
            double a = -Math.PI / 2 + i * Math.PI / 5;
            if (i == 0) {
                p.moveTo(cx + r * Math.cos(a), cy + r * Math.sin(a));
            } else {
                p.lineTo(cx + r * Math.cos(a), cy + r * Math.sin(a));
            }
        }
        p.closePath();
        outlined(g, p, color, color.darker());
    }

    static void network(Graphics2D g, Color color) {
        g.setColor(GREY);
        g.setStroke(stroke(1));
        g.draw(new Line2D.Double(4, 4, 8, 12));
        g.draw(new Line2D.Double(12, 4, 8, 12));
        g.draw(new Line2D.Double(4, 4, 12, 4));
        box(g, 1, 1.5, 6, 5, color);
        box(g, 9, 1.5, 6, 5, color);
        box(g, 5, 9.5, 6, 5, color);
    }

    static void about(Graphics2D g) {
        dot(g, 8, 8, 6.5, BLUE);
        g.setColor(Color.WHITE);
        g.fill(new Rectangle2D.Double(7, 7, 2, 5));
        g.fill(new Ellipse2D.Double(7, 3.6, 2, 2));
    }

    static void plug(Graphics2D g) {
        Path2D p = new Path2D.Double();
        p.moveTo(2.5, 5.5); p.lineTo(6, 5.5); p.curveTo(5, 2, 10, 2, 9, 5.5); p.lineTo(12.5, 5.5); p.lineTo(12.5, 9);
        p.curveTo(15.5, 8, 15.5, 13, 12.5, 12); p.lineTo(12.5, 14.5); p.lineTo(2.5, 14.5); p.closePath();
        outlined(g, p, PURPLE, PURPLE.darker());
    }

    static void tree(Graphics2D g) {
        g.setColor(GREY);
        g.setStroke(stroke(1));
        g.draw(new Line2D.Double(4, 5, 4, 12.5));
        g.draw(new Line2D.Double(4, 8.5, 7, 8.5));
        g.draw(new Line2D.Double(4, 12.5, 7, 12.5));
        box(g, 1.5, 1.5, 6, 4, BLUE);
        box(g, 7.5, 6.5, 7, 4, BLUE);
        box(g, 7.5, 10.5, 7, 4, RED);
    }

    static void grid(Graphics2D g) {
        outlined(g, new Rectangle2D.Double(1.5, 2.5, 13, 11), Color.WHITE, GREY);
        g.setColor(GREY);
        g.setStroke(stroke(0.8));
        for (double x = 5.8; x < 14; x += 4.3) {
            g.draw(new Line2D.Double(x, 2.5, x, 13.5));
        }
        for (double y = 6.2; y < 13; y += 3.7) {
            g.draw(new Line2D.Double(1.5, y, 14.5, y));
        }
        g.setColor(RED);
        g.fill(new Rectangle2D.Double(10.5, 10.3, 3.6, 2.8));
        g.setColor(BLUE);
        g.fill(new Rectangle2D.Double(2, 3, 3.5, 2.8));
    }

    static void nanTrace(Graphics2D g) {
        g.setColor(GREY);
        g.setStroke(stroke(1.2));
        g.draw(new Line2D.Double(3, 3, 3, 13));
        dot(g, 3, 3.5, 2, BLUE);
        dot(g, 3, 8, 2, BLUE);
        dot(g, 3, 12.5, 2, RED);
        Path2D warning = new Path2D.Double();
        warning.moveTo(10.5, 4); warning.lineTo(15, 13.5); warning.lineTo(6, 13.5); warning.closePath();
        outlined(g, warning, RED, RED.darker());
        g.setColor(Color.WHITE);
        g.fill(new Rectangle2D.Double(9.9, 6.8, 1.2, 3.6));
        g.fill(new Rectangle2D.Double(9.9, 11.2, 1.2, 1.2));
    }

    static void bars(Graphics2D g) {
        double[] heights = { 3, 7, 10, 6 };
        for (int i = 0; i < heights.length; i++) {
            outlined(g, new Rectangle2D.Double(1.5 + i * 2.6, 14.5 - heights[i], 2.2, heights[i]), new Color(0x9A, 0xAE, 0xC4), GREY);
        }
        outlined(g, new Rectangle2D.Double(12.2, 4.5, 2.3, 10), RED, RED.darker());
    }

    static void profile(Graphics2D g) {
        g.setColor(GREY);
        g.setStroke(stroke(1));
        g.draw(new Line2D.Double(1.5, 1.5, 1.5, 14.5));
        g.draw(new Line2D.Double(1.5, 14.5, 14.5, 14.5));
        g.setColor(BLUE);
        g.setStroke(stroke(1.5));
        Path2D p = new Path2D.Double();
        p.moveTo(2.5, 12); p.lineTo(5.5, 10); p.lineTo(8.5, 10.5); p.lineTo(11.5, 5); p.lineTo(14, 2.5);
        g.draw(p);
        outlined(g, new Rectangle2D.Double(11, 10, 2.5, 4.5), RED, RED.darker());
    }

    static void magnifier(Graphics2D g, boolean sign, boolean plus) {
        g.setColor(GREY.darker());
        g.setStroke(stroke(2.2));
        g.draw(new Line2D.Double(10, 10, 14, 14));
        outlined(g, new Ellipse2D.Double(1.5, 1.5, 10, 10), Color.WHITE, GREY.darker());
        if (sign) {
            g.setColor(BLUE);
            g.setStroke(stroke(1.6));
            g.draw(new Line2D.Double(4, 6.5, 9, 6.5));
            if (plus) {
                g.draw(new Line2D.Double(6.5, 4, 6.5, 9));
            }
        }
    }

    static void sign(Graphics2D g, boolean plus) {
        g.setColor(DARK_BLUE);
        g.setStroke(stroke(1.6));
        g.draw(new Line2D.Double(5, 8, 11, 8));
        if (plus) {
            g.draw(new Line2D.Double(8, 5, 8, 11));
        }
    }

    static void fit(Graphics2D g) {
        g.setColor(GREY.darker());
        g.setStroke(stroke(1.4));
        double[][] corners = { { 2, 2, 1, 1 }, { 14, 2, -1, 1 }, { 2, 14, 1, -1 }, { 14, 14, -1, -1 } };
        for (double[] c : corners) {
            g.draw(new Line2D.Double(c[0], c[1], c[0] + 3.5 * c[2], c[1]));
            g.draw(new Line2D.Double(c[0], c[1], c[0], c[1] + 3.5 * c[3]));
        }
        box(g, 5, 5.5, 6, 5, BLUE);
    }

    static void copy(Graphics2D g) {
        outlined(g, new Rectangle2D.Double(1.5, 1.5, 8, 10), Color.WHITE, GREY);
        outlined(g, new Rectangle2D.Double(6.5, 4.5, 8, 10), Color.WHITE, GREY.darker());
        lines(g, 8, 6.5, GREY);
    }

    static void save(Graphics2D g) {
        outlined(g, new RoundRectangle2D.Double(1.5, 1.5, 13, 13, 2, 2), BLUE, DARK_BLUE);
        g.setColor(Color.WHITE);
        g.fill(new Rectangle2D.Double(4, 2, 8, 5));
        g.setColor(LIGHT);
        g.fill(new Rectangle2D.Double(4.5, 9.5, 7, 4.5));
    }

    static void clip(Graphics2D g) {
        g.setColor(GREY);
        g.setStroke(stroke(1.2));
        g.draw(new Line2D.Double(1.5, 3.5, 14.5, 3.5));
        g.draw(new Line2D.Double(1.5, 12.5, 14.5, 12.5));
        g.setColor(BLUE);
        g.setStroke(stroke(1.6));
        Path2D p = new Path2D.Double();
        p.moveTo(1.5, 11); p.lineTo(4.5, 3.5); p.lineTo(8.5, 3.5); p.lineTo(11, 12.5); p.lineTo(14.5, 12.5);
        g.draw(p);
    }

    static void eraser(Graphics2D g) {
        Path2D p = new Path2D.Double();
        p.moveTo(2, 10); p.lineTo(9, 3); p.lineTo(14, 8); p.lineTo(8, 14); p.lineTo(5, 14); p.closePath();
        outlined(g, p, new Color(0xF2, 0x9C, 0xB0), GREY.darker());
        g.setColor(GREY.darker());
        g.setStroke(stroke(1));
        g.draw(new Line2D.Double(5.5, 6.5, 11, 11.5));
    }

    static void cross(Graphics2D g) {
        cross(g, 0);
    }

    static void cross(Graphics2D g, double offset) {
        g.setColor(RED);
        g.setStroke(stroke(2.2));
        g.draw(new Line2D.Double(3 + offset, 3, 10 + offset, 10));
        g.draw(new Line2D.Double(10 + offset, 3, 3 + offset, 10));
    }

    /** Frames of a film: a grey strip with sprocket holes along its top and bottom. */
    static void filmStrip(Graphics2D g) {
        outlined(g, new Rectangle2D.Double(0.5, 1.5, 15, 13), LIGHT, GREY);
        g.setColor(GREY);
        for (double x = 2; x < 15; x += 3) {
            g.fill(new Rectangle2D.Double(x, 2.3, 1.6, 1.4));
            g.fill(new Rectangle2D.Double(x, 12.3, 1.6, 1.4));
        }
    }

    /** A value over steps that drifts upwards, the step where it went wrong marked red. */
    static void sequence(Graphics2D g) {
        g.setColor(GREY);
        g.setStroke(stroke(1));
        g.draw(new Line2D.Double(1.5, 14.5, 14.5, 14.5));
        double[] ys = { 12, 11.5, 10.5, 9, 6.5, 3 };
        Path2D p = new Path2D.Double();
        for (int i = 0; i < ys.length; i++) {
            double x = 2 + i * 2.4;
            if (i == 0) {
                p.moveTo(x, ys[i]);
            } else {
                p.lineTo(x, ys[i]);
            }
        }
        g.setColor(BLUE);
        g.setStroke(stroke(1.5));
        g.draw(p);
        g.setColor(RED);
        g.setStroke(stroke(1.2));
        g.draw(new Line2D.Double(11.6, 1.5, 11.6, 14));
        for (int i = 0; i < ys.length; i++) {
            dot(g, 2 + i * 2.4, ys[i], 1, i == 4 ? RED : BLUE);
        }
    }

    /** Two runs side by side, the one on the right differing in one box. */
    static void compare(Graphics2D g) {
        for (int side = 0; side < 2; side++) {
            double x = 1 + side * 8;
            g.setColor(GREY);
            g.setStroke(stroke(1));
            g.draw(new Line2D.Double(x + 3, 4, x + 3, 12));
            box(g, x, 1.5, 6, 3.5, BLUE);
            if (side == 0) {
                box(g, x, 6.5, 6, 3.5, BLUE);
            } else {
                outlined(g, new RoundRectangle2D.Double(x, 6.5, 6, 3.5, 2, 2), new Color(0xFF, 0xAA, 0xA5), RED);
            }
            box(g, x, 11.5, 6, 3.5, BLUE);
        }
    }
}
