package org.tensorscope.ui.tests;

import java.util.function.BooleanSupplier;

import org.eclipse.swt.widgets.Display;

/** Runs the event loop until a condition holds, so jobs can hand their results to the UI. */
public final class UiWait {

    private UiWait() {
    }

    public static boolean until(Display display, BooleanSupplier condition, long timeoutMillis) {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                return false;
            }
            if (!display.readAndDispatch()) {
                display.timerExec(50, () -> { });
                display.sleep();
            }
        }
        return true;
    }
}
