package io.tokenmonitor.processor.validation;

import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.serde.AvroSerde;
import io.tokenmonitor.serde.UnknownSchemaException;
import io.tokenmonitor.serde.WireFormatException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Decodes and checks each input record. A record that passes is forwarded as an accepted
 * {@link ValidatedRequest}; one that fails is forwarded as a rejection with its original bytes and the
 * {@link DeadLetterHeaders} added, and counted in the {@link RejectionCounter}.
 *
 * <p>Decoding happens here rather than in the source's deserializer, so bad bytes reach the dead-letter
 * topic with a reason instead of stopping or silently skipping the stream.
 */
public final class RequestValidator implements FixedKeyProcessor<String, byte[], ValidatedRequest> {

    /** Largest token count one request may report; no model has a context window near this size. */
    public static final long MAX_REPORTED_TOKENS = 1_000_000_000L;

    /** Maximum length of a userId or requestId, in UTF-16 code units. */
    public static final int MAX_ID_LENGTH = 256;

    private final AvroSerde<TokenRequest> requestSerde;
    private final RejectionCounter rejections;
    private FixedKeyProcessorContext<String, ValidatedRequest> context;

    public RequestValidator(AvroSerde<TokenRequest> requestSerde, RejectionCounter rejections) {
        this.requestSerde = requestSerde;
        this.rejections = rejections;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, ValidatedRequest> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        TokenRequest request;
        try {
            if (record.value() == null) {
                throw new WireFormatException("Value is null");
            }
            request = requestSerde.deserialize(topic, record.value());
        } catch (UnknownSchemaException e) {
            reject(record, RejectionReason.UNKNOWN_SCHEMA, e.getMessage());
            return;
        } catch (WireFormatException e) {
            reject(record, RejectionReason.UNDECODABLE, e.getMessage());
            return;
        }

        String problem = findMissingField(request);
        if (problem != null) {
            reject(record, RejectionReason.MISSING_FIELD, problem);
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
        if (problem != null) {
            reject(record, RejectionReason.COUNT_OUT_OF_RANGE, problem);
            return;
        }

        context.forward(record.withValue(ValidatedRequest.accepted(request)));
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

    /** Ids and the timestamp become parts of state store keys, which use a control character as separator. */
    private static String findInvalidId(TokenRequest request) {
        if (!isValidId(request.getUserId())) {
            return "userId is longer than " + MAX_ID_LENGTH + " characters or contains control characters";
        }
        if (!isValidId(request.getRequestId())) {
            return "requestId is longer than " + MAX_ID_LENGTH + " characters or contains control characters";
        }
        if (request.getTimestamp().toEpochMilli() < 0) {
            return "timestamp " + request.getTimestamp() + " is before 1970-01-01T00:00:00Z";
        }
        return null;
    }

    private static boolean isValidId(String id) {
        return id.length() <= MAX_ID_LENGTH && id.chars().noneMatch(Character::isISOControl);
    }

    private static String findNegativeCount(TokenRequest request) {
        Long prompt = request.getReportedPromptTokens();
        Long completion = request.getReportedCompletionTokens();
        if (prompt != null && prompt < 0) {
            return "reportedPromptTokens is negative: " + prompt;
        }
        if (completion != null && completion < 0) {
            return "reportedCompletionTokens is negative: " + completion;
        }
        return null;
    }

    private static String findOversizedCount(TokenRequest request) {
        Long prompt = request.getReportedPromptTokens();
        Long completion = request.getReportedCompletionTokens();
        if (prompt != null && prompt > MAX_REPORTED_TOKENS) {
            return "reportedPromptTokens " + prompt + " exceeds " + MAX_REPORTED_TOKENS;
        }
        if (completion != null && completion > MAX_REPORTED_TOKENS) {
            return "reportedCompletionTokens " + completion + " exceeds " + MAX_REPORTED_TOKENS;
        }
        return null;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private void reject(FixedKeyRecord<String, byte[]> record, RejectionReason reason, String error) {
        RecordMetadata metadata = context.recordMetadata().orElse(null);
        String topic = metadata != null ? metadata.topic() : "";
        int partition = metadata != null ? metadata.partition() : -1;
        long offset = metadata != null ? metadata.offset() : -1;

        Headers headers = record.headers();
        setHeader(headers, DeadLetterHeaders.REASON, reason.code());
        setHeader(headers, DeadLetterHeaders.ERROR, error);
        setHeader(headers, DeadLetterHeaders.SOURCE_TOPIC, topic);
        setHeader(headers, DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(partition));
        setHeader(headers, DeadLetterHeaders.SOURCE_OFFSET, Long.toString(offset));
        setHeader(headers, DeadLetterHeaders.REJECTED_AT, Instant.now().toString());

        rejections.record(reason, topic, partition, offset, error);
        context.forward(record.withValue(ValidatedRequest.rejected(reason, record.value())));
    }

    private static void setHeader(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
