package org.tensorscope.core.trace;

/**
 * Where stepping through a trace stops. A breakpoint is on one op, or conditional on any op
 * whose output meets a condition.
 */
public sealed interface Breakpoint {

    boolean enabled();

    /** Whether stepping stops at this row. */
    boolean matches(TensorHealth row);

    /** What the breakpoint is, as the Breakpoints view and the CLI show it. */
    String describe();

    /** Stops at one op. */
    record OnOp(String opName, boolean enabled) implements Breakpoint {
        @Override
        public boolean matches(TensorHealth row) {
            return enabled && row.opName().equals(opName);
        }

        @Override
        public String describe() {
            return "at " + opName;
        }
    }

    /** Stops where an output holds NaN or infinity. */
    record NonFinite(boolean enabled) implements Breakpoint {
        @Override
        public boolean matches(TensorHealth row) {
            return enabled && !row.isFinite();
        }

        @Override
        public String describe() {
            return "NaN/Inf present";
        }
    }

    /** Stops where an output's largest finite magnitude exceeds a threshold. */
    record MaxAbsAbove(double threshold, boolean enabled) implements Breakpoint {
        @Override
        public boolean matches(TensorHealth row) {
            return enabled && row.maxAbs() > threshold;
        }

        @Override
        public String describe() {
            return "max|x| > " + threshold;
        }
    }

    /** Stops where the fraction of zero elements exceeds p (dead activations). */
    record ZeroFractionAbove(double fraction, boolean enabled) implements Breakpoint {
        @Override
        public boolean matches(TensorHealth row) {
            return enabled && row.zeroFraction() > fraction;
        }

        @Override
        public String describe() {
            return "zero fraction > " + fraction;
        }
    }
}
