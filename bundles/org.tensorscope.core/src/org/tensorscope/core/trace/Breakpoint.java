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

    /** The same breakpoint, enabled or disabled. */
    Breakpoint withEnabled(boolean enabled);

    /** A line that {@link #parse} reads back, e.g. "maxabs 1000.0 on" or "op block1/conv off". */
    default String toText() {
        String what = switch (this) {
            case OnOp b -> "op " + b.opName();
            case NonFinite b -> "nonfinite";
            case MaxAbsAbove b -> "maxabs " + b.threshold();
            case ZeroFractionAbove b -> "zeros " + b.fraction();
        };
        return what + (enabled() ? " on" : " off");
    }

    /** Reads a line written by {@link #toText}. */
    static Breakpoint parse(String text) {
        String line = text.strip();
        boolean enabled = !line.endsWith(" off");
        line = line.replaceFirst(" (on|off)$", "");
        int space = line.indexOf(' ');
        String kind = space < 0 ? line : line.substring(0, space);
        String value = space < 0 ? "" : line.substring(space + 1);
        try {
            return switch (kind) {
                case "op" -> new OnOp(value, enabled);
                case "nonfinite" -> new NonFinite(enabled);
                case "maxabs" -> new MaxAbsAbove(Double.parseDouble(value), enabled);
                case "zeros" -> new ZeroFractionAbove(Double.parseDouble(value), enabled);
                default -> throw new IllegalArgumentException("Unknown breakpoint '" + text + "'");
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Breakpoint '" + text + "' needs a number, not '" + value + "'");
        }
    }

    /** Stops at one op. */
    record OnOp(String opName, boolean enabled) implements Breakpoint {
        @Override
        public boolean matches(TensorHealth row) {
            return enabled && row.opName().equals(opName);
        }

        @Override
        public Breakpoint withEnabled(boolean enabled) {
            return new OnOp(opName, enabled);
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
        public Breakpoint withEnabled(boolean enabled) {
            return new NonFinite(enabled);
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
        public Breakpoint withEnabled(boolean enabled) {
            return new MaxAbsAbove(threshold, enabled);
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
        public Breakpoint withEnabled(boolean enabled) {
            return new ZeroFractionAbove(fraction, enabled);
        }

        @Override
        public String describe() {
            return "zero fraction > " + fraction;
        }
    }
}
