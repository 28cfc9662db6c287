package io.tokenmonitor.profile;

import io.tokenmonitor.schema.TextProfile;

/** Conversions between {@link ContentProfile} and its Avro form {@link TextProfile}, which requests carry. */
public final class TextProfiles {

    private TextProfiles() {
    }

    /** Returns the Avro profile of a text, or null for a null text, so that an absent text stays absent. */
    public static TextProfile ofText(String text) {
        return text == null ? null : toAvro(ContentProfile.of(text));
    }

    /** Returns the Avro form of a profile, with its code point count filled in. */
    public static TextProfile toAvro(ContentProfile profile) {
        return TextProfile.newBuilder()
            .setCodePoints(profile.codePoints())
            .setAsciiLetters(profile.asciiLetters())
            .setLatinLetters(profile.latinLetters())
            .setWords(profile.words())
            .setUppercase(profile.uppercase())
            .setCaseChanges(profile.caseChanges())
            .setDigits(profile.digits())
            .setDigitRuns(profile.digitRuns())
            .setWhitespace(profile.whitespace())
            .setWhitespaceRuns(profile.whitespaceRuns())
            .setLineFeeds(profile.lineFeeds())
            .setPunctuation(profile.punctuation())
            .setPunctuationRuns(profile.punctuationRuns())
            .setCyrillic(profile.cyrillic())
            .setCjk(profile.cjk())
            .setOtherScripts(profile.otherScripts())
            .setSupplementary(profile.supplementary())
            .setOtherCodePoints(profile.otherCodePoints())
            .setUnlistedWords(profile.unlistedWords())
            .build();
    }

    /**
     * Returns the feature counts of an Avro profile. Its {@code codePoints} field is dropped, because
     * {@link ContentProfile#codePoints()} derives it from the classes. Code that accepts profiles from other
     * processes must check first that the two agree.
     */
    public static ContentProfile fromAvro(TextProfile profile) {
        return new ContentProfile(
            profile.getAsciiLetters(),
            profile.getLatinLetters(),
            profile.getWords(),
            profile.getUppercase(),
            profile.getCaseChanges(),
            profile.getDigits(),
            profile.getDigitRuns(),
            profile.getWhitespace(),
            profile.getWhitespaceRuns(),
            profile.getLineFeeds(),
            profile.getPunctuation(),
            profile.getPunctuationRuns(),
            profile.getCyrillic(),
            profile.getCjk(),
            profile.getOtherScripts(),
            profile.getSupplementary(),
            profile.getOtherCodePoints(),
            profile.getUnlistedWords());
    }
}
