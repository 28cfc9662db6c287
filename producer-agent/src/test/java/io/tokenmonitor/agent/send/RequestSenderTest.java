package io.tokenmonitor.agent.send;

import static io.tokenmonitor.agent.TestRequests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenmonitor.agent.TestSchemaRegistry;
import io.tokenmonitor.registry.SchemaRegistryException;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.serde.AvroSerde;
import io.tokenmonitor.topics.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

class RequestSenderTest {

    private final TestSchemaRegistry registry = new TestSchemaRegistry();
    private final StringWriter err = new StringWriter();

    @Test
    void shouldKeyRecordsByUserId() {
        MockProducer<String, TokenRequest> producer = producer(true);
        try (RequestSender sender = new RequestSender(producer, new PrintWriter(err))) {
            sender.send(request("r-1", "alice").build());
            sender.send(request("r-2", "bob").build());
            sender.flush();

            assertEquals(2, producer.history().size());
            ProducerRecord<String, TokenRequest> first = producer.history().get(0);
            assertEquals(Topics.TOKEN_REQUESTS.name(), first.topic());
            assertEquals("alice", first.key());
            assertEquals("r-1", first.value().getRequestId());
            assertEquals("bob", producer.history().get(1).key());
            assertEquals(2, sender.acknowledged());
            assertEquals(0, sender.failed());
        }
    }

    @Test
    void shouldCountCallbackFailures() {
        MockProducer<String, TokenRequest> producer = producer(false);
        RequestSender sender = new RequestSender(producer, new PrintWriter(err));

        sender.send(request("r-1", "alice").build());
        sender.send(request("r-2", "alice").build());
        sender.send(request("r-3", "alice").build());
        producer.completeNext();
        producer.errorNext(new RecordTooLargeException("too large"));
        producer.completeNext();

        assertEquals(3, sender.attempted());
        assertEquals(2, sender.acknowledged());
        assertEquals(1, sender.failed());
        assertNull(sender.fatalFailure(), "a record-level failure does not stop the run");
        assertTrue(err.toString().contains("r-2"), err.toString());
    }

    @Test
    void shouldMarkTimeoutAsFatal() {
        MockProducer<String, TokenRequest> producer = producer(false);
        RequestSender sender = new RequestSender(producer, new PrintWriter(err));

        sender.send(request("r-1", "alice").build());
        producer.errorNext(new TimeoutException("metadata not available"));

        assertEquals(1, sender.failed());
        assertInstanceOf(TimeoutException.class, sender.fatalFailure());
    }

    @Test
    void shouldCountSynchronousFailure() {
        Serializer<TokenRequest> unreachableRegistry = (topic, value) -> {
            throw new SchemaRegistryException("registry unreachable", 0);
        };
        MockProducer<String, TokenRequest> producer =
            new MockProducer<>(true, null, Topics.TOKEN_REQUESTS.keySerde().serializer(), unreachableRegistry);
        RequestSender sender = new RequestSender(producer, new PrintWriter(err));

        SendFailedException error = assertThrows(SendFailedException.class,
            () -> sender.send(request("r-1", "alice").build()));

        assertTrue(error.getMessage().contains("registry unreachable"), error.getMessage());
        assertEquals(1, sender.failed());
        assertInstanceOf(SchemaRegistryException.class, sender.fatalFailure());
    }

    @Test
    void shouldStopPrintingAfterTenFailures() {
        MockProducer<String, TokenRequest> producer = producer(false);
        RequestSender sender = new RequestSender(producer, new PrintWriter(err));

        for (int i = 0; i < 15; i++) {
            sender.send(request("r-" + i, "alice").build());
            producer.errorNext(new RecordTooLargeException("too large"));
        }

        assertEquals(15, sender.failed());
        long printedFailures = err.toString().lines().filter(line -> line.startsWith("Failed to send")).count();
        assertEquals(RequestSender.MAX_PRINTED_FAILURES, printedFailures);
        assertTrue(err.toString().contains("Further send failures are counted but not printed."));
    }

    @Test
    void shouldConfigureIdempotentProducer() {
        Properties properties = RequestSender.producerProperties("127.0.0.1:9092");

        assertEquals("127.0.0.1:9092", properties.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
        assertEquals("true", properties.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
        assertEquals("all", properties.get(ProducerConfig.ACKS_CONFIG));
    }

    @Test
    void shouldBuildKafkaProducerFromProperties() throws IOException {
        // A local socket of this test is the bootstrap address, so the producer contacts nothing else.
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Properties properties = RequestSender.producerProperties("127.0.0.1:" + socket.getLocalPort());

            KafkaProducer<String, TokenRequest> producer = new KafkaProducer<>(properties,
                Topics.TOKEN_REQUESTS.keySerde().serializer(), Topics.TOKEN_REQUESTS.valueSerde(registry).serializer());
            producer.close(Duration.ZERO);
        }
    }

    @Test
    void shouldSerializeBlankUserIdForDeadLettering() {
        MockProducer<String, TokenRequest> producer = producer(true);
        RequestSender sender = new RequestSender(producer, new PrintWriter(err));

        sender.send(request("r-1", "").build());

        assertEquals(1, sender.acknowledged());
        assertEquals("", producer.history().get(0).key());
    }

    private MockProducer<String, TokenRequest> producer(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, Topics.TOKEN_REQUESTS.keySerde().serializer(),
            new AvroSerde<>(registry, TokenRequest.class).serializer());
    }
}
