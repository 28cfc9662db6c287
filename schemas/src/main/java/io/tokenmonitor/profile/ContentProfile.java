package io.tokenmonitor.profile;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Counts of what a text is made of, the input of the processor's calibrated token estimator. It lives in the
 * schemas module so that the producer agent can profile a text and send the counts instead of the text.
 *
 * <p>Every code point of the text falls in exactly one class: {@code asciiLetters}, {@code latinLetters},
 * {@code digits}, {@code whitespace}, {@code punctuation}, {@code cyrillic}, {@code cjk}, {@code otherScripts},
 * {@code supplementary} or {@code otherCodePoints}. The other components count runs and subsets of those classes.
 * The classes are Unicode ranges, listed on each component, so that the fitting script
 * {@code tools/calibration/features.mjs} computes the same counts, which the processor's
 * {@code ContentProfileSamplesTest} checks against the samples in {@code calibration.json}. A lone surrogate
 * counts as one code point of {@code otherCodePoints}.
 *
 * @param asciiLetters    U+0041-U+005A and U+0061-U+007A
 * @param latinLetters    non-ASCII Latin letters: U+00C0-U+024F except U+00D7 and U+00F7, and U+1E00-U+1EFF
 * @param words           maximal runs of ASCII and non-ASCII Latin letters
 * @param uppercase       U+0041-U+005A, also counted in {@code asciiLetters}
 * @param caseChanges     U+0041-U+005A directly after one of U+0061-U+007A, as in camelCase
 * @param digits          U+0030-U+0039
 * @param digitRuns       maximal runs of digits
 * @param whitespace      the Unicode White_Space code points: U+0009-U+000D, U+0020, U+0085, U+00A0, U+1680,
 *                        U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000
 * @param whitespaceRuns  maximal runs of whitespace, except a run of exactly one U+0020
 * @param lineFeeds       U+000A, also counted in {@code whitespace}
 * @param punctuation     ASCII punctuation and symbols: U+0021-U+002F, U+003A-U+0040, U+005B-U+0060,
 *                        U+007B-U+007E
 * @param punctuationRuns maximal runs of punctuation
 * @param cyrillic        U+0400-U+052F
 * @param cjk             U+1100-U+11FF, U+2E80-U+2FDF, U+3001-U+30FF, U+3130-U+318F, U+31F0-U+31FF,
 *                        U+3400-U+4DBF, U+4E00-U+9FFF, U+AC00-U+D7AF, U+F900-U+FAFF, U+FF00-U+FFEF,
 *                        U+20000-U+3FFFF: Han, kana, Hangul, CJK symbols and fullwidth forms
 * @param otherScripts    U+0370-U+03FF, U+0530-U+10FF, U+1200-U+1CFF, U+1F00-U+1FFF except whitespace: Greek,
 *                        Armenian, Hebrew, Arabic, Indic, Thai and other alphabets
 * @param supplementary   U+10000 and above except {@code cjk}, mostly emoji
 * @param otherCodePoints every other code point: controls, Latin-1 symbols, combining marks, curly quotes and
 *                        dashes, BMP symbols and emoji, variation selectors, lone surrogates
 * @param unlistedWords   maximal runs of 4 or more ASCII letters that are not, with the same case, in the word
 *                        list {@code profile/common-words.txt}, the whole words of the Mistral v1 vocabulary.
 *                        Mistral splits such a word into several pieces.
 */
public record ContentProfile(
    long asciiLetters,
    long latinLetters,
    long words,
    long uppercase,
    long caseChanges,
    long digits,
    long digitRuns,
    long whitespace,
    long whitespaceRuns,
    long lineFeeds,
    long punctuation,
    long punctuationRuns,
    long cyrillic,
    long cjk,
    long otherScripts,
    long supplementary,
    long otherCodePoints,
    long unlistedWords) {

    /** Component names in declaration order, which is also the order of the weights in calibration.json. */
    public static final List<String> FEATURE_NAMES = List.of(
        "asciiLetters", "latinLetters", "words", "uppercase", "caseChanges",
        "digits", "digitRuns", "whitespace", "whitespaceRuns", "lineFeeds", "punctuation", "punctuationRuns",
        "cyrillic", "cjk", "otherScripts", "supplementary", "otherCodePoints", "unlistedWords");

    /** The profile of an empty text. */
    public static final ContentProfile EMPTY = new ContentProfile(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Returns the profile of a text, computed in one pass over its code points, or {@link #EMPTY} for null. */
    public static ContentProfile of(String text) {
        return text == null ? EMPTY : ContentProfiler.profile(text);
    }

    /**
     * Writes the counts of a text to {@code counts[0]} to {@code counts[17]}, in the order of
     * {@link #FEATURE_NAMES}, the same values as {@link #of(String)} without allocating a profile.
     *
     * @throws IndexOutOfBoundsException if {@code counts} has fewer than 18 elements
     */
    public static void count(String text, long[] counts) {
        Objects.checkFromIndexSize(0, FEATURE_NAMES.size(), counts.length);
        if (text == null) {
            Arrays.fill(counts, 0, FEATURE_NAMES.size(), 0);
            return;
        }
        ContentProfiler.count(text, counts);
    }

    /** Returns the number of code points counted, the sum of the ten classes. */
    public long codePoints() {
        return asciiLetters + latinLetters + digits + whitespace + punctuation
            + cyrillic + cjk + otherScripts + supplementary + otherCodePoints;
    }

    /**
     * Returns the component-wise sum, for texts that are metered together. It equals the profile of the
     * concatenated texts except for runs that meet at the join, which this counts as two.
     *
     * @throws ArithmeticException if a count overflows a long
     */
    public ContentProfile plus(ContentProfile other) {
        return new ContentProfile(
            Math.addExact(asciiLetters, other.asciiLetters),
            Math.addExact(latinLetters, other.latinLetters),
            Math.addExact(words, other.words),
            Math.addExact(uppercase, other.uppercase),
            Math.addExact(caseChanges, other.caseChanges),
            Math.addExact(digits, other.digits),
            Math.addExact(digitRuns, other.digitRuns),
            Math.addExact(whitespace, other.whitespace),
            Math.addExact(whitespaceRuns, other.whitespaceRuns),
            Math.addExact(lineFeeds, other.lineFeeds),
            Math.addExact(punctuation, other.punctuation),
            Math.addExact(punctuationRuns, other.punctuationRuns),
            Math.addExact(cyrillic, other.cyrillic),
            Math.addExact(cjk, other.cjk),
            Math.addExact(otherScripts, other.otherScripts),
            Math.addExact(supplementary, other.supplementary),
            Math.addExact(otherCodePoints, other.otherCodePoints),
            Math.addExact(unlistedWords, other.unlistedWords));
    }

    /** Returns the counts in the order of {@link #FEATURE_NAMES}. */
    public long[] toArray() {
        return new long[] {
            asciiLetters, latinLetters, words, uppercase, caseChanges,
            digits, digitRuns, whitespace, whitespaceRuns, lineFeeds, punctuation, punctuationRuns,
            cyrillic, cjk, otherScripts, supplementary, otherCodePoints, unlistedWords
        };
    }
}
