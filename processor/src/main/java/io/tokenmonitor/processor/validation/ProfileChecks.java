package io.tokenmonitor.processor.validation;

import io.tokenmonitor.profile.ContentProfile;
import io.tokenmonitor.profile.TextProfiles;
import io.tokenmonitor.schema.TextProfile;
import io.tokenmonitor.schema.TokenRequest;

/**
 * Checks of the prompt and completion profiles a request may carry in place of its texts. A valid profile is
 * one that some text could have: no negative count, a code point count equal to the sum of the ten classes,
 * and no run or subset count larger than the class it is part of.
 */
final class ProfileChecks {

    /**
     * Largest code point count a profile may have. A text of 100 million code points is far more than one
     * request to a hosted model carries, and the bound keeps every estimate from a profile, and its product
     * with a reported total in {@code UsageEstimator.fitToTotal}, within a long for the shipped calibration.
     */
    static final long MAX_CODE_POINTS = 100_000_000L;

    private ProfileChecks() {
    }

    /** Returns a description of the first invalid profile of a request, or null when both are valid or absent. */
    static String findInvalidProfile(TokenRequest request) {
        String problem = findProblem(request.getPromptProfile());
        if (problem != null) {
            return "promptProfile " + problem;
        }
        problem = findProblem(request.getCompletionProfile());
        if (problem != null) {
            return "completionProfile " + problem;
        }
        return null;
    }

    private static String findProblem(TextProfile profile) {
        if (profile == null) {
            return null;
        }
        if (profile.getCodePoints() < 0) {
            return "has a negative codePoints: " + profile.getCodePoints();
        }
        ContentProfile counts = TextProfiles.fromAvro(profile);
        long[] values = counts.toArray();
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0) {
                return "has a negative " + ContentProfile.FEATURE_NAMES.get(i) + ": " + values[i];
            }
            if (values[i] > MAX_CODE_POINTS) {
                return "has " + ContentProfile.FEATURE_NAMES.get(i) + " " + values[i] + ", more than "
                    + MAX_CODE_POINTS;
            }
        }
        if (profile.getCodePoints() > MAX_CODE_POINTS) {
            return "has codePoints " + profile.getCodePoints() + ", more than " + MAX_CODE_POINTS;
        }
        // Each class is at most MAX_CODE_POINTS here, so the sum cannot overflow.
        if (counts.codePoints() != profile.getCodePoints()) {
            return "has codePoints " + profile.getCodePoints() + ", but its classes sum to " + counts.codePoints();
        }
        return findPartLargerThanWhole(counts);
    }

    private static String findPartLargerThanWhole(ContentProfile counts) {
        String problem = compare("words", counts.words(), "letters", counts.asciiLetters() + counts.latinLetters());
        if (problem == null) {
            problem = compare("uppercase", counts.uppercase(), "asciiLetters", counts.asciiLetters());
        }
        if (problem == null) {
            problem = compare("caseChanges", counts.caseChanges(), "uppercase", counts.uppercase());
        }
        if (problem == null) {
            problem = compare("digitRuns", counts.digitRuns(), "digits", counts.digits());
        }
        if (problem == null) {
            problem = compare("whitespaceRuns", counts.whitespaceRuns(), "whitespace", counts.whitespace());
        }
        if (problem == null) {
            problem = compare("lineFeeds", counts.lineFeeds(), "whitespace", counts.whitespace());
        }
        if (problem == null) {
            problem = compare("punctuationRuns", counts.punctuationRuns(), "punctuation", counts.punctuation());
        }
        if (problem == null) {
            // Each unlisted word is a run of at least 4 ASCII letters.
            problem = compare("unlistedWords", counts.unlistedWords(), "asciiLetters / 4", counts.asciiLetters() / 4);
        }
        return problem;
    }

    private static String compare(String partName, long part, String wholeName, long whole) {
        if (part <= whole) {
            return null;
        }
        return "has " + partName + " " + part + ", more than its " + wholeName + " " + whole;
    }
}
