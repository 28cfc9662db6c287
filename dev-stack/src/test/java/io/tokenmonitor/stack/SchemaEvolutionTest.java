package io.tokenmonitor.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenmonitor.processor.TokenMonitorProcessor;
import io.tokenmonitor.processor.config.ApiTokens;
import io.tokenmonitor.processor.config.ProcessorConfig;
import io.tokenmonitor.registry.RestSchemaRegistryClient;
import io.tokenmonitor.registry.SchemaRegistryClient;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.serde.AvroSerde;
import io.tokenmonitor.stack.kafka.EmbeddedKafkaBroker;
import io.tokenmonitor.stack.kafka.TopicSetup;
import io.tokenmonitor.stack.registry.SchemaRegistryServer;
import io.tokenmonitor.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema evolution on a real in-process broker and the embedded registry. The first version of
 * {@code TokenRequest} and {@code TokenUsage} is the current schema without {@code clientVersion}, and it is
 * registered before the processor starts, as a deployment of the previous release would have left it. Events
 * written with either version of {@code TokenRequest} are counted in one run, and a consumer that reads
 * {@code token-usage} with the first version still decodes every output record.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class SchemaEvolutionTest {

    private static final String ADMIN_TOKEN = ApiTokens.generate();
    private static final String USER = "evolution-user";
    private static final String ADDED_FIELD = "clientVersion";
    private static final String CLIENT_VERSION = "token-monitor-agent/2.0.0";
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static final Schema OLD_REQUEST_SCHEMA = withoutField(TokenRequest.getClassSchema(), ADDED_FIELD);
    private static final Schema OLD_USAGE_SCHEMA = withoutField(TokenUsage.getClassSchema(), ADDED_FIELD);

    @TempDir
    static Path stateDir;

    private EmbeddedKafkaBroker broker;
    private SchemaRegistryServer registryServer;
    private SchemaRegistryClient registry;
    private TokenMonitorProcessor processor;
    private ProcessorApi api;
    private int oldRequestSchemaId;
    private int newRequestSchemaId = -1;
    private String period;

    /** One request sent in the test, with the tokens its provider reported and the schema version it uses. */
    private record SentRequest(String requestId, long promptTokens, long completionTokens, boolean newSchema) {
    }

    private static final List<SentRequest> SENT = List.of(
        new SentRequest("old-1", 120, 30, false),
        new SentRequest("old-2", 75, 5, false),
        new SentRequest("new-1", 64, 16, true),
        new SentRequest("old-3", 900, 410, false),
        new SentRequest("new-2", 333, 111, true));

    @BeforeAll
    void startStack() throws Exception {
        broker = EmbeddedKafkaBroker.builder().port(0).defaultPartitions(3).build().start();
        TopicSetup.createProductTopics(broker.bootstrapServers(), 3, (short) 1, Duration.ofSeconds(30));
        registryServer = SchemaRegistryServer.withKafkaStore("127.0.0.1", 0, broker.bootstrapServers(), (short) 1,
            Duration.ofSeconds(30)).start();
        registry = new RestSchemaRegistryClient(registryServer.url());

        oldRequestSchemaId = registry.register(AvroSerde.valueSubject(Topics.TOKEN_REQUESTS.name()),
            OLD_REQUEST_SCHEMA);
        registry.register(AvroSerde.valueSubject(Topics.TOKEN_USAGE.name()), OLD_USAGE_SCHEMA);

        ProcessorConfig config = ProcessorConfig.defaults()
            .withApplicationId("schema-evolution-test")
            .withBootstrapServers(broker.bootstrapServers())
            .withSchemaRegistryUrl(registryServer.url())
            .withStateDir(stateDir)
            .withHttpPort(0);
        processor = TokenMonitorProcessor.start(config, registry, ApiTokens.of(ADMIN_TOKEN, Map.of()));
        processor.awaitRunning(WAIT);
        api = new ProcessorApi(processor.httpPort(), ADMIN_TOKEN);

        sendRequests();
    }

    @AfterAll
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

    /** Sends {@link #SENT}, each request in the schema version it names, with consecutive event times. */
    private void sendRequests() throws Exception {
        Instant base = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        period = YearMonth.from(base.atOffset(ZoneOffset.UTC)).toString();

        AvroSerde<TokenRequest> newSerde = new AvroSerde<>(registry, TokenRequest.class);
        try (KafkaProducer<String, byte[]> producer = rawProducer()) {
            for (int i = 0; i < SENT.size(); i++) {
                SentRequest request = SENT.get(i);
                Instant timestamp = base.plusMillis(i);
                byte[] value;
                if (request.newSchema()) {
                    value = newSerde.serialize(Topics.TOKEN_REQUESTS.name(), newRequest(request, timestamp));
                    newRequestSchemaId = ByteBuffer.wrap(value, 1, 4).getInt();
                } else {
                    value = encodeWithOldSchema(request, timestamp);
                }
                producer.send(new ProducerRecord<>(Topics.TOKEN_REQUESTS.name(), USER, value)).get();
            }
        }
    }

    @Test
    void shouldRegisterNewRequestVersion() {
        assertNotEquals(-1, newRequestSchemaId, "a request was sent with the new schema");
        assertNotEquals(oldRequestSchemaId, newRequestSchemaId);
    }

    @Test
    void shouldCountBothRequestVersions() throws Exception {
        long expectedPrompt = SENT.stream().mapToLong(SentRequest::promptTokens).sum();
        long expectedCompletion = SENT.stream().mapToLong(SentRequest::completionTokens).sum();

        JsonNode usage = api.awaitJson("/api/v1/users/" + USER + "/usage?period=" + period,
            body -> body.get("requests").asLong() >= SENT.size(), WAIT);

        assertEquals(SENT.size(), usage.get("requests").asLong());
        assertEquals(expectedPrompt, usage.get("promptTokens").asLong());
        assertEquals(expectedCompletion, usage.get("completionTokens").asLong());
        assertEquals(expectedPrompt + expectedCompletion, usage.get("totalTokens").asLong());
    }

    @Test
    void shouldDecodeNewUsageWithOldSchema() {
        Map<String, GenericRecord> usageByRequestId = readUsage(new ResolvingDeserializer(registry, OLD_USAGE_SCHEMA));

        for (SentRequest request : SENT) {
            GenericRecord usage = usageByRequestId.get(request.requestId());
            assertNotNull(usage, "the old-schema consumer read " + request.requestId());
            assertNull(usage.getSchema().getField(ADDED_FIELD), "the old reader schema has no " + ADDED_FIELD);
            assertEquals(request.promptTokens() + request.completionTokens(), usage.get("totalTokens"),
                "totalTokens of " + request.requestId() + " as the old-schema consumer reads it");
        }
    }

    @Test
    void shouldCopyClientVersionToUsage() {
        Map<String, GenericRecord> usageByRequestId = readUsage(new ResolvingDeserializer(registry, null));

        for (SentRequest request : SENT) {
            GenericRecord usage = usageByRequestId.get(request.requestId());
            assertNotNull(usage, "the new-schema consumer read " + request.requestId());
            Object clientVersion = usage.get(ADDED_FIELD);
            if (request.newSchema()) {
                assertEquals(CLIENT_VERSION, String.valueOf(clientVersion),
                    "clientVersion copied from " + request.requestId());
            } else {
                assertNull(clientVersion, "clientVersion of the old-version request " + request.requestId());
            }
        }
    }

    /** Returns {@code schema} without one field, as the previous version of the schema had it. */
    private static Schema withoutField(Schema schema, String fieldName) {
        assertNotNull(schema.getField(fieldName), schema.getName() + " has the field " + fieldName);
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : schema.getFields()) {
            if (!field.name().equals(fieldName)) {
                fields.add(new Schema.Field(field, field.schema()));
            }
        }
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    private static TokenRequest newRequest(SentRequest request, Instant timestamp) {
        return TokenRequest.newBuilder()
            .setRequestId(request.requestId())
            .setUserId(USER)
            .setTimestamp(timestamp)
            .setModel("gpt-4o")
            .setReportedPromptTokens(request.promptTokens())
            .setReportedCompletionTokens(request.completionTokens())
            .setClientVersion(CLIENT_VERSION)
            .build();
    }

    /** Encodes a request as a producer built on the first schema version does, in the Confluent wire format. */
    private byte[] encodeWithOldSchema(SentRequest request, Instant timestamp) {
        GenericRecord record = new GenericData.Record(OLD_REQUEST_SCHEMA);
        record.put("requestId", request.requestId());
        record.put("userId", USER);
        record.put("timestamp", timestamp.toEpochMilli());
        record.put("model", "gpt-4o");
        record.put("provider", "auto");
        record.put("reportedPromptTokens", request.promptTokens());
        record.put("reportedCompletionTokens", request.completionTokens());
        record.put("imported", false);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(AvroSerde.MAGIC_BYTE);
        out.writeBytes(ByteBuffer.allocate(4).putInt(oldRequestSchemaId).array());
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(OLD_REQUEST_SCHEMA).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Reads {@code token-usage} until a record of each sent request arrived, and returns them by requestId. */
    private Map<String, GenericRecord> readUsage(Deserializer<GenericRecord> deserializer) {
        try (TopicReader<GenericRecord> reader =
                 new TopicReader<>(broker.bootstrapServers(), Topics.TOKEN_USAGE.name(), deserializer)) {
            List<ConsumerRecord<String, GenericRecord>> records = reader.readUntil(
                read -> read.stream().filter(SchemaEvolutionTest::isTestUser).count() >= SENT.size(), WAIT);
            Map<String, GenericRecord> byRequestId = new HashMap<>();
            for (ConsumerRecord<String, GenericRecord> record : records) {
                if (isTestUser(record)) {
                    byRequestId.put(record.value().get("requestId").toString(), record.value());
                }
            }
            return byRequestId;
        }
    }

    private static boolean isTestUser(ConsumerRecord<String, GenericRecord> record) {
        return USER.equals(record.value().get("userId").toString());
    }

    /**
     * Decodes wire-format values as a generic Avro consumer does: with the writer schema fetched by id, resolved
     * to a fixed reader schema, or read as written when the reader schema is null.
     */
    private static final class ResolvingDeserializer implements Deserializer<GenericRecord> {

        private final SchemaRegistryClient registry;
        private final Schema readerSchema;

        ResolvingDeserializer(SchemaRegistryClient registry, Schema readerSchema) {
            this.registry = registry;
            this.readerSchema = readerSchema;
        }

        @Override
        public GenericRecord deserialize(String topic, byte[] bytes) {
            assertEquals(AvroSerde.MAGIC_BYTE, bytes[0], "magic byte of a " + topic + " value");
            Schema writerSchema = registry.schemaById(ByteBuffer.wrap(bytes, 1, 4).getInt());
            Schema reader = readerSchema == null ? writerSchema : readerSchema;
            BinaryDecoder decoder = DecoderFactory.get()
                .binaryDecoder(bytes, AvroSerde.HEADER_SIZE, bytes.length - AvroSerde.HEADER_SIZE, null);
            try {
                return new GenericDatumReader<GenericRecord>(writerSchema, reader).read(null, decoder);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private KafkaProducer<String, byte[]> rawProducer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }


}
