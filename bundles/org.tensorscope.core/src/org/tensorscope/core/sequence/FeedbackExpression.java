package org.tensorscope.core.sequence;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleBinaryOperator;

import org.tensorscope.core.model.Shape;

/**
 * A small element-wise expression over a step's outputs: names, numbers, {@code + - * /}, parentheses and
 * {@code clip(x, lo, hi)}, {@code min(a, b)}, {@code max(a, b)}, {@code abs(x)}. A number combines with every
 * element; two tensors combine element by element and must have as many elements.
 */
public final class FeedbackExpression {

    /** A value: a tensor's elements and shape, or a number (shape null). */
    public record Value(double[] values, Shape shape) {

        static Value number(double v) {
            return new Value(new double[] { v }, null);
        }

        boolean isNumber() {
            return shape == null;
        }
    }

    private interface Node {
        Value eval(Map<String, Value> names);
    }

    /** Bounds that keep parsing and evaluating a stranger's expression from exhausting the stack. */
    static final int MAX_NESTING = 100;
    static final int MAX_TERMS = 1000;

    private final String text;
    private final Node root;
    private final Set<String> names = new LinkedHashSet<>();
    private int pos;
    private int nesting;
    private int terms;

    private FeedbackExpression(String text) {
        this.text = text;
        this.root = parseSum();
        skipSpaces();
        if (pos < text.length()) {
            throw error("unexpected '" + text.charAt(pos) + "' at position " + (pos + 1));
        }
    }

    /** @throws IllegalArgumentException naming the expression and what is wrong in it */
    public static FeedbackExpression parse(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("feedback expression is empty");
        }
        return new FeedbackExpression(text);
    }

    /** The names the expression reads, in order of appearance. */
    public Set<String> names() {
        return java.util.Collections.unmodifiableSet(names);
    }

    /** Whether the expression is a single name. */
    public boolean isName() {
        return root instanceof Name;
    }

    public String text() {
        return text;
    }

    /** Evaluates over the given names' values; every name must be given (see {@link #names()}). */
    public Value eval(Map<String, Value> values) {
        return root.eval(values);
    }

    private Node parseSum() {
        if (++nesting > MAX_NESTING) {
            throw error("nested more than " + MAX_NESTING + " deep");
        }
        Node left = parseProduct();
        while (true) {
            skipSpaces();
            if (accept('+')) {
                left = binary(left, parseProduct(), Double::sum);
            } else if (accept('-')) {
                left = binary(left, parseProduct(), (a, b) -> a - b);
            } else {
                nesting--;
                return left;
            }
        }
    }

    private Node parseProduct() {
        Node left = parseUnary();
        while (true) {
            skipSpaces();
            if (accept('*')) {
                left = binary(left, parseUnary(), (a, b) -> a * b);
            } else if (accept('/')) {
                left = binary(left, parseUnary(), (a, b) -> a / b);
            } else {
                return left;
            }
        }
    }

    private Node parseUnary() {
        skipSpaces();
        if (accept('-')) {
            if (++nesting > MAX_NESTING) {
                throw error("nested more than " + MAX_NESTING + " deep");
            }
            Node inner = parseUnary();
            nesting--;
            return binary(v -> Value.number(0), inner, (a, b) -> -b);
        }
        return parsePrimary();
    }

    private Node parsePrimary() {
        skipSpaces();
        if (pos >= text.length()) {
            throw error("it ends where a name or number was expected");
        }
        char c = text.charAt(pos);
        if (accept('(')) {
            Node inner = parseSum();
            expect(')');
            return inner;
        }
        if (Character.isDigit(c) || c == '.') {
            int start = pos;
            while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.'
                    || ((text.charAt(pos) == 'e' || text.charAt(pos) == 'E') && pos + 1 < text.length())
                    || ((text.charAt(pos) == '+' || text.charAt(pos) == '-')
                            && (text.charAt(pos - 1) == 'e' || text.charAt(pos - 1) == 'E')))) {
                pos++;
            }
            String number = text.substring(start, pos);
            try {
                double v = Double.parseDouble(number);
                if (Double.isInfinite(v)) {
                    throw error("'" + number + "' is beyond the largest number (about 1.8e308)");
                }
                return values -> Value.number(v);
            } catch (NumberFormatException e) {
                throw error("'" + number + "' is not a number");
            }
        }
        if (Character.isLetter(c) || c == '_') {
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_'
                    || text.charAt(pos) == ':' || text.charAt(pos) == '.')) {
                pos++;
            }
            String name = text.substring(start, pos);
            skipSpaces();
            if (accept('(')) {
                return function(name);
            }
            names.add(name);
            return new Name(name);
        }
        throw error("unexpected '" + c + "' at position " + (pos + 1));
    }

    private Node function(String name) {
        List<Node> args = new ArrayList<>();
        skipSpaces();
        if (!accept(')')) {
            do {
                args.add(parseSum());
                skipSpaces();
            } while (accept(','));
            expect(')');
        }
        int arity = switch (name) {
            case "clip" -> 3;
            case "min", "max" -> 2;
            case "abs" -> 1;
            default -> throw error("unknown function '" + name + "' (use clip, min, max, abs)");
        };
        if (args.size() != arity) {
            throw error(name + " takes " + arity + " argument" + (arity == 1 ? "" : "s") + ", not " + args.size());
        }
        return switch (name) {
            case "clip" -> binary(binary(args.get(0), args.get(1), Math::max), args.get(2), Math::min);
            case "min" -> binary(args.get(0), args.get(1), Math::min);
            case "max" -> binary(args.get(0), args.get(1), Math::max);
            default -> binary(args.get(0), v -> Value.number(0), (a, b) -> Math.abs(a));
        };
    }

    private Node binary(Node left, Node right, DoubleBinaryOperator op) {
        if (++terms > MAX_TERMS) {
            throw error("more than " + MAX_TERMS + " operations; a feedback expression is meant to be small");
        }
        return values -> {
            Value a = left.eval(values);
            Value b = right.eval(values);
            if (!a.isNumber() && !b.isNumber() && a.values().length != b.values().length) {
                throw new IllegalArgumentException("feedback '" + shown(text) + "': a tensor of shape " + a.shape()
                        + " cannot combine with one of shape " + b.shape() + " element by element");
            }
            int n = Math.max(a.values().length, b.values().length);
            Shape shape = a.isNumber() ? b.shape() : a.shape();
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = op.applyAsDouble(a.values()[a.isNumber() ? 0 : i], b.values()[b.isNumber() ? 0 : i]);
            }
            return new Value(out, shape);
        };
    }

    private record Name(String name) implements Node {
        @Override
        public Value eval(Map<String, Value> values) {
            Value v = values.get(name);
            if (v == null) {
                throw new IllegalArgumentException("unknown name '" + name + "'");
            }
            return v;
        }
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private boolean accept(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        skipSpaces();
        if (!accept(c)) {
            throw error(pos < text.length() ? "expected '" + c + "' at position " + (pos + 1) + ", found '"
                    + text.charAt(pos) + "'" : "expected '" + c + "' at the end");
        }
    }

    private IllegalArgumentException error(String problem) {
        return new IllegalArgumentException("feedback expression '" + shown(text) + "': " + problem);
    }

    /** A text as messages quote it: a long one cut short, so that the message stays one readable line. */
    static String shown(String text) {
        return text.length() <= 80 ? text : text.substring(0, 60) + "... (" + text.length() + " characters)";
    }
}
