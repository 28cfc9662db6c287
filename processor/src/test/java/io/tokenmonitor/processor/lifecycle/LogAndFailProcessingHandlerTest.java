package io.tokenmonitor.processor.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenmonitor.processor.config.ProcessorConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogAndFailProcessingHandlerTest {

    private static final String INPUT = "lifecycle-input";
    private static final String OUTPUT = "lifecycle-output";

    @TempDir
    Path stateDir;

    @Test
    void shouldBeTheProcessorsConfiguredHandler() {
        Properties properties = ProcessorConfig.defaults().streamsProperties();

        assertEquals(LogAndFailProcessingHandler.class,
            properties.get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG));
    }

    @Test
    void shouldFailTaskWithRecordCoordinates() {
        Properties properties = ProcessorConfig.defaults().withStateDir(stateDir).streamsProperties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "lifecycle-handler-test");

        try (TopologyTestDriver driver = new TopologyTestDriver(failingTopology(), properties)) {
            TestInputTopic<String, String> input = driver.createInputTopic(INPUT, new StringSerializer(),
                new StringSerializer());
            TestOutputTopic<String, String> output = driver.createOutputTopic(OUTPUT, new StringDeserializer(),
                new StringDeserializer());
            Instant time = Instant.parse("2026-03-01T00:00:00Z");
            input.pipeInput("user-1", "fine", time);

            StreamsException failure = assertThrows(StreamsException.class,
                () -> input.pipeInput("user-2", "poison", time.plusSeconds(1)));

            String message = failure.getMessage();
            assertTrue(message.contains("topic=" + INPUT), message);
            assertTrue(message.contains("partition=0"), message);
            assertTrue(message.contains("offset=1"), message);
            assertTrue(message.contains("processor=poison-check"), message);
            assertTrue(message.contains("taskId=0_0"), message);
            assertInstanceOf(IllegalStateException.class, rootCause(failure));
            assertEquals("fine", output.readValue());
            assertTrue(output.isEmpty(), "the failed record produced no output");
        }
    }

    private static Topology failingTopology() {
        Topology topology = new Topology();
        topology.addSource("lifecycle-source", Serdes.String().deserializer(), Serdes.String().deserializer(), INPUT);
        topology.addProcessor("poison-check", PoisonCheck::new, "lifecycle-source");
        topology.addSink("lifecycle-sink", OUTPUT, Serdes.String().serializer(), Serdes.String().serializer(),
            "poison-check");
        return topology;
    }

    private static Throwable rootCause(Throwable exception) {
        Throwable cause = exception;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Forwards every value except "poison", on which it throws. */
    private static final class PoisonCheck implements Processor<String, String, String, String> {

        private ProcessorContext<String, String> context;

        @Override
        public void init(ProcessorContext<String, String> context) {
            this.context = context;
        }

        @Override
        public void process(Record<String, String> record) {
            if (record.value().equals("poison")) {
                throw new IllegalStateException("poison value of " + record.key());
            }
            context.forward(record);
        }
    }

    @Test
    void shouldAnswerFail() {
        ProcessingExceptionHandler.Response response = new LogAndFailProcessingHandler()
            .handleError(new FixedContext(), new Record<>("user-1", "value", 0L), new IllegalStateException("x"));

        assertEquals(ProcessingExceptionHandler.Result.FAIL, response.result());
        assertTrue(response.deadLetterQueueRecords().isEmpty());
    }

    /** An error context at topic t, partition 2, offset 42. */
    private static final class FixedContext implements org.apache.kafka.streams.errors.ErrorHandlerContext {
        @Override
        public String topic() {
            return "t";
        }

        @Override
        public int partition() {
            return 2;
        }

        @Override
        public long offset() {
            return 42;
        }

        @Override
        public org.apache.kafka.common.header.Headers headers() {
            return new org.apache.kafka.common.header.internals.RecordHeaders();
        }

        @Override
        public String processorNodeId() {
            return "node";
        }

        @Override
        public org.apache.kafka.streams.processor.TaskId taskId() {
            return new org.apache.kafka.streams.processor.TaskId(0, 2);
        }

        @Override
        public long timestamp() {
            return 0;
        }

        @Override
        public byte[] sourceRawKey() {
            return null;
        }

        @Override
        public byte[] sourceRawValue() {
            return null;
        }
    }
}
