package io.tokenmonitor.processor.lifecycle;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.processor.TaskId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a stream thread that died of an exception, after logging the cause at ERROR with the task and, where
 * Kafka Streams put them in the message, the record's topic, partition and offset. A failed processing step
 * reaches here as a {@link StreamsException} whose message names the task, processor, topic, partition and
 * offset; {@link LogAndFailProcessingHandler} has logged the same coordinates as separate fields just before.
 * With exactly-once processing the replaced thread's open transaction is aborted, so its records are processed
 * again and counted once.
 */
public final class StreamThreadFailureHandler implements StreamsUncaughtExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(StreamThreadFailureHandler.class);

    private final AtomicLong replacements = new AtomicLong();

    @Override
    public StreamThreadExceptionResponse handle(Throwable exception) {
        long count = replacements.incrementAndGet();
        LOG.error("Stream thread {} failed in {}; replacing it (replacement {} since start)",
            Thread.currentThread().getName(), describeTask(exception), count, exception);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** Returns the number of stream threads replaced since this handler was created. */
    public long replacements() {
        return replacements.get();
    }

    /**
     * Returns the task or tasks an exception names, such as "task 0_1", from the first {@link StreamsException}
     * or {@link TaskCorruptedException} in its cause chain, or "an unknown task".
     */
    static String describeTask(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof TaskCorruptedException corrupted && !corrupted.corruptedTasks().isEmpty()) {
                return "corrupted tasks " + corrupted.corruptedTasks();
            }
            if (cause instanceof StreamsException streamsException) {
                Optional<TaskId> taskId = streamsException.taskId();
                if (taskId.isPresent()) {
                    return "task " + taskId.get();
                }
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return "an unknown task";
    }
}
