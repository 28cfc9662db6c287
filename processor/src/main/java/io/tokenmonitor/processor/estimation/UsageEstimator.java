package io.tokenmonitor.processor.estimation;

import io.tokenmonitor.profile.TextProfiles;
import io.tokenmonitor.schema.TextProfile;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.schema.TokenSource;
import io.tokenmonitor.schema.TokenUsage;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a validated request into its token counts and cost, with the most accurate counter available
 * for its model. The first step that applies wins, and is recorded in {@code tokenSource}:
 * <ol>
 *   <li>{@link TokenSource#REPORTED}: the counts the provider returned. A reported total without its
 *       parts is kept: the parts are estimated from the text and scaled to add up to it.</li>
 *   <li>{@link TokenSource#EXACT}: the model's own tokenizer, when the catalogue names one that is loaded.</li>
 *   <li>{@link TokenSource#ESTIMATED}: the calibrated estimate of the model's family.</li>
 *   <li>{@link TokenSource#HEURISTIC}: four characters per token, for a model the catalogue does not know.</li>
 * </ol>
 * When only one part is reported, the other is counted by the steps below and the request gets that
 * step's source.
 *
 * <p>A part without text but with a {@link TextProfile} is counted from the profile. An exact tokenizer needs
 * the text, so a known model gets the calibrated estimate of its family ({@link TokenSource#ESTIMATED}), and
 * an unknown model gets four code points per token ({@link TokenSource#HEURISTIC}). When the two parts are
 * counted by different steps, the request gets the less exact source and the estimator of that part. The cost
 * is the catalogue's list price for the model and provider, or null when unknown.
 */
public final class UsageEstimator {

    /** Estimator name of provider-reported counts. */
    public static final String PROVIDER = "provider";

    /** Estimator name of the four-characters-per-token heuristic. */
    public static final String HEURISTIC = "chars-per-token-4";

    private static final int CHARACTERS_PER_TOKEN = 4;

    /** Upper bound of cached model lookups, since model ids come from requests. */
    private static final int MAX_CACHED_MODELS = 10_000;

    private final ModelCatalog catalog;
    private final ExactTokenizers exactTokenizers;
    private final Map<ModelFamily, CalibratedEstimator> calibrated = new EnumMap<>(ModelFamily.class);
    private final Map<String, Counter> counterByModel = new ConcurrentHashMap<>();

    /**
     * The counter the chain chose for a model's texts, with the source and estimator name it reports, and
     * the estimator of the model's family for parts that have only a profile, or null for an unknown model.
     *
     * @param name the estimator name, for example o200k_base or calibrated-llama3
     * @param entry the catalogue entry of the model, whose prices give the cost, or null for an unknown model
     */
    public record Counter(TokenCounter counter, TokenSource source, String name, CalibratedEstimator calibrated,
                          CatalogEntry entry) {
    }

    /** The token count of one part and how it was counted. */
    private record PartCount(long tokens, TokenSource source, String estimator) {
    }

    public UsageEstimator(ModelCatalog catalog, ExactTokenizers exactTokenizers, Calibration calibration) {
        this.catalog = catalog;
        this.exactTokenizers = exactTokenizers;
        for (ModelFamily family : ModelFamily.values()) {
            calibrated.put(family, new CalibratedEstimator(calibration, family));
        }
    }

    /** Returns an estimator with the shipped catalogue and calibration and the OpenAI encodings only. */
    public static UsageEstimator shipped() {
        return new UsageEstimator(ModelCatalog.loadShipped(), ExactTokenizers.openAiOnly(), Calibration.bundled());
    }

    /** Returns the token usage and cost of a request in a billing period, without its text. */
    public TokenUsage estimate(TokenRequest request, String periodName) {
        Long reportedPrompt = request.getReportedPromptTokens();
        Long reportedCompletion = request.getReportedCompletionTokens();
        Long reportedTotal = request.getReportedTotalTokens();

        long promptTokens;
        long completionTokens;
        TokenSource source;
        String estimator;
        if (reportedPrompt != null && reportedCompletion != null) {
            promptTokens = reportedPrompt;
            completionTokens = reportedCompletion;
            source = TokenSource.REPORTED;
            estimator = PROVIDER;
        } else {
            Counter counter = counterFor(request.getModel());
            PartCount prompt = reportedPrompt != null
                ? null
                : countPart(counter, request.getPromptText(), request.getPromptProfile());
            PartCount completion = reportedCompletion != null
                ? null
                : countPart(counter, request.getCompletionText(), request.getCompletionProfile());
            promptTokens = prompt != null ? prompt.tokens() : reportedPrompt;
            completionTokens = completion != null ? completion.tokens() : reportedCompletion;

            PartCount leastExact = lessExact(prompt, completion);
            source = leastExact.source();
            estimator = leastExact.estimator();
            if (reportedTotal != null) {
                long[] parts = fitToTotal(reportedTotal, promptTokens, completionTokens, reportedPrompt != null,
                    reportedCompletion != null);
                promptTokens = parts[0];
                completionTokens = parts[1];
                source = TokenSource.REPORTED;
                estimator = PROVIDER;
            }
        }

        OptionalLong cost = costMicros(request, promptTokens, completionTokens);
        return TokenUsage.newBuilder()
            .setRequestId(request.getRequestId())
            .setUserId(request.getUserId())
            .setTimestamp(request.getTimestamp())
            .setModel(request.getModel())
            .setProvider(request.getProvider())
            .setApp(request.getApp())
            .setClientVersion(request.getClientVersion())
            .setPromptTokens(promptTokens)
            .setCompletionTokens(completionTokens)
            .setTotalTokens(Math.addExact(promptTokens, completionTokens))
            .setTokenSource(source)
            .setPeriod(periodName)
            .setEstimator(estimator)
            .setCostMicros(cost.isPresent() ? cost.getAsLong() : null)
            .build();
    }

    /**
     * Counts one part from its text, or from its profile when the text is missing. A part with neither counts
     * as 0 tokens, with the source of the model's counter.
     */
    private static PartCount countPart(Counter counter, String text, TextProfile profile) {
        if (text != null || profile == null) {
            return new PartCount(counter.counter().count(text), counter.source(), counter.name());
        }
        if (counter.calibrated() == null) {
            return new PartCount(heuristicCount(profile.getCodePoints()), TokenSource.HEURISTIC, HEURISTIC);
        }
        CalibratedEstimator calibrated = counter.calibrated();
        return new PartCount(calibrated.estimate(TextProfiles.fromAvro(profile)), TokenSource.ESTIMATED,
            calibratedName(calibrated.family()));
    }

    /** Returns the part counted by the less exact step, or the other part when one is null. */
    private static PartCount lessExact(PartCount prompt, PartCount completion) {
        if (prompt == null) {
            return completion;
        }
        if (completion == null) {
            return prompt;
        }
        // TokenSource lists its symbols from the most to the least exact.
        return completion.source().ordinal() > prompt.source().ordinal() ? completion : prompt;
    }

    /**
     * Splits a reported total into prompt and completion. A reported part is kept and the other gets the
     * rest. With neither reported, the estimated parts are scaled to the total, rounding the prompt down.
     */
    static long[] fitToTotal(long total, long prompt, long completion, boolean promptReported,
                             boolean completionReported) {
        if (promptReported) {
            return new long[] {prompt, Math.max(0, total - prompt)};
        }
        if (completionReported) {
            return new long[] {Math.max(0, total - completion), completion};
        }
        long estimated = prompt + completion;
        if (estimated == 0) {
            return new long[] {0, total};
        }
        // The validator caps a reported total at 10^9 and a profile at 10^8 code points, and a record's text is
        // shorter still, so with the shipped calibration the product stays within a long.
        long scaledPrompt = Math.multiplyExact(prompt, total) / estimated;
        return new long[] {scaledPrompt, total - scaledPrompt};
    }

    /**
     * Returns the cost of a request like {@link ModelCatalog#costMicros}, but takes the catalogue entry from the
     * cached counter of the model, so that a known model costs no scan of the catalogue's patterns per record.
     */
    private OptionalLong costMicros(TokenRequest request, long promptTokens, long completionTokens) {
        if (request.getModel() == null) {
            return catalog.costMicros(null, request.getProvider(), promptTokens, completionTokens);
        }
        CatalogEntry entry = counterFor(request.getModel()).entry();
        Optional<Price> price = entry == null ? Optional.empty() : entry.priceFor(request.getProvider());
        if (price.isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Cost.costMicros(promptTokens, completionTokens, price.get()));
    }

    /** Returns the counter the chain uses for texts of a model when the provider reported no counts. */
    public Counter counterFor(String model) {
        Counter cached = counterByModel.get(model);
        if (cached != null) {
            return cached;
        }
        Counter counter = chooseCounter(model);
        if (counterByModel.size() < MAX_CACHED_MODELS) {
            counterByModel.put(model, counter);
        }
        return counter;
    }

    private Counter chooseCounter(String model) {
        Optional<CatalogEntry> entry = catalog.lookup(model);
        if (entry.isEmpty()) {
            return new Counter(UsageEstimator::heuristicCount, TokenSource.HEURISTIC, HEURISTIC, null, null);
        }
        CalibratedEstimator familyEstimator = calibrated.get(entry.get().family());
        Optional<ExactTokenCounter> exact = exactTokenizers.counterFor(entry.get());
        if (exact.isPresent()) {
            return new Counter(exact.get(), TokenSource.EXACT, exact.get().encodingName(), familyEstimator,
                entry.get());
        }
        return new Counter(familyEstimator, TokenSource.ESTIMATED, calibratedName(familyEstimator.family()),
            familyEstimator, entry.get());
    }

    private static String calibratedName(ModelFamily family) {
        return "calibrated-" + family.name().toLowerCase(Locale.ROOT);
    }

    /** Returns {@code ceil(codePoints / 4)} for a text, and 0 for a missing one. */
    static long heuristicCount(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        return heuristicCount(text.codePointCount(0, text.length()));
    }

    /** Returns {@code ceil(codePoints / 4)}, the heuristic count of a text with that many code points. */
    static long heuristicCount(long codePoints) {
        return (codePoints + CHARACTERS_PER_TOKEN - 1) / CHARACTERS_PER_TOKEN;
    }
}
