package io.tokenmonitor.processor.estimation;

/**
 * The character classes that the OpenAI split patterns use, as {@link java.util.regex.Pattern} defines them with
 * {@link java.util.regex.Pattern#UNICODE_CHARACTER_CLASS}, looked up per code point. An unpaired surrogate is a
 * code point of its own, of category Cs, as in the regex engine.
 */
final class CodePointFlags {

    /** \s with UNICODE_CHARACTER_CLASS: the White_Space property. */
    static final int WHITESPACE = 1;
    /** \p{L}. */
    static final int LETTER = 2;
    /** \p{N}. */
    static final int NUMBER = 4;
    /** [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}], the class that starts a capitalised word. */
    static final int UPPER_CLASS = 8;
    /** [\p{Ll}\p{Lm}\p{Lo}\p{M}], the class that continues a word. */
    static final int LOWER_CLASS = 16;
    /** Set by {@link #flagsAt} when the code point is a surrogate pair, so it takes two chars. */
    static final int TWO_CHARS = 32;

    private static final byte[] BMP_FLAGS = new byte[0x10000];

    static {
        for (int c = 0; c < BMP_FLAGS.length; c++) {
            BMP_FLAGS[c] = (byte) classify(c);
        }
    }

    private CodePointFlags() {
    }

    /** Returns whether a char is \s. Surrogates are not. */
    static boolean isWhitespace(char c) {
        return (BMP_FLAGS[c] & WHITESPACE) != 0;
    }

    /** Returns whether flags match [^\s\p{L}\p{N}]. */
    static boolean isPunctuation(int flags) {
        return (flags & (WHITESPACE | LETTER | NUMBER)) == 0;
    }

    /** Returns the number of chars, 1 or 2, of the code point that the flags belong to. */
    static int charCount(int flags) {
        return (flags & TWO_CHARS) != 0 ? 2 : 1;
    }

    /** Returns the class flags of the code point at a position, with {@link #TWO_CHARS} for a surrogate pair. */
    static int flagsAt(String text, int position, int length) {
        char c = text.charAt(position);
        if (!Character.isHighSurrogate(c) || position + 1 >= length) {
            return BMP_FLAGS[c];
        }
        char next = text.charAt(position + 1);
        if (!Character.isLowSurrogate(next)) {
            return BMP_FLAGS[c];
        }
        return classify(Character.toCodePoint(c, next)) | TWO_CHARS;
    }

    static int classify(int codePoint) {
        int type = Character.getType(codePoint);
        int flags = 0;
        switch (type) {
            case Character.UPPERCASE_LETTER, Character.TITLECASE_LETTER:
                flags = LETTER | UPPER_CLASS;
                break;
            case Character.LOWERCASE_LETTER:
                flags = LETTER | LOWER_CLASS;
                break;
            case Character.MODIFIER_LETTER, Character.OTHER_LETTER:
                flags = LETTER | UPPER_CLASS | LOWER_CLASS;
                break;
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK:
                flags = UPPER_CLASS | LOWER_CLASS;
                break;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER:
                flags = NUMBER;
                break;
            case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR:
                flags = WHITESPACE;
                break;
            default:
                break;
        }
        if ((codePoint >= 0x9 && codePoint <= 0xD) || codePoint == 0x85) {
            flags |= WHITESPACE;
        }
        return flags;
    }
}
