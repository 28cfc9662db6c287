package io.tokenmonitor.processor.estimation;

import static io.tokenmonitor.processor.estimation.CodePointFlags.LETTER;
import static io.tokenmonitor.processor.estimation.CodePointFlags.LOWER_CLASS;
import static io.tokenmonitor.processor.estimation.CodePointFlags.NUMBER;
import static io.tokenmonitor.processor.estimation.CodePointFlags.UPPER_CLASS;
import static io.tokenmonitor.processor.estimation.CodePointFlags.WHITESPACE;
import static io.tokenmonitor.processor.estimation.CodePointFlags.charCount;
import static io.tokenmonitor.processor.estimation.CodePointFlags.flagsAt;
import static io.tokenmonitor.processor.estimation.CodePointFlags.isPunctuation;
import static io.tokenmonitor.processor.estimation.CodePointFlags.isWhitespace;

/**
 * The o200k_base pre-tokenizer written out by hand. It returns the same pieces as {@code Matcher.find} with
 * o200k_base's split pattern compiled with {@link java.util.regex.Pattern#UNICODE_CHARACTER_CLASS}, which is:
 *
 * <pre>
 * [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
 * |[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
 * |\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
 * </pre>
 *
 * Each method below matches one alternative at a position with the regex engine's rules: the first alternative
 * that matches wins, and each quantifier takes as much as it can while the rest still matches. Like the regex, it
 * reads an unpaired surrogate as a code point of its own, of category Cs. The tests compare its pieces with the
 * regex on the shared request texts and on generated texts.
 */
final class O200kSplitter implements PieceSplitter {

    static final O200kSplitter INSTANCE = new O200kSplitter();

    private O200kSplitter() {
    }

    @Override
    public int pieceEnd(String text, int start) {
        int length = text.length();
        int end = matchWord(text, start, length, true);
        if (end >= 0) {
            return end;
        }
        end = matchWord(text, start, length, false);
        if (end >= 0) {
            return end;
        }

        int flags = flagsAt(text, start, length);
        if ((flags & NUMBER) != 0) {
            return matchDigits(text, start, length, flags);
        }
        end = matchPunctuation(text, start, length, flags);
        if (end >= 0) {
            return end;
        }
        if ((flags & WHITESPACE) != 0) {
            return matchWhitespace(text, start, length);
        }
        // Every code point is a letter, number, mark, whitespace or matches [^\s\p{L}\p{N}], so this is not
        // reached. Matcher.find would skip one char here.
        return -1;
    }

    /**
     * Matches the first alternative ({@code lowerRequired}) or the second. Returns the end, or -1 if it does not
     * match. Both start with an optional [^\r\n\p{L}\p{N}], tried first with it and then without.
     */
    private static int matchWord(String text, int start, int length, boolean lowerRequired) {
        int flags = flagsAt(text, start, length);
        char first = text.charAt(start);
        boolean prefixAllowed = (flags & (LETTER | NUMBER)) == 0 && first != '\r' && first != '\n';
        if (prefixAllowed) {
            int end = lowerRequired
                ? matchUpperThenLower(text, start + charCount(flags), length)
                : matchUpperRun(text, start + charCount(flags), length);
            if (end >= 0) {
                return end;
            }
        }
        return lowerRequired ? matchUpperThenLower(text, start, length) : matchUpperRun(text, start, length);
    }

    /**
     * Matches [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+ and an optional contraction. The
     * first part backs off to the last position from which the second part can match.
     */
    private static int matchUpperThenLower(String text, int start, int length) {
        int position = start;
        int lastLowerEnd = -1;
        while (position < length) {
            int flags = flagsAt(text, position, length);
            if ((flags & UPPER_CLASS) == 0) {
                break;
            }
            position += charCount(flags);
            if ((flags & LOWER_CLASS) != 0) {
                lastLowerEnd = position;
            }
        }

        int end;
        if (position < length && (flagsAt(text, position, length) & LOWER_CLASS) != 0) {
            end = skipLowerClass(text, position, length);
        } else if (lastLowerEnd >= 0) {
            // The second part matches only the last upper-class char that is also lower-class, because the
            // chars after it are not lower-class.
            end = lastLowerEnd;
        } else {
            return -1;
        }
        return end + contractionLength(text, end, length);
    }

    /** Matches [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]* and an optional contraction. */
    private static int matchUpperRun(String text, int start, int length) {
        int position = start;
        while (position < length) {
            int flags = flagsAt(text, position, length);
            if ((flags & UPPER_CLASS) == 0) {
                break;
            }
            position += charCount(flags);
        }
        if (position == start) {
            return -1;
        }
        int end = skipLowerClass(text, position, length);
        return end + contractionLength(text, end, length);
    }

    private static int skipLowerClass(String text, int start, int length) {
        int position = start;
        while (position < length) {
            int flags = flagsAt(text, position, length);
            if ((flags & LOWER_CLASS) == 0) {
                break;
            }
            position += charCount(flags);
        }
        return position;
    }

    /** Returns the length of (?i:'s|'t|'re|'ve|'m|'ll|'d) at a position, or 0. U+017F (long s) matches s. */
    private static int contractionLength(String text, int position, int length) {
        if (position + 1 >= length || text.charAt(position) != '\'') {
            return 0;
        }
        switch (text.charAt(position + 1)) {
            case 's', 'S', '\u017F', 't', 'T', 'm', 'M', 'd', 'D':
                return 2;
            case 'r', 'R', 'v', 'V':
                return position + 2 < length && (text.charAt(position + 2) | 0x20) == 'e' ? 3 : 0;
            case 'l', 'L':
                return position + 2 < length && (text.charAt(position + 2) | 0x20) == 'l' ? 3 : 0;
            default:
                return 0;
        }
    }

    /** Matches \p{N}{1,3}, starting at a number. */
    static int matchDigits(String text, int start, int length, int firstFlags) {
        int position = start + charCount(firstFlags);
        for (int count = 1; count < 3 && position < length; count++) {
            int flags = flagsAt(text, position, length);
            if ((flags & NUMBER) == 0) {
                break;
            }
            position += charCount(flags);
        }
        return position;
    }

    /** Matches ' ?[^\s\p{L}\p{N}]+[\r\n/]*', or returns -1. */
    private static int matchPunctuation(String text, int start, int length, int firstFlags) {
        int position;
        if (isPunctuation(firstFlags)) {
            position = start;
        } else if (text.charAt(start) == ' ' && start + 1 < length
            && isPunctuation(flagsAt(text, start + 1, length))) {
            position = start + 1;
        } else {
            return -1;
        }

        while (position < length) {
            int flags = flagsAt(text, position, length);
            if (!isPunctuation(flags)) {
                break;
            }
            position += charCount(flags);
        }
        while (position < length) {
            char c = text.charAt(position);
            if (c != '\r' && c != '\n' && c != '/') {
                break;
            }
            position++;
        }
        return position;
    }

    /**
     * Matches \s*[\r\n]+, then \s+(?!\S), then \s+, starting at whitespace. Every whitespace char is in the
     * Basic Multilingual Plane, so one char is one code point here.
     */
    static int matchWhitespace(String text, int start, int length) {
        int runEnd = start;
        int lastNewline = -1;
        while (runEnd < length) {
            char c = text.charAt(runEnd);
            if (!isWhitespace(c)) {
                break;
            }
            if (c == '\r' || c == '\n') {
                lastNewline = runEnd;
            }
            runEnd++;
        }

        if (lastNewline >= 0) {
            return lastNewline + 1;
        }
        if (runEnd == length) {
            return runEnd;
        }
        if (runEnd - start >= 2) {
            // Leave the last whitespace char to start the next piece, so that (?!\S) holds.
            return runEnd - 1;
        }
        return runEnd;
    }

}
