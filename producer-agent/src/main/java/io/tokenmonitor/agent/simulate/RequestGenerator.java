package io.tokenmonitor.agent.simulate;

import io.tokenmonitor.schema.TokenRequest;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * Creates synthetic requests: a user drawn uniformly from user-1..user-N, a model, provider and app from
 * {@link ModelCatalog}, and the current time as event time. A given percentage of requests carries
 * provider-reported token counts and no text. The rest carries prompt and completion text only, so the
 * processor has to estimate their tokens.
 *
 * <p>Every choice comes from the given random generator, so a seeded generator repeats the same users,
 * models, providers, counts and texts. Request ids are always random UUIDs, so that running the same
 * seed twice is counted twice rather than dropped as duplicates.
 */
public final class RequestGenerator {

    /** Reported prompt tokens are drawn log-uniformly from this range. */
    public static final int MIN_PROMPT_TOKENS = 20;
    public static final int MAX_PROMPT_TOKENS = 4000;

    /** Reported completion tokens are drawn log-uniformly from this range. */
    public static final int MIN_COMPLETION_TOKENS = 10;
    public static final int MAX_COMPLETION_TOKENS = 2000;

    private final int users;
    private final int reportedPercent;
    private final RandomGenerator random;
    private final TextSource texts;
    private final Clock clock;

    /**
     * Creates a generator.
     *
     * @param users the number of user ids, at least 1
     * @param reportedPercent the share of requests with reported counts, 0 to 100
     * @throws IllegalArgumentException if users or reportedPercent is out of range
     */
    public RequestGenerator(int users, int reportedPercent, RandomGenerator random, TextSource texts, Clock clock) {
        if (users < 1) {
            throw new IllegalArgumentException("Invalid user count " + users + ": expected 1 or more");
        }
        if (reportedPercent < 0 || reportedPercent > 100) {
            throw new IllegalArgumentException("Invalid reported percentage " + reportedPercent + ": expected 0 to 100");
        }
        this.users = users;
        this.reportedPercent = reportedPercent;
        this.random = random;
        this.texts = texts;
        this.clock = clock;
    }

    /** Creates the next request. */
    public TokenRequest next() {
        TokenRequest.Builder request = TokenRequest.newBuilder()
            .setRequestId(UUID.randomUUID().toString())
            .setUserId("user-" + (random.nextInt(users) + 1))
            .setTimestamp(clock.instant())
            .setModel(pick(ModelCatalog.MODELS))
            .setProvider(pick(ModelCatalog.PROVIDERS))
            .setApp(pick(ModelCatalog.APPS));

        if (random.nextInt(100) < reportedPercent) {
            request.setReportedPromptTokens(
                (long) SyntheticTexts.logUniform(random, MIN_PROMPT_TOKENS, MAX_PROMPT_TOKENS));
            request.setReportedCompletionTokens(
                (long) SyntheticTexts.logUniform(random, MIN_COMPLETION_TOKENS, MAX_COMPLETION_TOKENS));
        } else {
            TextSource.TextPair pair = texts.next(random);
            request.setPromptText(pair.prompt());
            request.setCompletionText(pair.completion());
        }
        return request.build();
    }

    private String pick(List<String> values) {
        return values.get(random.nextInt(values.size()));
    }
}
