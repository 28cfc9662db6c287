package io.tokenmonitor.processor.lifecycle;

import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor's {@code processing.exception.handler}: logs the coordinates of a record whose processing threw
 * (topic, partition, offset, task, processor node and key) at ERROR, then fails the task. Kafka Streams then
 * throws a {@code StreamsException} out of the stream thread, {@link StreamThreadFailureHandler} replaces the
 * thread, and exactly-once processing aborts the open transaction, so the record is processed again from the
 * last commit and nothing is counted twice or lost.
 *
 * <p>It does not dead-letter, because every input that validation can reject already goes to the dead-letter
 * topic before any processing step, so an exception here is a fault of the processor or its environment (for
 * example an unreachable Schema Registry) that a retry may clear. Skipping the record would lose a request.
 * NOTE: a record that fails every time is retried forever, with one ERROR line per attempt.
 */
public final class LogAndFailProcessingHandler implements ProcessingExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(LogAndFailProcessingHandler.class);

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        Object key = record == null ? null : record.key();
        LOG.error("Processing failed at topic {} partition {} offset {} (task {}, processor {}, key {}); "
                + "failing the task so that the stream thread is replaced and the record processed again",
            context.topic(), context.partition(), context.offset(), context.taskId(), context.processorNodeId(),
            key, exception);
        return Response.fail();
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // No settings.
    }
}
