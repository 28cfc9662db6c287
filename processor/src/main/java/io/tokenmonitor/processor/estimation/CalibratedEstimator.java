package io.tokenmonitor.processor.estimation;

import io.tokenmonitor.profile.ContentProfile;

/**
 * Estimates tokens from what a text is made of, with weights fitted per model family against exact tokenizers.
 *
 * <p>The estimate is the weighted sum of the {@link ContentProfile} counts, rounded up, and at least 1 for a
 * non-empty text. On held-out chat requests its mean error per request is 2 to 4% for Llama 3, OpenAI o200k
 * and Mistral v1, against 13 to 24% for four characters per token (README section "Token estimation
 * accuracy"). Families without an offline tokenizer (Qwen, DeepSeek, Gemma, default) use borrowed weights that
 * were never checked against their own tokenizers.
 */
public final class CalibratedEstimator implements TokenCounter {

    // Counts of the text being estimated, per thread, so that count(String) allocates nothing.
    private static final ThreadLocal<long[]> COUNTS =
        ThreadLocal.withInitial(() -> new long[ContentProfile.FEATURE_NAMES.size()]);

    private final ModelFamily family;
    private final double[] weights;

    /** Creates an estimator for a family with the weights of a calibration. */
    public CalibratedEstimator(Calibration calibration, ModelFamily family) {
        this.family = family;
        this.weights = calibration.weights(family);
    }

    /** Returns an estimator for a family with the bundled calibration. */
    public static CalibratedEstimator forFamily(ModelFamily family) {
        return new CalibratedEstimator(Calibration.bundled(), family);
    }

    /** Returns the model family whose weights this estimator uses. */
    public ModelFamily family() {
        return family;
    }

    /** Returns the estimated tokens of a text, or 0 for a null or empty text. */
    @Override
    public long count(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        long[] counts = COUNTS.get();
        ContentProfile.count(text, counts);

        // The same sum, in the same order, as estimate(ContentProfile). A non-empty text has at least one code
        // point, so the profile is never empty here.
        double sum = 0;
        for (int i = 0; i < counts.length; i++) {
            sum += weights[i] * counts[i];
        }
        return Math.max(1, (long) Math.ceil(sum));
    }

    /**
     * Returns the estimated tokens of a profiled text: the weighted sum rounded up, at least 1 when the profile
     * counts any code point, and 0 for {@link ContentProfile#EMPTY}.
     */
    public long estimate(ContentProfile profile) {
        if (profile.codePoints() == 0) {
            return 0;
        }
        // Summed in feature order, as fit.mjs does, so that both compute the same double.
        double sum = 0;
        sum += weights[0] * profile.asciiLetters();
        sum += weights[1] * profile.latinLetters();
        sum += weights[2] * profile.words();
        sum += weights[3] * profile.uppercase();
        sum += weights[4] * profile.caseChanges();
        sum += weights[5] * profile.digits();
        sum += weights[6] * profile.digitRuns();
        sum += weights[7] * profile.whitespace();
        sum += weights[8] * profile.whitespaceRuns();
        sum += weights[9] * profile.lineFeeds();
        sum += weights[10] * profile.punctuation();
        sum += weights[11] * profile.punctuationRuns();
        sum += weights[12] * profile.cyrillic();
        sum += weights[13] * profile.cjk();
        sum += weights[14] * profile.otherScripts();
        sum += weights[15] * profile.supplementary();
        sum += weights[16] * profile.otherCodePoints();
        sum += weights[17] * profile.unlistedWords();
        return Math.max(1, (long) Math.ceil(sum));
    }
}
