package org.tensorscope.ui.api;

import org.eclipse.swt.SWT;
import org.eclipse.swt.accessibility.ACC;
import org.eclipse.swt.accessibility.AccessibleAdapter;
import org.eclipse.swt.accessibility.AccessibleControlAdapter;
import org.eclipse.swt.accessibility.AccessibleControlEvent;
import org.eclipse.swt.accessibility.AccessibleEvent;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.TextLayout;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Event;

/**
 * A read-only text of a fixed number of lines, drawn on a canvas, for a text that changes often
 * (the focused tensor's header and statistics, which change on every step). Its height comes from
 * its font and the number of lines, whatever the text, so a new text only repaints the line: the
 * window is not laid out again. An SWT {@code Label} on GTK has GTK measure it anew (shaping its
 * text two or three times) and allocate every widget on its way from the window whenever its text
 * changes: while stepping, a fifth of the UI thread's work. Text longer than the width is wrapped
 * at words when the line has more than one line, and is cut at the right edge like a label's.
 * Assistive technologies read the text as the name of a label.
 */
public final class TextLine extends Canvas {

    private final int lines;
    private String text = "";
    /** The text the last paint drew. */
    String painted;
    private int lineHeight;
    private TextLayout layout;

    /** A text line of {@code lines} lines (at least 1). */
    public TextLine(Composite parent, int lines) {
        super(parent, SWT.NO_FOCUS);
        this.lines = Math.max(1, lines);
        lineHeight = measureLineHeight();
        addListener(SWT.Paint, this::paint);
        addListener(SWT.Dispose, e -> {
            if (layout != null) {
                layout.dispose();
            }
        });
        getAccessible().addAccessibleListener(new AccessibleAdapter() {
            @Override
            public void getName(AccessibleEvent e) {
                e.result = text;
            }
        });
        getAccessible().addAccessibleControlListener(new AccessibleControlAdapter() {
            @Override
            public void getRole(AccessibleControlEvent e) {
                e.detail = ACC.ROLE_LABEL;
            }
        });
    }

    /** The text shown, never null. */
    public String getText() {
        checkWidget();
        return text;
    }

    /** Shows another text: a repaint of this line, no layout (null shows nothing). */
    public void setText(String text) {
        checkWidget();
        String next = text == null ? "" : text;
        if (next.equals(this.text)) {
            return;
        }
        this.text = next;
        redraw();
        getAccessible().sendEvent(ACC.EVENT_NAME_CHANGED, null);
    }

    /** The number of lines whose height the line has. */
    public int getLines() {
        checkWidget();
        return lines;
    }

    @Override
    public void setFont(Font font) {
        super.setFont(font);
        lineHeight = measureLineHeight();
        if (layout != null) {
            layout.setFont(getFont());
        }
        redraw();
    }

    /**
     * As tall as its lines in its font, whatever the text; as wide as the text on one line unless
     * a width is given (asked only when a layout runs, not when the text changes).
     */
    @Override
    public Point computeSize(int wHint, int hHint, boolean changed) {
        checkWidget();
        int width = wHint;
        if (width == SWT.DEFAULT) {
            GC gc = new GC(this);
            try {
                width = text.isEmpty() ? 0 : gc.textExtent(text, SWT.DRAW_DELIMITER | SWT.DRAW_TAB).x;
            } finally {
                gc.dispose();
            }
        }
        int height = hHint == SWT.DEFAULT ? lines * lineHeight : hHint;
        int border = getBorderWidth();
        return new Point(width + 2 * border, height + 2 * border);
    }

    private int measureLineHeight() {
        GC gc = new GC(this);
        try {
            return gc.getFontMetrics().getHeight();
        } finally {
            gc.dispose();
        }
    }

    private void paint(Event e) {
        painted = text;
        if (text.isEmpty()) {
            return;
        }
        if (layout == null) {
            layout = new TextLayout(getDisplay());
            layout.setFont(getFont());
        }
        layout.setText(text);
        layout.setWidth(lines > 1 ? Math.max(1, getClientArea().width) : -1);
        e.gc.setForeground(getForeground());
        layout.draw(e.gc, 0, 0);
    }
}
