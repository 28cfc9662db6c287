package io.tokenmonitor.processor.validation;

import io.tokenmonitor.serde.UnknownSchemaException;
import io.tokenmonitor.topics.DeadLetterHeaders;
import io.tokenmonitor.topics.Topics;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * Sends a record whose key or value the source's deserializer rejects to the dead-letter topic, with the same
 * headers as a record the validator rejects, and resumes processing. The reason is {@code unknown-schema} when
 * the value names a schema id the registry does not have, and {@code undecodable} otherwise.
 *
 * <p>Every source of the topology reads the key as a string and the value as bytes, and
 * {@code StringDeserializer} replaces invalid UTF-8 rather than throwing, so this handler is a safety net for
 * a source with a typed serde. Kafka Streams writes its dead letters in the task's transaction.
 *
 * <p>The handler counts in the {@link RejectionCounter} found in the Streams configuration under
 * {@link #REJECTION_COUNTER_CONFIG}, or in a counter of its own when there is none.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

    /** Configuration key of the {@link RejectionCounter} to count in; the value is the object itself. */
    public static final String REJECTION_COUNTER_CONFIG = "token-monitor.rejection-counter";

    private DeadLetters deadLetters = new DeadLetters(new RejectionCounter());

    @Override
    public void configure(Map<String, ?> configs) {
        if (configs.get(REJECTION_COUNTER_CONFIG) instanceof RejectionCounter counter) {
            deadLetters = new DeadLetters(counter);
        }
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                Exception exception) {
        RejectionReason reason = hasCause(exception, UnknownSchemaException.class)
            ? RejectionReason.UNKNOWN_SCHEMA
            : RejectionReason.UNDECODABLE;
        String error = "Deserialization failed in " + context.processorNodeId() + ": " + exception;

        Headers headers = new RecordHeaders();
        for (Header header : record.headers()) {
            headers.add(header);
        }
        deadLetters.mark(headers, reason, error, record.topic(), record.partition(), record.offset());
        headers = DeadLetterSizeLimit.boundHeaders(headers);

        byte[] key = record.key();
        if (key != null && key.length > DeadLetterSizeLimit.MAX_KEY_LENGTH) {
            DeadLetters.setHeader(headers, DeadLetterHeaders.KEY_TRUNCATED, Integer.toString(key.length));
            key = Arrays.copyOf(key, DeadLetterSizeLimit.MAX_KEY_LENGTH);
        }
        byte[] value = record.value();
        if (value != null && value.length > DeadLetterSizeLimit.MAX_VALUE_BYTES) {
            DeadLetters.setHeader(headers, DeadLetterHeaders.VALUE_TRUNCATED, Integer.toString(value.length));
            value = Arrays.copyOf(value, DeadLetterSizeLimit.MAX_VALUE_BYTES);
        }
        return Response.resume(List.of(
            new ProducerRecord<>(Topics.TOKEN_REQUESTS_DLQ.name(), null, key, value, headers)));
    }

    private static boolean hasCause(Throwable exception, Class<? extends Throwable> type) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
