package io.tokenmonitor.processor.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class StreamThreadFailureHandlerTest {

    @Test
    void shouldReplaceThreadAndCountReplacements() {
        StreamThreadFailureHandler handler = new StreamThreadFailureHandler();

        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, handler.handle(new IllegalStateException("a")));
        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, handler.handle(new IllegalStateException("b")));
        assertEquals(2, handler.replacements());
    }

    @Test
    void shouldNameTaskOfWrappedStreamsException() {
        StreamsException failure = new StreamsException("process failed", new ArithmeticException(),
            new TaskId(0, 2));

        assertEquals("task 0_2", StreamThreadFailureHandler.describeTask(new RuntimeException(failure)));
    }

    @Test
    void shouldNameCorruptedTasks() {
        TaskCorruptedException corrupted = new TaskCorruptedException(Set.of(new TaskId(1, 0)));

        assertEquals("corrupted tasks [1_0]", StreamThreadFailureHandler.describeTask(corrupted));
    }

    @Test
    void shouldSayWhenNoTaskIsKnown() {
        assertEquals("an unknown task",
            StreamThreadFailureHandler.describeTask(new StreamsException("no task", new IllegalStateException())));
    }
}
