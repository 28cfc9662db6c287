package io.tokenmonitor.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenmonitor.processor.TokenMonitorProcessor;
import io.tokenmonitor.processor.config.ApiTokens;
import io.tokenmonitor.processor.config.ProcessorConfig;
import io.tokenmonitor.registry.RestSchemaRegistryClient;
import io.tokenmonitor.registry.SchemaRegistryException;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.serde.AvroSerde;
import io.tokenmonitor.stack.kafka.EmbeddedKafkaBroker;
import io.tokenmonitor.stack.kafka.TopicSetup;
import io.tokenmonitor.stack.registry.SchemaRegistryServer;
import io.tokenmonitor.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stops the Schema Registry while the processor runs on a real in-process broker, and checks that records of
 * schemas the processor has seen before are still counted. The processor's client and the producer's serde
 * serve those schemas and ids from their caches.
 */
@Timeout(120)
class RegistryOutageTest {

    private static final String ADMIN_TOKEN = ApiTokens.generate();
    private static final String USER = "outage-user";
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** A short budget, so that a registry call that the processor should not make fails the test quickly. */
    private static final Duration RETRY_BUDGET = Duration.ofSeconds(2);

    @TempDir
    Path stateDir;

    private EmbeddedKafkaBroker broker;
    private SchemaRegistryServer registryServer;
    private TokenMonitorProcessor processor;

    @AfterEach
    void stopStack() {
        if (processor != null) {
            processor.close();
        }
        if (registryServer != null) {
            registryServer.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldCountKnownSchemasAfterRegistryStops() throws Exception {
        broker = EmbeddedKafkaBroker.builder().port(0).defaultPartitions(1).build().start();
        TopicSetup.createProductTopics(broker.bootstrapServers(), 1, (short) 1, Duration.ofSeconds(30));
        registryServer = new SchemaRegistryServer(0).start();
        String registryUrl = registryServer.url();
        RestSchemaRegistryClient processorRegistry = shortBudgetClient(registryUrl);
        ProcessorConfig config = ProcessorConfig.defaults()
            .withApplicationId("registry-outage-test")
            .withBootstrapServers(broker.bootstrapServers())
            .withSchemaRegistryUrl(registryUrl)
            .withStateDir(stateDir)
            .withHttpPort(0);
        processor = TokenMonitorProcessor.start(config, processorRegistry, ApiTokens.of(ADMIN_TOKEN, Map.of()));
        processor.awaitRunning(WAIT);
        ProcessorApi api = new ProcessorApi(processor.httpPort(), ADMIN_TOKEN);
        AvroSerde<TokenRequest> requestSerde = new AvroSerde<>(shortBudgetClient(registryUrl), TokenRequest.class);
        String usagePath = "/api/v1/users/" + USER + "/usage?period="
            + YearMonth.from(Instant.now().atOffset(ZoneOffset.UTC));

        try (KafkaProducer<String, byte[]> producer = rawProducer()) {
            sendRequests(producer, requestSerde, "before", 3);
            JsonNode before = api.awaitJson(usagePath, body -> body.get("requests").asLong() >= 3, WAIT);
            assertEquals(3, before.get("requests").asLong());

            registryServer.close();
            RestSchemaRegistryClient uncached = new RestSchemaRegistryClient(registryUrl, Duration.ofSeconds(1),
                Duration.ZERO, Duration.ofMillis(10), Duration.ofMillis(10));
            assertThrows(SchemaRegistryException.class, () -> uncached.schemaById(1), "the registry is down");

            sendRequests(producer, requestSerde, "after", 3);
            JsonNode after = api.awaitJson(usagePath, body -> body.get("requests").asLong() >= 6, WAIT);

            assertEquals(6, after.get("requests").asLong());
            assertEquals(6 * 15, after.get("totalTokens").asLong());
        }
    }

    /** Sends {@code count} requests of 10 prompt and 5 completion tokens each, with ids from a prefix. */
    private static void sendRequests(KafkaProducer<String, byte[]> producer, AvroSerde<TokenRequest> serde,
                                     String idPrefix, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            TokenRequest request = TokenRequest.newBuilder()
                .setRequestId(idPrefix + "-" + i)
                .setUserId(USER)
                .setTimestamp(Instant.now())
                .setModel("gpt-4o")
                .setReportedPromptTokens(10L)
                .setReportedCompletionTokens(5L)
                .build();
            byte[] value = serde.serialize(Topics.TOKEN_REQUESTS.name(), request);
            producer.send(new ProducerRecord<>(Topics.TOKEN_REQUESTS.name(), USER, value)).get();
        }
    }

    private static RestSchemaRegistryClient shortBudgetClient(String url) {
        return new RestSchemaRegistryClient(url, Duration.ofSeconds(2), RETRY_BUDGET, Duration.ofMillis(50),
            Duration.ofMillis(500));
    }

    private KafkaProducer<String, byte[]> rawProducer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }
}
