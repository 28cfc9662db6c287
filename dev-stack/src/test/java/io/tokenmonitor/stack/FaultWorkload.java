package io.tokenmonitor.stack;

import io.tokenmonitor.schema.TokenRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * The input of the fault test and its exact expected outcome. Every request carries reported prompt and
 * completion counts, so the expected totals do not depend on the token estimator, and a request id derived
 * from the seed and its index, so sending a request again is a duplicate.
 *
 * <p>Each user gets a scale factor, so the users' totals spread from about a third of the plan limit to
 * about one and a half times it, and the users reach different sets of alert thresholds.
 *
 * @param requests the requests in sending order; request {@code i} belongs to user {@code i % users + 1}
 * @param monthlyLimit the default plan's token limit, the mean of the users' totals
 * @param expected the expected totals of every user and billing period
 */
record FaultWorkload(List<TokenRequest> requests, long monthlyLimit, Map<UserPeriod, Totals> expected) {

    /** The default plan's alert thresholds that the test passes to the processor. */
    static final List<Integer> THRESHOLDS_PERCENT = List.of(50, 80, 90, 100);

    private static final long MEAN_PROMPT_TOKENS = 40;
    private static final long MEAN_COMPLETION_TOKENS = 80;
    private static final long TIME_SPAN_MS = 3_600_000;

    /** A user and a billing period of the default plan, named by its start date such as 2026-12-01. */
    record UserPeriod(String userId, String period) {
    }

    /** The expected totals of one user and period. */
    record Totals(long requests, long promptTokens, long completionTokens) {

        long totalTokens() {
            return promptTokens + completionTokens;
        }

        Totals plus(long prompt, long completion) {
            return new Totals(requests + 1, promptTokens + prompt, completionTokens + completion);
        }
    }

    /** One expected alert: a user, a period and a threshold in percent. */
    record AlertKey(String userId, String period, int thresholdPercent) {
    }

    /**
     * Generates {@code count} requests of {@code users} users, with event times spread evenly over the hour
     * before {@code end}. The same seed and sizes give the same requests, ids and counts.
     */
    static FaultWorkload generate(long seed, int count, int users, Instant end) {
        Random random = new Random(seed);
        double[] scale = new double[users];
        for (int user = 0; user < users; user++) {
            scale[user] = 0.3 + 1.2 * random.nextDouble();
        }

        List<TokenRequest> requests = new ArrayList<>(count);
        Map<UserPeriod, Totals> expected = new HashMap<>();
        long firstMs = end.toEpochMilli() - TIME_SPAN_MS;
        for (int index = 0; index < count; index++) {
            int user = index % users;
            long prompt = 1 + (long) (random.nextDouble() * 2 * MEAN_PROMPT_TOKENS * scale[user]);
            long completion = 1 + (long) (random.nextDouble() * 2 * MEAN_COMPLETION_TOKENS * scale[user]);
            Instant timestamp = Instant.ofEpochMilli(firstMs + TIME_SPAN_MS * index / count);
            String userId = "fault-user-" + (user + 1);
            requests.add(TokenRequest.newBuilder()
                .setRequestId(requestId(seed, index))
                .setUserId(userId)
                .setTimestamp(timestamp)
                .setModel("gpt-4o")
                .setProvider("openai")
                .setReportedPromptTokens(prompt)
                .setReportedCompletionTokens(completion)
                .setApp("fault-test")
                .build());
            expected.merge(new UserPeriod(userId, periodOf(timestamp)), new Totals(1, prompt, completion),
                (sum, one) -> sum.plus(one.promptTokens(), one.completionTokens()));
        }

        long sum = expected.values().stream().mapToLong(Totals::totalTokens).sum();
        long monthlyLimit = Math.max(1, sum / expected.size());
        return new FaultWorkload(List.copyOf(requests), monthlyLimit, Map.copyOf(expected));
    }

    /** Returns the period name of the default plan (UTC, starting on the 1st) that contains {@code time}. */
    static String periodOf(Instant time) {
        return YearMonth.from(time.atZone(ZoneOffset.UTC)).atDay(1).toString();
    }

    private static String requestId(long seed, int index) {
        String name = "fault-test#" + seed + "#" + index;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * Returns every alert the processor must raise: each threshold that a user's period total reaches, where
     * a threshold is reached when {@code totalTokens * 100 >= thresholdPercent * limit}.
     */
    Set<AlertKey> expectedAlerts() {
        Set<AlertKey> alerts = new HashSet<>();
        expected.forEach((key, totals) -> {
            for (int threshold : THRESHOLDS_PERCENT) {
                if (totals.totalTokens() * 100 >= threshold * monthlyLimit) {
                    alerts.add(new AlertKey(key.userId(), key.period(), threshold));
                }
            }
        });
        return alerts;
    }
}
