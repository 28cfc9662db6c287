package io.tokenmonitor.profile;

/**
 * The single pass behind {@link ContentProfile#of(String)} and {@link ContentProfile#count(String, long[])}.
 * It classifies code points exactly as {@code tools/calibration/features.mjs} does.
 *
 * <p>For speed, the text is copied in chunks into a buffer per thread, and an ASCII char costs a few table
 * lookups and two additions. The tables are indexed by the char
 * and the context it follows, and hold the increments of twelve counters packed into two longs, ten bits each.
 * The packed sums are unpacked every {@value #CHUNK_LENGTH} chars, before a field can overflow. Code points
 * above ASCII take a slower path with range checks. The same loop tracks the current run of ASCII letters for
 * {@code unlistedWords} without a branch: it packs the letters into a long key as it goes and writes the key of
 * every run that ends to a per-thread array, whose runs are looked up in the word list after each chunk. A run of
 * at most {@value CommonWords#MAX_PACKED_LENGTH} letters then costs one probe of a table of longs, and the
 * branches on letters, which mispredict at word ends, stay out of the scan.
 */
final class ContentProfiler {

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
    // (Java 17), and buffers per thread keep the pass free of allocations.
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /**
     * The scratch arrays of one thread: the current chunk, and the letter runs that ended in it. Runs end at
     * distinct chars of the chunk, so a chunk has at most {@value #CHUNK_LENGTH} of them, and the scan writes one
     * slot past the last run.
     */
    private static final class Buffers {
        final char[] chunk = new char[CHUNK_LENGTH + 1];
        // CommonWords.pack key of each run.
        final long[] runKeys = new long[CHUNK_LENGTH + 1];
        // Index of the char after each run, shifted left by 32, plus the run's length.
        final long[] runEnds = new long[CHUNK_LENGTH + 1];
    }

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

    private ContentProfiler() {
    }

    static ContentProfile profile(String text) {
        long[] counts = new long[ContentProfile.FEATURE_NAMES.size()];
        count(text, counts);
        return new ContentProfile(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], counts[6],
            counts[7], counts[8], counts[9], counts[10], counts[11], counts[12], counts[13], counts[14], counts[15],
            counts[16], counts[17]);
    }

    // Writes the counts of a text to counts[0] to counts[17], in the order of ContentProfile.FEATURE_NAMES.
    static void count(String text, long[] counts) {
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
        // The current run of ASCII letters: its length and the CommonWords.pack key of its letters. The key is
        // only meaningful while the length is at most CommonWords.MAX_PACKED_LENGTH.
        int letterRunLength = 0;
        long letterRunKey = 0;

        Buffers buffers = BUFFERS.get();
        char[] buffer = buffers.chunk;
        long[] runKeys = buffers.runKeys;
        long[] runEnds = buffers.runEnds;
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
            int runsEnded = 0;
            for (; i < chunkEnd; i++) {
                int c = buffer[i - chunkStart];
                if (c < 128) {
                    // Branch-free run tracking: isLetter is 1 for the codes 1 to 52 and 0 for code 0, and the run
                    // ending here is kept (runsEnded advances past its slot) only when it is long enough.
                    int letterCode = CommonWords.letterCode(c);
                    int isLetter = (letterCode + 63) >>> 6;
                    int endsLookedUpRun = (isLetter ^ 1) & ((CommonWords.MIN_LENGTH - 1 - letterRunLength) >>> 31);
                    runKeys[runsEnded] = letterRunKey;
                    runEnds[runsEnded] = ((long) i << 32) | letterRunLength;
                    runsEnded += endsLookedUpRun;
                    long letterMask = -(long) isLetter;
                    letterRunKey = CommonWords.pack(letterRunKey, letterCode) & letterMask;
                    letterRunLength = (letterRunLength + 1) & (int) letterMask;
                    int index = (context << 7) | c;
                    low += LOW_INCREMENTS[index];
                    high += HIGH_INCREMENTS[index];
                    context = NEXT_CONTEXT[(previousWhitespace << 7) | c];
                    previousWhitespace = IS_WHITESPACE[c];
                    continue;
                }

                if (letterRunLength >= CommonWords.MIN_LENGTH) {
                    runKeys[runsEnded] = letterRunKey;
                    runEnds[runsEnded] = ((long) i << 32) | letterRunLength;
                    runsEnded++;
                }
                letterRunLength = 0;
                letterRunKey = 0;
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

            for (int run = 0; run < runsEnded; run++) {
                unlistedWords += unlisted(text, (int) (runEnds[run] >>> 32), (int) runEnds[run], runKeys[run]);
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
        if (letterRunLength >= CommonWords.MIN_LENGTH) {
            unlistedWords += unlisted(text, length, letterRunLength, letterRunKey);
        }

        counts[0] = asciiLetters;
        counts[1] = latinLetters;
        counts[2] = words;
        counts[3] = uppercase;
        counts[4] = caseChanges;
        counts[5] = digits;
        counts[6] = digitRuns;
        counts[7] = whitespace;
        counts[8] = whitespaceRuns;
        counts[9] = lineFeeds;
        counts[10] = punctuation;
        counts[11] = punctuationRuns;
        counts[12] = cyrillic;
        counts[13] = cjk;
        counts[14] = otherScripts;
        counts[15] = supplementary;
        counts[16] = otherCodePoints;
        counts[17] = unlistedWords;
    }

    // Returns 1 when the run of at least MIN_LENGTH ASCII letters that ends before index runEnd counts in
    // unlistedWords, else 0.
    private static int unlisted(String text, int runEnd, int runLength, long runKey) {
        boolean listed = runLength <= CommonWords.MAX_PACKED_LENGTH
            ? CommonWords.containsPacked(runKey)
            : CommonWords.contains(text, runEnd - runLength, runLength);
        return listed ? 0 : 1;
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
