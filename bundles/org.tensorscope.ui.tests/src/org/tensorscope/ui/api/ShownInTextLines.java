package org.tensorscope.ui.api;

/**
 * What a {@link TextLine} has on the screen, read from its field: this test fragment shares the
 * package, so the product carries no getter for tests.
 */
public final class ShownInTextLines {

    private ShownInTextLines() {
    }

    /** The text the line's last paint drew, null before its first paint. */
    public static String painted(TextLine line) {
        return line.painted;
    }
}
