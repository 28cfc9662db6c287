package io.tokenmonitor.processor.validation;

import io.tokenmonitor.topics.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Marks a rejected input record for the dead-letter topic: adds the {@link DeadLetterHeaders} and counts
 * the rejection. Shared by every processor that reads raw input bytes, and by the deserialization exception
 * handler.
 */
public final class DeadLetters {

    /** Maximum length of the error header and log message, in UTF-16 code units; longer errors are cut. */
    public static final int MAX_ERROR_LENGTH = 1000;

    private final RejectionCounter rejections;

    public DeadLetters(RejectionCounter rejections) {
        this.rejections = rejections;
    }

    /** Adds the reason and the record's coordinates as headers, and counts and logs the rejection. */
    public void mark(FixedKeyRecord<String, byte[]> record, Optional<RecordMetadata> metadata,
                     RejectionReason reason, String error) {
        String topic = metadata.map(RecordMetadata::topic).orElse("");
        int partition = metadata.map(RecordMetadata::partition).orElse(-1);
        long offset = metadata.map(RecordMetadata::offset).orElse(-1L);
        mark(record.headers(), reason, error, topic, partition, offset);
    }

    /**
     * Sets the dead-letter headers on {@code headers}, replacing earlier ones of the same names, and counts and
     * logs the rejection. An error longer than {@link #MAX_ERROR_LENGTH} is cut, because it may quote a hostile
     * key or field.
     */
    public void mark(Headers headers, RejectionReason reason, String error, String topic, int partition,
                     long offset) {
        String boundedError = error.length() > MAX_ERROR_LENGTH
            ? error.substring(0, MAX_ERROR_LENGTH) + "... (" + error.length() + " characters)"
            : error;
        setHeader(headers, DeadLetterHeaders.REASON, reason.code());
        setHeader(headers, DeadLetterHeaders.ERROR, boundedError);
        setHeader(headers, DeadLetterHeaders.SOURCE_TOPIC, topic);
        setHeader(headers, DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(partition));
        setHeader(headers, DeadLetterHeaders.SOURCE_OFFSET, Long.toString(offset));
        setHeader(headers, DeadLetterHeaders.REJECTED_AT, Instant.now().toString());

        rejections.record(reason, topic, partition, offset, boundedError);
    }

    static void setHeader(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
