package io.tokenmonitor.profile;

/**
 * The two-pass profiler as it was before the single-pass rewrite of {@code ContentProfiler}, kept unchanged
 * as the reference that {@code ContentProfilerReferenceTest} compares the production profiler with.
 */
final class ReferenceContentProfiler {

    // What precedes the current char, as far as the counters need to know.
    private static final int AFTER_NOTHING = 0;
    private static final int AFTER_LOWERCASE = 1;
    private static final int AFTER_OTHER_LETTER = 2;
    private static final int AFTER_DIGIT = 3;
    private static final int AFTER_PUNCTUATION = 4;
    // A whitespace run that counts: longer than one char, or not a plain space.
    private static final int AFTER_WHITESPACE = 5;
    // A plain space after a non-whitespace char. The tokenizers join it to the next word, so it is no run.
    private static final int AFTER_ONE_SPACE = 6;
    private static final int CONTEXTS = 7;

    private static final int FIELD_BITS = 10;
    private static final long FIELD_MASK = (1L << FIELD_BITS) - 1;
    private static final int CHUNK_LENGTH = 1000;

    // Fields of the low packed sum.
    private static final int ASCII_LETTERS = 0;
    private static final int WORDS = 1;
    private static final int UPPERCASE = 2;
    private static final int CASE_CHANGES = 3;
    private static final int DIGITS = 4;
    private static final int DIGIT_RUNS = 5;
    // Fields of the high packed sum.
    private static final int WHITESPACE = 0;
    private static final int WHITESPACE_RUNS = 1;
    private static final int LINE_FEEDS = 2;
    private static final int PUNCTUATION = 3;
    private static final int PUNCTUATION_RUNS = 4;
    private static final int OTHER_ASCII = 5;

    private static final long[] LOW_INCREMENTS = new long[CONTEXTS * 128];
    private static final long[] HIGH_INCREMENTS = new long[CONTEXTS * 128];
    // Indexed by (previous char is whitespace ? 128 : 0) + char.
    private static final byte[] NEXT_CONTEXT = new byte[2 * 128];
    private static final int[] IS_WHITESPACE = new int[128];

    // Reading a copied chunk from a char array measured about 25% faster than String.charAt on chat text
    // (Java 17), and a buffer per thread keeps the pass free of allocations.
    private static final ThreadLocal<char[]> CHUNK_BUFFER = ThreadLocal.withInitial(() -> new char[CHUNK_LENGTH + 1]);

    static {
        for (int context = 0; context < CONTEXTS; context++) {
            for (int c = 0; c < 128; c++) {
                LOW_INCREMENTS[context * 128 + c] = lowIncrements(context, c);
                HIGH_INCREMENTS[context * 128 + c] = highIncrements(context, c);
            }
        }
        for (int c = 0; c < 128; c++) {
            IS_WHITESPACE[c] = isWhitespace(c) ? 1 : 0;
            NEXT_CONTEXT[c] = (byte) contextAfter(c, false);
            NEXT_CONTEXT[128 + c] = (byte) contextAfter(c, true);
        }
    }

    private ReferenceContentProfiler() {
    }

    static ContentProfile profile(String text) {
        // int counters cannot overflow, because a String has fewer than 2^31 chars.
        int asciiLetters = 0;
        int latinLetters = 0;
        int words = 0;
        int uppercase = 0;
        int caseChanges = 0;
        int digits = 0;
        int digitRuns = 0;
        int whitespace = 0;
        int whitespaceRuns = 0;
        int lineFeeds = 0;
        int punctuation = 0;
        int punctuationRuns = 0;
        int cyrillic = 0;
        int cjk = 0;
        int otherScripts = 0;
        int supplementary = 0;
        int otherCodePoints = 0;
        int unlistedWords = 0;
        // Start index of the current run of ASCII letters. The run is empty while this equals the scanned index.
        int letterRunStart = 0;

        char[] buffer = CHUNK_BUFFER.get();
        int context = AFTER_NOTHING;
        int previousWhitespace = 0;
        int length = text.length();
        int i = 0;
        while (i < length) {
            int chunkEnd = Math.min(length, i + CHUNK_LENGTH);
            long low = 0;
            long high = 0;
            // One more char than the chunk, so that a surrogate pair split by the chunk end can be joined.
            int copied = Math.min(length, chunkEnd + 1) - i;
            text.getChars(i, i + copied, buffer, 0);
            int chunkStart = i;
            for (; i < chunkEnd; i++) {
                int c = buffer[i - chunkStart];
                if (c < 128) {
                    int index = (context << 7) | c;
                    low += LOW_INCREMENTS[index];
                    high += HIGH_INCREMENTS[index];
                    context = NEXT_CONTEXT[(previousWhitespace << 7) | c];
                    previousWhitespace = IS_WHITESPACE[c];
                    continue;
                }

                if (Character.isHighSurrogate((char) c) && i + 1 < length
                    && Character.isLowSurrogate(buffer[i + 1 - chunkStart])) {
                    c = Character.toCodePoint((char) c, buffer[i + 1 - chunkStart]);
                    i++;
                }
                if (isWhitespace(c)) {
                    whitespace++;
                    context = AFTER_WHITESPACE;
                    previousWhitespace = 1;
                    continue;
                }
                if (context == AFTER_WHITESPACE) {
                    whitespaceRuns++;
                }
                previousWhitespace = 0;
                if (isLatinLetter(c)) {
                    latinLetters++;
                    if (context != AFTER_LOWERCASE && context != AFTER_OTHER_LETTER) {
                        words++;
                    }
                    context = AFTER_OTHER_LETTER;
                    continue;
                }
                context = AFTER_NOTHING;
                if (c >= 0x400 && c <= 0x52f) {
                    cyrillic++;
                } else if (isCjk(c)) {
                    cjk++;
                } else if (isOtherScript(c)) {
                    otherScripts++;
                } else if (c >= 0x10000) {
                    supplementary++;
                } else {
                    otherCodePoints++;
                }
            }

            for (int k = chunkStart; k < chunkEnd; k++) {
                // c | 0x20 maps exactly the chars A-Z and a-z into a-z.
                int lower = buffer[k - chunkStart] | 0x20;
                if (lower < 'a' || lower > 'z') {
                    if (k - letterRunStart >= ReferenceCommonWords.MIN_LENGTH) {
                        unlistedWords += letterRunStart >= chunkStart
                            ? unlisted(buffer, letterRunStart - chunkStart, k - letterRunStart)
                            : unlistedCopy(text, letterRunStart, k - letterRunStart);
                    }
                    letterRunStart = k + 1;
                }
            }

            asciiLetters += field(low, ASCII_LETTERS);
            words += field(low, WORDS);
            uppercase += field(low, UPPERCASE);
            caseChanges += field(low, CASE_CHANGES);
            digits += field(low, DIGITS);
            digitRuns += field(low, DIGIT_RUNS);
            whitespace += field(high, WHITESPACE);
            whitespaceRuns += field(high, WHITESPACE_RUNS);
            lineFeeds += field(high, LINE_FEEDS);
            punctuation += field(high, PUNCTUATION);
            punctuationRuns += field(high, PUNCTUATION_RUNS);
            otherCodePoints += field(high, OTHER_ASCII);
        }
        if (context == AFTER_WHITESPACE) {
            whitespaceRuns++;
        }
        if (length - letterRunStart >= ReferenceCommonWords.MIN_LENGTH) {
            unlistedWords += unlistedCopy(text, letterRunStart, length - letterRunStart);
        }

        return new ContentProfile(asciiLetters, latinLetters, words, uppercase, caseChanges,
            digits, digitRuns, whitespace, whitespaceRuns, lineFeeds, punctuation, punctuationRuns,
            cyrillic, cjk, otherScripts, supplementary, otherCodePoints, unlistedWords);
    }

    // Copies a run that the chunk buffer no longer contains: one that started in an earlier chunk or ends the text.
    private static int unlistedCopy(String text, int start, int length) {
        char[] run = new char[length];
        text.getChars(start, start + length, run, 0);
        return unlisted(run, 0, length);
    }

    // Returns 1 when a run of ASCII letters counts in unlistedWords, else 0.
    private static int unlisted(char[] chars, int start, int length) {
        return ReferenceCommonWords.contains(chars, start, length) ? 0 : 1;
    }

    private static int field(long packed, int field) {
        return (int) ((packed >>> (field * FIELD_BITS)) & FIELD_MASK);
    }

    private static long increment(int field) {
        return 1L << (field * FIELD_BITS);
    }

    private static long lowIncrements(int context, int c) {
        boolean lowercase = c >= 'a' && c <= 'z';
        boolean upper = c >= 'A' && c <= 'Z';
        long increments = 0;
        if (lowercase || upper) {
            increments += increment(ASCII_LETTERS);
            if (context != AFTER_LOWERCASE && context != AFTER_OTHER_LETTER) {
                increments += increment(WORDS);
            }
        }
        if (upper) {
            increments += increment(UPPERCASE);
            if (context == AFTER_LOWERCASE) {
                increments += increment(CASE_CHANGES);
            }
        }
        if (c >= '0' && c <= '9') {
            increments += increment(DIGITS);
            if (context != AFTER_DIGIT) {
                increments += increment(DIGIT_RUNS);
            }
        }
        return increments;
    }

    private static long highIncrements(int context, int c) {
        long increments = 0;
        if (isWhitespace(c)) {
            increments += increment(WHITESPACE);
            if (c == '\n') {
                increments += increment(LINE_FEEDS);
            }
            return increments;
        }
        // A counted whitespace run ends here.
        if (context == AFTER_WHITESPACE) {
            increments += increment(WHITESPACE_RUNS);
        }
        if (isAsciiPunctuation(c)) {
            increments += increment(PUNCTUATION);
            if (context != AFTER_PUNCTUATION) {
                increments += increment(PUNCTUATION_RUNS);
            }
        } else if (!Character.isLetterOrDigit(c)) {
            increments += increment(OTHER_ASCII);
        }
        return increments;
    }

    private static int contextAfter(int c, boolean afterWhitespace) {
        if (c == ' ') {
            return afterWhitespace ? AFTER_WHITESPACE : AFTER_ONE_SPACE;
        }
        if (isWhitespace(c)) {
            return AFTER_WHITESPACE;
        }
        if (c >= 'a' && c <= 'z') {
            return AFTER_LOWERCASE;
        }
        if (c >= 'A' && c <= 'Z') {
            return AFTER_OTHER_LETTER;
        }
        if (c >= '0' && c <= '9') {
            return AFTER_DIGIT;
        }
        return isAsciiPunctuation(c) ? AFTER_PUNCTUATION : AFTER_NOTHING;
    }

    private static boolean isAsciiPunctuation(int c) {
        return c >= 0x21 && c <= 0x7e && !Character.isLetterOrDigit(c);
    }

    private static boolean isLatinLetter(int c) {
        return (c >= 0xc0 && c <= 0x24f && c != 0xd7 && c != 0xf7) || (c >= 0x1e00 && c <= 0x1eff);
    }

    // The Unicode White_Space property as a fixed list, so that Java and JavaScript agree. Character.isWhitespace
    // differs from it: it excludes the no-break spaces and includes U+001C-U+001F.
    private static boolean isWhitespace(int c) {
        return (c >= 0x09 && c <= 0x0d) || c == 0x20 || c == 0x85 || c == 0xa0 || c == 0x1680
            || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f
            || c == 0x3000;
    }

    private static boolean isCjk(int c) {
        return (c >= 0x1100 && c <= 0x11ff) || (c >= 0x2e80 && c <= 0x2fdf) || (c >= 0x3001 && c <= 0x30ff)
            || (c >= 0x3130 && c <= 0x318f) || (c >= 0x31f0 && c <= 0x31ff) || (c >= 0x3400 && c <= 0x4dbf)
            || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff)
            || (c >= 0xff00 && c <= 0xffef) || (c >= 0x20000 && c <= 0x3ffff);
    }

    private static boolean isOtherScript(int c) {
        return (c >= 0x370 && c <= 0x10ff) || (c >= 0x1200 && c <= 0x1cff) || (c >= 0x1f00 && c <= 0x1fff);
    }
}
