package com.messagingconnectors.config.routing;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import java.util.Optional;

/**
 * A tenant-supplied regular expression (routing rule {@code match.attributes[].regex}, a full match), run by RE2/J:
 * matching takes time linear in the input whatever the pattern, so no tenant can stall the router or route preview
 * with a catastrophic pattern. RE2 syntax has no backreferences or lookaround; such patterns are refused.
 *
 * <p>Bounds: the pattern text ({@link #MAX_PATTERN_LENGTH}), the size of its compiled program
 * ({@link #MAX_PROGRAM_SIZE}; nested counted repetitions such as {@code ((a{1000}){1000})} would otherwise expand to
 * millions of instructions, and RE2/J does not refuse them itself) and the attribute value it is matched against
 * ({@link #MAX_INPUT_LENGTH}: a longer value never matches).
 */
public final class AttributeRegex {
    public static final int MAX_PATTERN_LENGTH = 256;
    public static final int MAX_PROGRAM_SIZE = 2_000;
    public static final int MAX_INPUT_LENGTH = 4_096;

    private AttributeRegex() {
    }

    /** Why {@code regex} is refused, or null when it is a usable pattern. */
    public static String problem(String regex) {
        if (regex == null || regex.isEmpty()) {
            return "must not be empty";
        }
        if (regex.length() > MAX_PATTERN_LENGTH) {
            return "is " + regex.length() + " characters long; at most " + MAX_PATTERN_LENGTH + " are allowed";
        }
        // estimated before compiling: compiling an exploding pattern is itself what would hurt
        if (estimatedProgramSize(regex) > MAX_PROGRAM_SIZE) {
            return tooComplex();
        }
        Pattern compiled;
        try {
            compiled = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            return "is not a regular expression this service accepts (RE2 syntax: no backreferences such as \\1,"
                    + " no lookahead or lookbehind): " + e.getDescription()
                    + (e.getPattern() == null || e.getPattern().isEmpty() ? "" : " at '" + e.getPattern() + "'");
        }
        if (compiled.programSize() > MAX_PROGRAM_SIZE) {
            return tooComplex();
        }
        return null;
    }

    /** The compiled pattern, or empty when {@link #problem} refuses it (e.g. a record written before these checks). */
    public static Optional<Pattern> compile(String regex) {
        return problem(regex) == null ? Optional.of(Pattern.compile(regex)) : Optional.empty();
    }

    /** A full match; values longer than {@link #MAX_INPUT_LENGTH} never match. */
    public static boolean matches(Pattern pattern, String value) {
        return value.length() <= MAX_INPUT_LENGTH && pattern.matcher(value).matches();
    }

    private static String tooComplex() {
        return "is too complex: its counted repetitions ({n}, {n,m}) expand to more than " + MAX_PROGRAM_SIZE
                + " steps; use +, * or smaller counts";
    }

    /**
     * An upper estimate of the compiled program's size, from the text alone: every atom counts 1, a group counts its
     * contents, and {@code {n,m}} multiplies the atom before it. Character classes and escapes are one atom; an
     * unparsable text is left to the compiler to refuse.
     */
    static long estimatedProgramSize(String regex) {
        java.util.ArrayDeque<long[]> groups = new java.util.ArrayDeque<>();
        long sum = 0;
        long last = 0;
        int n = regex.length();
        for (int i = 0; i < n; i++) {
            char c = regex.charAt(i);
            switch (c) {
                case '\\' -> {
                    if (i + 1 < n && regex.charAt(i + 1) == 'Q') {
                        int end = regex.indexOf("\\E", i + 2);
                        int stop = end < 0 ? n : end;
                        sum += Math.max(stop - (i + 2), 1);
                        last = 1;
                        i = end < 0 ? n : end + 1;
                    } else {
                        i++;
                        if (i + 1 < n && "pPx".indexOf(regex.charAt(i)) >= 0 && regex.charAt(i + 1) == '{') {
                            int close = regex.indexOf('}', i);
                            i = close < 0 ? n : close;
                        }
                        sum++;
                        last = 1;
                    }
                }
                case '[' -> {
                    i = endOfClass(regex, i);
                    sum++;
                    last = 1;
                }
                case '(' -> {
                    groups.push(new long[]{sum});
                    sum = 0;
                    last = 0;
                }
                case ')' -> {
                    long group = Math.max(sum, 1);
                    sum = (groups.isEmpty() ? 0 : groups.pop()[0]) + group;
                    last = group;
                }
                case '{' -> {
                    int close = regex.indexOf('}', i);
                    long count = close < 0 ? -1 : repeatCount(regex.substring(i + 1, close));
                    if (count < 0) {
                        sum++;
                        last = 1;
                    } else {
                        sum += last * (count - 1);
                        last *= count;
                        i = close;
                    }
                }
                case '|' -> {
                    sum++;
                    last = 0;
                }
                case '*', '+', '?' -> sum++;
                default -> {
                    sum++;
                    last = 1;
                }
            }
            if (sum > MAX_PROGRAM_SIZE * 4L) {
                return sum; // already far beyond the limit; stop before the numbers grow without bound
            }
        }
        while (!groups.isEmpty()) {
            sum += groups.pop()[0];
        }
        return sum;
    }

    /** The largest count of {@code n}, {@code n,} or {@code n,m}; -1 when it is not a repetition (a literal brace). */
    private static long repeatCount(String inside) {
        String[] parts = inside.split(",", -1);
        if (parts.length > 2 || parts[0].isEmpty()) {
            return -1;
        }
        try {
            long min = Long.parseLong(parts[0]);
            long max = parts.length == 1 || parts[1].isEmpty() ? min + 1 : Long.parseLong(parts[1]);
            return Math.min(Math.max(Math.max(min, max), 1), 100_000);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The index of the {@code ]} closing the class opened at {@code open} (a leading {@code ]} is literal). */
    private static int endOfClass(String regex, int open) {
        int i = open + 1;
        if (i < regex.length() && regex.charAt(i) == '^') {
            i++;
        }
        if (i < regex.length() && regex.charAt(i) == ']') {
            i++;
        }
        for (; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[' && i + 1 < regex.length() && regex.charAt(i + 1) == ':') {
                int close = regex.indexOf(":]", i + 2);
                if (close >= 0) {
                    i = close + 1;
                }
            } else if (c == ']') {
                return i;
            }
        }
        return regex.length();
    }
}
