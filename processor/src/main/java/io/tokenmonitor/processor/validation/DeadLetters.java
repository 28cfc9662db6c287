package io.tokenmonitor.processor.validation;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Marks a rejected input record for the dead-letter topic: adds the {@link DeadLetterHeaders} and counts
 * the rejection. Shared by every processor that reads raw input bytes.
 */
public final class DeadLetters {

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

        Headers headers = record.headers();
        setHeader(headers, DeadLetterHeaders.REASON, reason.code());
        setHeader(headers, DeadLetterHeaders.ERROR, error);
        setHeader(headers, DeadLetterHeaders.SOURCE_TOPIC, topic);
        setHeader(headers, DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(partition));
        setHeader(headers, DeadLetterHeaders.SOURCE_OFFSET, Long.toString(offset));
        setHeader(headers, DeadLetterHeaders.REJECTED_AT, Instant.now().toString());

        rejections.record(reason, topic, partition, offset, error);
    }

    private static void setHeader(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
