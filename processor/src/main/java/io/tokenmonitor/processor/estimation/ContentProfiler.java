package io.tokenmonitor.processor.estimation;

/**
 * The single pass behind {@link ContentProfile#of(String)}. It classifies code points exactly as
 * {@code tools/calibration/features.mjs} does, with a table for ASCII and range checks above it.
 */
final class ContentProfiler {

    private static final byte LETTER = 0;
    private static final byte DIGIT = 1;
    private static final byte WHITESPACE = 2;
    private static final byte PUNCTUATION = 3;
    private static final byte LATIN = 4;
    private static final byte CYRILLIC = 5;
    private static final byte CJK = 6;
    private static final byte OTHER_SCRIPT = 7;
    private static final byte SUPPLEMENTARY = 8;
    private static final byte OTHER = 9;
    private static final byte NONE = -1;

    private static final byte[] ASCII_CLASSES = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            ASCII_CLASSES[c] = classifyAboveAscii(c);
        }
        for (int c = 'A'; c <= 'Z'; c++) {
            ASCII_CLASSES[c] = LETTER;
            ASCII_CLASSES[c + ('a' - 'A')] = LETTER;
        }
        for (int c = '0'; c <= '9'; c++) {
            ASCII_CLASSES[c] = DIGIT;
        }
        for (int c = 0x21; c <= 0x7e; c++) {
            if (ASCII_CLASSES[c] == OTHER) {
                ASCII_CLASSES[c] = PUNCTUATION;
            }
        }
    }

    private ContentProfiler() {
    }

    static ContentProfile profile(String text) {
        long asciiLetters = 0;
        long latinLetters = 0;
        long words = 0;
        long uppercase = 0;
        long caseChanges = 0;
        long digits = 0;
        long digitRuns = 0;
        long whitespace = 0;
        long whitespaceRuns = 0;
        long lineFeeds = 0;
        long punctuation = 0;
        long punctuationRuns = 0;
        long cyrillic = 0;
        long cjk = 0;
        long otherScripts = 0;
        long supplementary = 0;
        long otherCodePoints = 0;

        byte previous = NONE;
        boolean previousLowercase = false;
        boolean whitespaceRunIsOneSpace = false;

        int length = text.length();
        for (int i = 0; i < length; i++) {
            int c = text.charAt(i);
            byte kind;
            if (c < 128) {
                kind = ASCII_CLASSES[c];
            } else {
                if (Character.isHighSurrogate((char) c) && i + 1 < length
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                    c = Character.toCodePoint((char) c, text.charAt(i + 1));
                    i++;
                }
                kind = classifyAboveAscii(c);
            }

            // A run of one plain space is no whitespace run: the tokenizers join it to the next word.
            if (kind == WHITESPACE) {
                whitespace++;
                if (c == '\n') {
                    lineFeeds++;
                }
                if (previous != WHITESPACE) {
                    whitespaceRuns++;
                    whitespaceRunIsOneSpace = c == ' ';
                } else if (whitespaceRunIsOneSpace) {
                    whitespaceRunIsOneSpace = false;
                }
            } else if (previous == WHITESPACE && whitespaceRunIsOneSpace) {
                whitespaceRuns--;
            }

            switch (kind) {
                case LETTER:
                    asciiLetters++;
                    if (previous != LETTER && previous != LATIN) {
                        words++;
                    }
                    if (c <= 'Z') {
                        uppercase++;
                        if (previousLowercase) {
                            caseChanges++;
                        }
                    }
                    break;
                case LATIN:
                    latinLetters++;
                    if (previous != LETTER && previous != LATIN) {
                        words++;
                    }
                    break;
                case DIGIT:
                    digits++;
                    if (previous != DIGIT) {
                        digitRuns++;
                    }
                    break;
                case PUNCTUATION:
                    punctuation++;
                    if (previous != PUNCTUATION) {
                        punctuationRuns++;
                    }
                    break;
                case CYRILLIC:
                    cyrillic++;
                    break;
                case CJK:
                    cjk++;
                    break;
                case OTHER_SCRIPT:
                    otherScripts++;
                    break;
                case SUPPLEMENTARY:
                    supplementary++;
                    break;
                case WHITESPACE:
                    break;
                default:
                    otherCodePoints++;
                    break;
            }
            previousLowercase = c >= 'a' && c <= 'z';
            previous = kind;
        }
        if (previous == WHITESPACE && whitespaceRunIsOneSpace) {
            whitespaceRuns--;
        }

        return new ContentProfile(asciiLetters, latinLetters, words, uppercase, caseChanges,
            digits, digitRuns, whitespace, whitespaceRuns, lineFeeds, punctuation, punctuationRuns,
            cyrillic, cjk, otherScripts, supplementary, otherCodePoints);
    }

    /** Classifies a code point that is not an ASCII letter, digit or punctuation character. */
    private static byte classifyAboveAscii(int c) {
        if (isWhitespace(c)) {
            return WHITESPACE;
        }
        if ((c >= 0xc0 && c <= 0x24f && c != 0xd7 && c != 0xf7) || (c >= 0x1e00 && c <= 0x1eff)) {
            return LATIN;
        }
        if (c >= 0x400 && c <= 0x52f) {
            return CYRILLIC;
        }
        if (isCjk(c)) {
            return CJK;
        }
        if ((c >= 0x370 && c <= 0x10ff) || (c >= 0x1200 && c <= 0x1cff) || (c >= 0x1f00 && c <= 0x1fff)) {
            return OTHER_SCRIPT;
        }
        return c >= 0x10000 ? SUPPLEMENTARY : OTHER;
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
}
