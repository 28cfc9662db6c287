package io.tokenmonitor.processor.estimation;

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
 * step's source. The cost is the catalogue's list price for the model and provider, or null when unknown.
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
     * The counter the chain chose for a model's texts, with the source and estimator name it reports.
     *
     * @param name the estimator name, for example o200k_base or calibrated-llama3
     */
    public record Counter(TokenCounter counter, TokenSource source, String name) {
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
            promptTokens = reportedPrompt != null ? reportedPrompt : counter.counter().count(request.getPromptText());
            completionTokens = reportedCompletion != null
                ? reportedCompletion
                : counter.counter().count(request.getCompletionText());
            source = counter.source();
            estimator = counter.name();
            if (reportedTotal != null) {
                long[] parts = fitToTotal(reportedTotal, promptTokens, completionTokens, reportedPrompt != null,
                    reportedCompletion != null);
                promptTokens = parts[0];
                completionTokens = parts[1];
                source = TokenSource.REPORTED;
                estimator = PROVIDER;
            }
        }

        OptionalLong cost = catalog.costMicros(request.getModel(), request.getProvider(), promptTokens,
            completionTokens);
        return TokenUsage.newBuilder()
            .setRequestId(request.getRequestId())
            .setUserId(request.getUserId())
            .setTimestamp(request.getTimestamp())
            .setModel(request.getModel())
            .setProvider(request.getProvider())
            .setApp(request.getApp())
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
        // The validator caps a reported total at 10^9 and a record's text keeps estimates far below that,
        // so the product stays within a long.
        long scaledPrompt = Math.multiplyExact(prompt, total) / estimated;
        return new long[] {scaledPrompt, total - scaledPrompt};
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
            return new Counter(UsageEstimator::heuristicCount, TokenSource.HEURISTIC, HEURISTIC);
        }
        Optional<ExactTokenCounter> exact = exactTokenizers.counterFor(entry.get());
        if (exact.isPresent()) {
            return new Counter(exact.get(), TokenSource.EXACT, exact.get().encodingName());
        }
        ModelFamily family = entry.get().family();
        return new Counter(calibrated.get(family), TokenSource.ESTIMATED,
            "calibrated-" + family.name().toLowerCase(Locale.ROOT));
    }

    /** Returns {@code ceil(codePoints / 4)} for a text, and 0 for a missing one. */
    static long heuristicCount(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        long codePoints = text.codePointCount(0, text.length());
        return (codePoints + CHARACTERS_PER_TOKEN - 1) / CHARACTERS_PER_TOKEN;
    }
}
