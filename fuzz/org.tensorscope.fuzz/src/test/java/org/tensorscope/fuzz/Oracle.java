package org.tensorscope.fuzz;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What every fuzz target and the mutation harness hold a parser to: it returns a result, or it
 * refuses the input with one of the exceptions it documents, whose message names the file and says
 * the problem in words. Anything else is a finding, thrown as a {@link Finding} so that Jazzer keeps
 * the input: another exception or an {@link Error} (out of memory, stack overflow), a message naming
 * a Java class or saying "internal error", a message that does not name the file, or a parse that
 * takes more than {@link #SLOW_MILLIS} of processor time (wall time would blame a busy machine).
 */
public final class Oracle {

    /** Longer than this for one input of a few kilobytes is a hang in the making. */
    public static final long SLOW_MILLIS = 5_000;

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory
            .getThreadMXBean();

    /** A qualified Java class name ("java.lang.NullPointerException", "com.google.gson.JsonPrimitive"). */
    private static final Pattern CLASS_NAME = Pattern.compile(
            "\\b(java|javax|jdk|sun|com\\.google|org\\.tensorflow|org\\.tensorscope|org\\.eclipse)\\.[a-z_]+\\.[\\w.$]*");
    /** An exception's simple name, which users should never read either. */
    private static final Pattern EXCEPTION_NAME = Pattern.compile("\\b[A-Z]\\w+(Exception|Error)\\b");

    /** A parse of one input. */
    @FunctionalInterface
    public interface Parse<T> {
        T run() throws Exception;
    }

    /** A parser broke the contract; the message says how. */
    public static final class Finding extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Finding(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The text of the input being parsed: a message may quote names from it, whatever they hold. */
    private static final ThreadLocal<List<String>> INPUT = ThreadLocal.withInitial(List::of);

    private Oracle() {
    }

    /** Says what the next checks parse, so that names a message quotes from it are not held against it. */
    public static void input(byte[] bytes) {
        INPUT.set(List.of(new String(bytes, java.nio.charset.StandardCharsets.UTF_8),
                new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)));
    }

    /**
     * Runs the parse and checks how it ended.
     *
     * @param where   paths one of which a refusal's message must name (the file, its folder)
     * @param allowed the exceptions the parser documents for bad input
     * @return the parser's result, or null when it refused the input cleanly
     */
    @SafeVarargs
    public static <T> T check(List<Path> where, Parse<T> parse, Class<? extends Exception>... allowed) {
        return check(SLOW_MILLIS, where, parse, allowed);
    }

    /** As {@link #check(List, Parse, Class...)} with another time limit, for real models of megabytes. */
    @SafeVarargs
    public static <T> T check(long slowMillis, List<Path> where, Parse<T> parse, Class<? extends Exception>... allowed) {
        long start = THREADS.getCurrentThreadCpuTime();
        T result = null;
        Throwable thrown = null;
        try {
            result = parse.run();
        } catch (Throwable t) { // NOPMD: sorting every outcome is the point
            thrown = t;
        }
        long millis = (THREADS.getCurrentThreadCpuTime() - start) / 1_000_000;
        if (millis > slowMillis) {
            throw new Finding("took " + millis + " ms of processor time (more than " + slowMillis + " ms)", thrown);
        }
        if (thrown == null) {
            return result;
        }
        if (thrown instanceof Finding finding) {
            throw finding;
        }
        boolean documented = false;
        for (Class<? extends Exception> type : allowed) {
            documented |= type.isInstance(thrown);
        }
        if (!documented) {
            throw new Finding("undocumented " + thrown.getClass().getName() + ": " + thrown.getMessage(), thrown);
        }
        String problem = messageProblem(thrown.getMessage(), where);
        if (problem != null && !problem.startsWith("a message that names none")
                && messageProblem(unechoed(thrown.getMessage(), INPUT.get()), List.of()) == null) {
            problem = null; // what was wrong is a name quoted from the input
        }
        if (problem != null) {
            throw new Finding(problem + ": " + thrown.getMessage(), thrown);
        }
        return null;
    }

    /**
     * As {@link #check(List, Parse, Class...)} for a parser of text the user typed, which its messages
     * quote: the quoted text itself may hold anything.
     */
    @SafeVarargs
    public static <T> T checkQuoting(String typed, Parse<T> parse, Class<? extends Exception>... allowed) {
        try {
            return check(List.of(), parse, allowed);
        } catch (Finding f) {
            Throwable cause = f.getCause();
            if (cause != null && cause.getMessage() != null && f.getMessage().startsWith("a message")) {
                String unquoted = cause.getMessage().replace(typed, "").replace(typed.trim(), "");
                int first = unquoted.indexOf('\'');
                int last = unquoted.lastIndexOf('\'');
                if (first >= 0 && last > first) {
                    unquoted = unquoted.substring(0, first) + unquoted.substring(last + 1); // parts of the text, quoted
                }
                if (typed.contains("\n") || typed.contains("\r")) {
                    unquoted = unquoted.replace('\n', ' ').replace('\r', ' ');
                }
                // a file name taken from the text, named as is; but the text may also hold the message's own
                // words ("Input source"), which leave nothing once taken out: either reading may clear it
                String unechoed = unechoed(unquoted, List.of(typed));
                if (messageProblem(unquoted, List.of()) == null || messageProblem(unechoed, List.of()) == null) {
                    return null;
                }
            }
            throw f;
        }
    }

    /** The message without the runs of six characters or more that it quotes from the input. */
    static String unechoed(String message, List<String> inputs) {
        if (message == null || inputs.isEmpty()) {
            return message;
        }
        StringBuilder kept = new StringBuilder();
        int i = 0;
        while (i < message.length()) {
            int longest = 0;
            for (String input : inputs) {
                int length = 6;
                while (i + length <= message.length() && input.contains(message.substring(i, i + length))) {
                    longest = Math.max(longest, length);
                    length++;
                }
            }
            if (longest > 0) {
                kept.append(' ');
                i += longest;
            } else {
                kept.append(message.charAt(i++));
            }
        }
        return kept.toString();
    }

    /** Why a refusal's message is not one a user should read, or null when it is fine. */
    static String messageProblem(String message, List<Path> where) {
        if (message == null || message.isBlank()) {
            return "a refusal without a message";
        }
        if (message.toLowerCase(java.util.Locale.ROOT).contains("internal error")) {
            return "a message saying internal error";
        }
        if (CLASS_NAME.matcher(message).find() || EXCEPTION_NAME.matcher(message).find()) {
            return "a message naming a Java class";
        }
        if (message.contains("\n")) {
            return "a message of several lines";
        }
        if (!where.isEmpty() && where.stream().noneMatch(p -> message.contains(p.toString()))) {
            return "a message that names none of " + where;
        }
        return null;
    }
}
