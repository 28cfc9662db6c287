package io.tokenmonitor.processor.validation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenmonitor.processor.config.ProcessorConfig;
import io.tokenmonitor.registry.InMemorySchemaRegistry;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.serde.AvroSerde;
import io.tokenmonitor.topics.DeadLetterHeaders;
import io.tokenmonitor.topics.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deserialization exception handler of the processor's Streams configuration, on a source with a typed
 * value serde. The product's own sources read bytes and never fail to deserialize.
 */
class DeadLetterDeserializationHandlerTest {

    private static final String TYPED_TOPIC = "typed-requests";
    private static final Instant TIME = Instant.parse("2026-03-10T12:00:00Z");

    @TempDir
    Path stateDir;

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final AvroSerde<TokenRequest> serde = new AvroSerde<>(registry, TokenRequest.class);
    private final RejectionCounter rejections = new RejectionCounter();

    @Test
    void shouldDeadLetterBadValuesAndContinue() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(TYPED_TOPIC, Consumed.with(Serdes.String(), serde).withName("typed-source"))
            .mapValues(TokenRequest::getRequestId, Named.as("request-id"))
            .to("request-ids", Produced.with(Serdes.String(), Serdes.String()).withName("request-ids-sink"));
        Properties properties = ProcessorConfig.defaults().withStateDir(stateDir).streamsProperties();
        properties.put(DeadLetterDeserializationHandler.REJECTION_COUNTER_CONFIG, rejections);
        // NOTE: under exactly_once_v2, TopologyTestDriver 4.4.0 drops records that a deserialization exception
        // handler returns (the handler runs, nothing reaches the output topic), so this test runs at_least_once.
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);

        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), properties, TIME)) {
            TestInputTopic<String, byte[]> input = driver.createInputTopic(TYPED_TOPIC, Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
            TestOutputTopic<String, String> ids = driver.createOutputTopic("request-ids",
                Serdes.String().deserializer(), Serdes.String().deserializer());
            TestOutputTopic<byte[], byte[]> deadLetters = driver.createOutputTopic(Topics.TOKEN_REQUESTS_DLQ.name(),
                Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());

            byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
            byte[] valid = serde.serialize(TYPED_TOPIC, TokenRequest.newBuilder().setRequestId("r-1")
                .setUserId("user-1").setTimestamp(TIME).setModel("gpt-4o").build());
            byte[] unknownSchema = valid.clone();
            ByteBuffer.wrap(unknownSchema).putInt(1, 4242);
            byte[] huge = Arrays.copyOf(garbage, DeadLetterSizeLimit.MAX_VALUE_BYTES + 10);
            TestRecord<String, byte[]> withHeader = new TestRecord<>("user-1", garbage, TIME);
            withHeader.headers().add("trace-id", new byte[] {7});

            input.pipeInput(withHeader);
            input.pipeInput("user-1", unknownSchema, TIME);
            input.pipeInput("user-1", huge, TIME);
            input.pipeInput("user-1", valid, TIME);

            assertEquals(List.of("r-1"), ids.readValuesToList(), "processing continues after bad records");
            List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
            assertEquals(3, dead.size());

            TestRecord<byte[], byte[]> first = dead.get(0);
            assertArrayEquals("user-1".getBytes(StandardCharsets.UTF_8), first.key());
            assertArrayEquals(garbage, first.value());
            assertEquals("undecodable", header(first, DeadLetterHeaders.REASON));
            assertEquals(TYPED_TOPIC, header(first, DeadLetterHeaders.SOURCE_TOPIC));
            assertEquals("0", header(first, DeadLetterHeaders.SOURCE_PARTITION));
            assertEquals("0", header(first, DeadLetterHeaders.SOURCE_OFFSET));
            assertTrue(header(first, DeadLetterHeaders.ERROR).contains("Unknown magic byte"),
                header(first, DeadLetterHeaders.ERROR));
            Instant.parse(header(first, DeadLetterHeaders.REJECTED_AT));
            assertEquals("\u0007", header(first, "trace-id"), "original headers are kept");

            assertEquals("unknown-schema", header(dead.get(1), DeadLetterHeaders.REASON));
            assertEquals("1", header(dead.get(1), DeadLetterHeaders.SOURCE_OFFSET));

            TestRecord<byte[], byte[]> third = dead.get(2);
            assertEquals(DeadLetterSizeLimit.MAX_VALUE_BYTES, third.value().length);
            assertEquals(Integer.toString(huge.length), header(third, DeadLetterHeaders.VALUE_TRUNCATED));

            assertEquals(2, rejections.count(RejectionReason.UNDECODABLE));
            assertEquals(1, rejections.count(RejectionReason.UNKNOWN_SCHEMA));
        }
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
