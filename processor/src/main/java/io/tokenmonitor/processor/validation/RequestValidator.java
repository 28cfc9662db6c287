package io.tokenmonitor.processor.validation;

import io.tokenmonitor.processor.period.BillingPeriod;
import io.tokenmonitor.processor.plan.DefaultPlan;
import io.tokenmonitor.processor.plan.PlanBook;
import io.tokenmonitor.processor.plan.Plans;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.serde.AvroSerde;
import io.tokenmonitor.topics.DeadLetterHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.LongPredicate;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Decodes and checks each input record. A record that passes is forwarded as an accepted
 * {@link ValidatedRequest}; one that fails is forwarded as a rejection with its original bytes and the
 * {@link DeadLetterHeaders} added, and counted.
 *
 * <p>Decoding happens here rather than in the source's deserializer, so bad bytes reach the dead-letter
 * topic with a reason instead of stopping or silently skipping the stream.
 */
public final class RequestValidator implements FixedKeyProcessor<String, byte[], ValidatedRequest> {

    /** Largest token count one request may report; no model has a context window near this size. */
    public static final long MAX_REPORTED_TOKENS = 1_000_000_000L;

    /** Maximum length of a userId, requestId, model, provider, app or clientVersion, in UTF-16 code units. */
    public static final int MAX_ID_LENGTH = 256;

    /**
     * Bytes a valid value may take beyond its two texts: the wire-format header, six strings of at most
     * {@link #MAX_ID_LENGTH} UTF-16 units (at most 3 UTF-8 bytes each), two profiles and three counts need less
     * than 8 KiB, so 64 KiB leaves room for schema evolution.
     */
    static final int MAX_VALUE_BYTES_BESIDES_TEXTS = 64 * 1024;

    /** Key of the latest accepted event time in the stream-time store; one entry per task. */
    public static final String STREAM_TIME_KEY = "accepted-stream-time";

    private final AvroSerde<TokenRequest> requestSerde;
    private final DeadLetters deadLetters;
    private final TimeRules timeRules;
    private final int maxTextBytes;
    private FixedKeyProcessorContext<String, ValidatedRequest> context;
    private PlanBook plans;
    private KeyValueStore<String, Long> streamTime;

    /**
     * Settings of the event-time checks.
     *
     * @param plansStore name of the store of plan states
     * @param streamTimeStore name of the store of the latest accepted event time
     * @param gracePeriod how long after its period ends an event still counts in it
     * @param maxClockSkew how far ahead of the wall clock an event time may be
     * @param dedupHorizon how far behind the latest accepted event time an event may be, imported or not,
     *     because the deduplication store removes request ids older than that
     */
    public record TimeRules(String plansStore, String streamTimeStore, DefaultPlan defaultPlan, Duration gracePeriod,
                            Duration maxClockSkew, Duration dedupHorizon) {
    }

    /**
     * Creates a validator.
     *
     * @param maxTextBytes maximum size of the prompt text and, separately, the completion text, in UTF-8 bytes
     */
    public RequestValidator(AvroSerde<TokenRequest> requestSerde, DeadLetters deadLetters, TimeRules timeRules,
                            int maxTextBytes) {
        this.requestSerde = requestSerde;
        this.deadLetters = deadLetters;
        this.timeRules = timeRules;
        this.maxTextBytes = maxTextBytes;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, ValidatedRequest> context) {
        this.context = context;
        this.plans = new PlanBook(context.getStateStore(timeRules.plansStore()), timeRules.defaultPlan());
        this.streamTime = context.getStateStore(timeRules.streamTimeStore());
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        // A value this large cannot pass the size checks below, so it is rejected without spending time and
        // memory on decoding it.
        long maxValueBytes = 2L * maxTextBytes + MAX_VALUE_BYTES_BESIDES_TEXTS;
        if (record.value() != null && record.value().length > maxValueBytes) {
            reject(record, RejectionReason.OVERSIZED, "Value of " + record.value().length + " bytes is larger than "
                + maxValueBytes + " bytes, the most a request with texts of at most " + maxTextBytes + " bytes takes");
            return;
        }
        Decoded<TokenRequest> decoded = Decoded.decode(requestSerde, topic, record.value());
        if (!decoded.isDecoded()) {
            reject(record, decoded.rejection(), decoded.error());
            return;
        }
        TokenRequest request = decoded.value();

        String problem = findMissingField(request);
        if (problem != null) {
            reject(record, RejectionReason.MISSING_FIELD, problem);
            return;
        }
        problem = findOversizedField(request);
        if (problem != null) {
            reject(record, RejectionReason.OVERSIZED, problem);
            return;
        }
        problem = findInvalidId(request);
        if (problem != null) {
            reject(record, RejectionReason.INVALID_FIELD, problem);
            return;
        }
        if (!Objects.equals(record.key(), request.getUserId())) {
            reject(record, RejectionReason.KEY_MISMATCH,
                "Record key '" + record.key() + "' differs from userId '" + request.getUserId() + "'");
            return;
        }
        problem = findNegativeCount(request);
        if (problem != null) {
            reject(record, RejectionReason.NEGATIVE_COUNT, problem);
            return;
        }
        problem = findOversizedCount(request);
        if (problem == null) {
            problem = findInconsistentTotal(request);
        }
        if (problem != null) {
            reject(record, RejectionReason.COUNT_OUT_OF_RANGE, problem);
            return;
        }
        problem = ProfileChecks.findInvalidProfile(request);
        if (problem != null) {
            reject(record, RejectionReason.INVALID_PROFILE, problem);
            return;
        }

        checkEventTime(record, request);
    }

    /**
     * Rejects an event from the future, which would otherwise move the stream time ahead for every user of
     * the partition. Rejects an event more than the deduplication horizon before the latest accepted event
     * time, because its id may no longer be in the deduplication store. Rejects a live (not imported) event
     * whose period closed more than the grace period before the latest accepted event time. An imported event
     * is exempt from that rule, because browser history is older than any grace period. Forwards the rest
     * with their period.
     */
    private void checkEventTime(FixedKeyRecord<String, byte[]> record, TokenRequest request) {
        Instant eventTime = request.getTimestamp();
        Instant wallClock = Instant.ofEpochMilli(context.currentSystemTimeMs());
        if (eventTime.isAfter(wallClock.plus(timeRules.maxClockSkew()))) {
            reject(record, RejectionReason.FUTURE, "Event time " + eventTime + " is more than "
                + timeRules.maxClockSkew() + " ahead of the processor clock " + wallClock);
            return;
        }

        BillingPeriod period = Plans.periodContaining(plans.stateOf(request.getUserId()), eventTime);
        Long latestMs = streamTime.get(STREAM_TIME_KEY);
        Instant latest = latestMs != null ? Instant.ofEpochMilli(latestMs) : Instant.MIN;
        if (latestMs != null && eventTime.isBefore(latest.minus(timeRules.dedupHorizon()))) {
            reject(record, RejectionReason.LATE, "Event time " + eventTime + " is more than the deduplication horizon "
                + timeRules.dedupHorizon() + " before the latest accepted event time " + latest);
            return;
        }
        if (!request.getImported() && !period.end().plus(timeRules.gracePeriod()).isAfter(latest)) {
            reject(record, RejectionReason.LATE, "Period " + period.name() + " of event time " + eventTime
                + " ended at " + period.end() + ", more than " + timeRules.gracePeriod()
                + " before the latest accepted event time " + latest);
            return;
        }

        if (latestMs == null || eventTime.toEpochMilli() > latestMs) {
            streamTime.put(STREAM_TIME_KEY, eventTime.toEpochMilli());
        }
        context.forward(record.withValue(ValidatedRequest.accepted(request, period)));
    }

    private static String findMissingField(TokenRequest request) {
        if (isBlank(request.getRequestId())) {
            return "requestId is blank";
        }
        if (isBlank(request.getUserId())) {
            return "userId is blank";
        }
        if (isBlank(request.getModel())) {
            return "model is blank";
        }
        return null;
    }

    /**
     * Returns which text is over the maximum size or which id or label is over {@link #MAX_ID_LENGTH}, or null.
     * Ids and labels become parts of state store keys and values, so their length bounds the stores' size.
     */
    private String findOversizedField(TokenRequest request) {
        String[] labels = {request.getUserId(), request.getRequestId(), request.getModel(), request.getProvider(),
            request.getApp(), request.getClientVersion()};
        String[] labelNames = {"userId", "requestId", "model", "provider", "app", "clientVersion"};
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != null && labels[i].length() > MAX_ID_LENGTH) {
                return labelNames[i] + " is " + labels[i].length() + " characters long, more than " + MAX_ID_LENGTH;
            }
        }
        String[] texts = {request.getPromptText(), request.getCompletionText()};
        String[] textNames = {"promptText", "completionText"};
        for (int i = 0; i < texts.length; i++) {
            long bytes = texts[i] != null ? utf8Length(texts[i]) : 0;
            if (bytes > maxTextBytes) {
                return textNames[i] + " is " + bytes + " bytes of UTF-8, more than the maximum of " + maxTextBytes;
            }
        }
        return null;
    }

    /** Returns the UTF-8 size of a string without encoding it; an unpaired surrogate counts as 3 bytes. */
    static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * Ids and the timestamp become parts of state store keys, which use a control character as separator. Avro
     * decodes invalid UTF-8 to U+FFFD, so an id containing it did not arrive as the producer meant it; an id with
     * a genuine U+FFFD is rejected as well.
     */
    private static String findInvalidId(TokenRequest request) {
        if (!isValidId(request.getUserId())) {
            return "userId contains control characters or invalid UTF-8";
        }
        if (!isValidId(request.getRequestId())) {
            return "requestId contains control characters or invalid UTF-8";
        }
        if (request.getTimestamp().toEpochMilli() < 0) {
            return "timestamp " + request.getTimestamp() + " is before 1970-01-01T00:00:00Z";
        }
        return null;
    }

    private static boolean isValidId(String id) {
        return id.chars().noneMatch(c -> Character.isISOControl(c) || c == '\uFFFD');
    }

    private static String findNegativeCount(TokenRequest request) {
        return findCount(request, count -> count < 0, "is negative");
    }

    private static String findOversizedCount(TokenRequest request) {
        return findCount(request, count -> count > MAX_REPORTED_TOKENS, "exceeds " + MAX_REPORTED_TOKENS);
    }

    /** Returns why a reported total contradicts the reported parts, or null when it does not. */
    private static String findInconsistentTotal(TokenRequest request) {
        Long total = request.getReportedTotalTokens();
        if (total == null) {
            return null;
        }
        long prompt = request.getReportedPromptTokens() != null ? request.getReportedPromptTokens() : 0;
        long completion = request.getReportedCompletionTokens() != null ? request.getReportedCompletionTokens() : 0;
        boolean bothParts = request.getReportedPromptTokens() != null && request.getReportedCompletionTokens() != null;
        if (bothParts ? prompt + completion != total : prompt + completion > total) {
            return "reportedTotalTokens " + total + " does not match reported prompt " + prompt + " and completion "
                + completion + " tokens";
        }
        return null;
    }

    /** Returns a description of the first reported count that matches, or null when none does. */
    private static String findCount(TokenRequest request, LongPredicate invalid, String problem) {
        Long[] counts = {request.getReportedPromptTokens(), request.getReportedCompletionTokens(),
            request.getReportedTotalTokens()};
        String[] names = {"reportedPromptTokens", "reportedCompletionTokens", "reportedTotalTokens"};
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != null && invalid.test(counts[i])) {
                return names[i] + " " + problem + ": " + counts[i];
            }
        }
        return null;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private void reject(FixedKeyRecord<String, byte[]> record, RejectionReason reason, String error) {
        deadLetters.mark(record, context.recordMetadata(), reason, error);
        context.forward(record.withValue(ValidatedRequest.rejected(reason, record.value())));
    }
}
