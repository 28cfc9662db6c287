package io.tokenmonitor.processor.validation;

import io.tokenmonitor.topics.DeadLetterHeaders;
import java.util.Arrays;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Cuts a dead letter's key, value and original headers to sizes the dead-letter topic accepts, and records each
 * cut in a header. Without this, a record that reached the processor compressed, or through a topic with a
 * raised {@code max.message.bytes}, would fail the producer's {@code max.request.size} (1 MB by default) when it
 * is dead-lettered, and the failed send would stop the stream thread.
 */
public final class DeadLetterSizeLimit implements Processor<String, byte[], String, byte[]> {

    /** Maximum value size of a dead letter; a longer value keeps its first bytes. */
    public static final int MAX_VALUE_BYTES = 512 * 1024;

    /** Maximum key length of a dead letter, in UTF-16 code units (at most 3 KiB of UTF-8). */
    public static final int MAX_KEY_LENGTH = 1024;

    /** Maximum total size of the original headers' names and values; larger ones are dropped together. */
    public static final int MAX_ORIGINAL_HEADER_BYTES = 64 * 1024;

    /** The headers {@link DeadLetters} sets; every other header came with the original record. */
    private static final Set<String> REJECTION_HEADERS = Set.of(DeadLetterHeaders.REASON, DeadLetterHeaders.ERROR,
        DeadLetterHeaders.SOURCE_TOPIC, DeadLetterHeaders.SOURCE_PARTITION, DeadLetterHeaders.SOURCE_OFFSET,
        DeadLetterHeaders.REJECTED_AT);

    private ProcessorContext<String, byte[]> context;

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String key = record.key();
        byte[] value = record.value();
        Headers headers = boundHeaders(record.headers());

        if (key != null && key.length() > MAX_KEY_LENGTH) {
            DeadLetters.setHeader(headers, DeadLetterHeaders.KEY_TRUNCATED, Integer.toString(key.length()));
            key = key.substring(0, MAX_KEY_LENGTH);
        }
        if (value != null && value.length > MAX_VALUE_BYTES) {
            DeadLetters.setHeader(headers, DeadLetterHeaders.VALUE_TRUNCATED, Integer.toString(value.length));
            value = Arrays.copyOf(value, MAX_VALUE_BYTES);
        }
        context.forward(record.withKey(key).withValue(value).withHeaders(headers));
    }

    /** Returns the headers, or only the rejection headers when the original ones are too large to copy. */
    static Headers boundHeaders(Headers headers) {
        long originalBytes = 0;
        int originalCount = 0;
        for (Header header : headers) {
            if (!REJECTION_HEADERS.contains(header.key())) {
                originalBytes += header.key().length() + (header.value() != null ? header.value().length : 0);
                originalCount++;
            }
        }
        if (originalBytes <= MAX_ORIGINAL_HEADER_BYTES) {
            return headers;
        }
        Headers bounded = new RecordHeaders();
        for (Header header : headers) {
            if (REJECTION_HEADERS.contains(header.key())) {
                bounded.add(header);
            }
        }
        DeadLetters.setHeader(bounded, DeadLetterHeaders.HEADERS_DROPPED, Integer.toString(originalCount));
        return bounded;
    }
}
