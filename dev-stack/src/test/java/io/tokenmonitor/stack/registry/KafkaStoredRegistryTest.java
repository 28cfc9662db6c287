package io.tokenmonitor.stack.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenmonitor.registry.CompatibilityLevel;
import io.tokenmonitor.registry.InMemorySchemaRegistry;
import io.tokenmonitor.registry.RestSchemaRegistryClient;
import io.tokenmonitor.registry.SubjectVersion;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.serde.AvroSerde;
import io.tokenmonitor.stack.kafka.EmbeddedKafkaBroker;
import io.tokenmonitor.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks that a {@link SchemaRegistryServer} made by {@code withKafkaStore} keeps its ids, versions,
 * soft deletes and levels in the topic {@code _schemas} across restarts of the server and of the broker,
 * each test on its own in-process broker. {@link #shouldKeepEveryIdThroughLifecycleAndRestart} runs the
 * whole registry lifecycle over HTTP: register, fetch, an incompatible and a compatible change, deletes
 * and a restart.
 */
@Timeout(120)
class KafkaStoredRegistryTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String CONFLUENT_JSON = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String USER_V1 = """
        {"type":"record","name":"User","namespace":"test","fields":[{"name":"id","type":"string"}]}""";
    private static final String USER_V2 = """
        {"type":"record","name":"User","namespace":"test","fields":[{"name":"id","type":"string"},\
        {"name":"plan","type":"string","default":"free"}]}""";
    private static final String ACCOUNT = """
        {"type":"record","name":"Account","namespace":"test","fields":[{"name":"number","type":"long"}]}""";
    private static final String NAME = "\"string\"";
    /** USER_V1 plus a field without a default, which cannot read USER_V1 data: not backward compatible. */
    private static final String REQUIRED_AGE = """
        {"type":"record","name":"User","namespace":"test","fields":[{"name":"id","type":"string"},\
        {"name":"age","type":"int"}]}""";

    @TempDir
    Path dataDirectory;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> started = new ArrayList<>();
    private EmbeddedKafkaBroker broker;

    @BeforeEach
    void startBroker() {
        broker = startBrokerOnDataDirectory();
    }

    @AfterEach
    void closeEverythingStarted() throws Exception {
        for (int index = started.size() - 1; index >= 0; index--) {
            started.get(index).close();
        }
    }

    @Test
    void shouldKeepEveryIdThroughLifecycleAndRestart() throws Exception {
        SchemaRegistryServer first = startRegistry(TIMEOUT);
        int userV1Id = register(first, "users-value", USER_V1);

        HttpResponse<String> byId = get(first, "/schemas/ids/" + userV1Id);
        HttpResponse<String> byVersion = get(first, "/subjects/users-value/versions/1");
        assertEquals(200, byId.statusCode(), byId.body());
        assertEquals(USER_V1, JSON.readTree(byId.body()).get("schema").asText());
        assertEquals(200, byVersion.statusCode(), byVersion.body());
        assertEquals(userV1Id, JSON.readTree(byVersion.body()).get("id").asInt());

        HttpResponse<String> incompatible = post(first, "/subjects/users-value/versions", schemaBody(REQUIRED_AGE));
        assertEquals(409, incompatible.statusCode(), incompatible.body());
        JsonNode error = JSON.readTree(incompatible.body());
        assertEquals(409, error.get("error_code").asInt());
        assertTrue(error.get("message").asText().startsWith(
            "Schema being registered is incompatible with an earlier schema for subject \"users-value\""),
            error.toString());

        int userV2Id = register(first, "users-value", USER_V2);
        int accountId = register(first, "accounts-value", ACCOUNT);
        int nameId = register(first, "names-value", NAME);
        assertEquals(List.of(1, 2), first.registry().versions("users-value"));

        assertEquals("1", delete(first, "/subjects/users-value/versions/1").body());
        assertEquals("[1]", delete(first, "/subjects/accounts-value").body());
        assertEquals("[1]", delete(first, "/subjects/names-value").body());
        assertEquals("[1]", delete(first, "/subjects/names-value?permanent=true").body());
        first.close();

        SchemaRegistryServer second = startRegistry(TIMEOUT);

        for (Map.Entry<Integer, String> idAndSchema : Map.of(userV1Id, USER_V1, userV2Id, USER_V2,
                accountId, ACCOUNT).entrySet()) {
            HttpResponse<String> restored = get(second, "/schemas/ids/" + idAndSchema.getKey());
            assertEquals(200, restored.statusCode(), "schema id " + idAndSchema.getKey() + ": " + restored.body());
            assertEquals(idAndSchema.getValue(), JSON.readTree(restored.body()).get("schema").asText());
        }
        assertEquals(404, get(second, "/schemas/ids/" + nameId).statusCode(), "permanently deleted");
        assertEquals("[\"users-value\"]", get(second, "/subjects").body());
        assertEquals("[\"accounts-value\",\"users-value\"]", get(second, "/subjects?deleted=true").body());
        assertEquals("[2]", get(second, "/subjects/users-value/versions").body());
        assertEquals("[1,2]", get(second, "/subjects/users-value/versions?deleted=true").body());
        assertEquals(404, get(second, "/subjects/accounts-value/versions").statusCode());

        // A soft-deleted subject takes its schema again under the old id, and new schemas get ids above
        // every stored id. The topic keeps no trace of a permanently deleted schema, so its id may return.
        assertEquals(accountId, register(second, "accounts-value", ACCOUNT));
        assertEquals("[2]", get(second, "/subjects/accounts-value/versions").body());
        int newId = register(second, "others-value", "\"long\"");
        assertTrue(newId > accountId, "new id " + newId + " must be above every stored id");
    }

    @Test
    void shouldStoreDeletesAsConfluentRecords() throws Exception {
        SchemaRegistryServer server = startRegistry(TIMEOUT);
        int id = register(server, "users-value", USER_V1);
        delete(server, "/subjects/users-value");
        delete(server, "/subjects/users-value?permanent=true");

        List<ConsumerRecord<String, String>> records = readSchemasTopic(3);

        assertEquals(3, records.size());
        String key = "{\"keytype\":\"SCHEMA\",\"subject\":\"users-value\",\"version\":1,\"magic\":1}";
        assertJsonEquals(key, records.get(1).key());
        assertJsonEquals("{\"subject\":\"users-value\",\"version\":1,\"id\":" + id + ",\"schema\":"
            + JSON.writeValueAsString(USER_V1) + ",\"deleted\":true}", records.get(1).value());
        assertJsonEquals(key, records.get(2).key());
        assertNull(records.get(2).value());
    }

    @Test
    void shouldRestoreSoftDeletedVersionsFromTopic() throws Exception {
        // Records as an earlier release of this registry wrote them (always "deleted": false), one without
        // the field, and a soft delete as the Confluent registry writes it.
        String userKey = "{\"keytype\":\"SCHEMA\",\"subject\":\"users-value\",\"version\":1,\"magic\":1}";
        String withoutDeleted = JSON.createObjectNode().put("subject", "accounts-value").put("version", 1)
            .put("id", 4).put("schema", ACCOUNT).toString();
        writeToSchemasTopic(List.of(
            new KeyValue(userKey, versionValue("users-value", 1, 3, USER_V1)),
            new KeyValue("{\"keytype\":\"SCHEMA\",\"subject\":\"accounts-value\",\"version\":1,\"magic\":1}",
                withoutDeleted),
            new KeyValue(userKey, versionValue("users-value", 1, 3, USER_V1).replace("\"deleted\":false",
                "\"deleted\":true"))));

        SchemaRegistryServer server = startRegistry(TIMEOUT);

        assertEquals(List.of("accounts-value"), server.registry().subjects());
        assertEquals(List.of(1), server.registry().versions("users-value", true));
        assertEquals(4, server.registry().version("accounts-value", 1).id());
        assertEquals(200, get(server, "/schemas/ids/3").statusCode());
    }

    @Test
    void shouldKeepIdsAndLevelsAfterServerRestart() throws Exception {
        SchemaRegistryServer first = startRegistry(TIMEOUT);
        register(first, "users-value", USER_V1);
        register(first, "users-value", USER_V2);
        register(first, "accounts-value", ACCOUNT);
        register(first, "names-value", NAME);
        register(first, "copies-value", USER_V2);
        assertEquals(200, put(first, "/config", "{\"compatibility\":\"FULL\"}").statusCode());
        assertEquals(200, put(first, "/config/users-value", "{\"compatibility\":\"NONE\"}").statusCode());
        assertEquals(200, put(first, "/config/accounts-value", "{\"compatibility\":\"FORWARD\"}").statusCode());
        assertEquals(200, delete(first, "/config/accounts-value").statusCode());
        Map<String, List<SubjectVersion>> before = versionsBySubject(first.registry());
        first.close();

        SchemaRegistryServer second = startRegistry(TIMEOUT);
        InMemorySchemaRegistry restored = second.registry();

        assertEquals(before, versionsBySubject(restored));
        assertEquals(List.of("accounts-value", "copies-value", "names-value", "users-value"), restored.subjects());
        assertEquals(restored.version("users-value", 2).id(), restored.version("copies-value", 1).id());
        assertEquals(CompatibilityLevel.FULL, restored.globalCompatibility());
        assertEquals(Optional.of(CompatibilityLevel.NONE), restored.subjectCompatibility("users-value"));
        assertEquals(Optional.empty(), restored.subjectCompatibility("accounts-value"));

        int accountId = before.get("accounts-value").get(0).id();
        HttpResponse<String> byId = get(second, "/schemas/ids/" + accountId);
        assertEquals(200, byId.statusCode(), byId.body());
        assertEquals(ACCOUNT, JSON.readTree(byId.body()).get("schema").asText());
    }

    @Test
    void shouldKeepIdsAfterBrokerRestart() throws Exception {
        SchemaRegistryServer first = startRegistry(TIMEOUT);
        register(first, "users-value", USER_V1);
        register(first, "accounts-value", ACCOUNT);
        register(first, "users-value", USER_V2);
        TokenRequest request = TokenRequest.newBuilder()
            .setRequestId("request-1")
            .setUserId("user-1")
            .setTimestamp(Instant.ofEpochMilli(1_700_000_000_000L))
            .setModel("gpt-4o")
            .setReportedPromptTokens(12L)
            .build();
        String topic = Topics.TOKEN_REQUESTS.name();
        byte[] serialized = new AvroSerde<>(new RestSchemaRegistryClient(first.url()), TokenRequest.class)
            .serialize(topic, request);
        Map<String, List<SubjectVersion>> before = versionsBySubject(first.registry());
        first.close();
        broker.close();

        broker = startBrokerOnDataDirectory();
        SchemaRegistryServer second = startRegistry(TIMEOUT);
        AvroSerde<TokenRequest> serdeAfterRestart =
            new AvroSerde<>(new RestSchemaRegistryClient(second.url()), TokenRequest.class);

        assertEquals(before, versionsBySubject(second.registry()));
        assertEquals(request, serdeAfterRestart.deserialize(topic, serialized));

        int maxOldId = 0;
        for (List<SubjectVersion> versions : before.values()) {
            for (SubjectVersion version : versions) {
                maxOldId = Math.max(maxOldId, version.id());
            }
        }
        int newId = register(second, "names-value", NAME);
        assertTrue(newId > maxOldId, "new id " + newId + " should be above every old id, the max being " + maxOldId);
    }

    @Test
    void shouldStoreConfluentShapedRecords() throws Exception {
        SchemaRegistryServer server = startRegistry(TIMEOUT);
        int id = register(server, "users-value", USER_V1);
        put(server, "/config", "{\"compatibility\":\"FULL\"}");
        put(server, "/config/users-value", "{\"compatibility\":\"NONE\"}");
        delete(server, "/config/users-value");

        List<ConsumerRecord<String, String>> records = readSchemasTopic(4);

        assertEquals(4, records.size());
        assertJsonEquals("{\"keytype\":\"SCHEMA\",\"subject\":\"users-value\",\"version\":1,\"magic\":1}",
            records.get(0).key());
        assertJsonEquals("{\"subject\":\"users-value\",\"version\":1,\"id\":" + id + ",\"schema\":"
            + JSON.writeValueAsString(USER_V1) + ",\"deleted\":false}", records.get(0).value());
        assertJsonEquals("{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}", records.get(1).key());
        assertJsonEquals("{\"compatibilityLevel\":\"FULL\"}", records.get(1).value());
        assertJsonEquals("{\"keytype\":\"CONFIG\",\"subject\":\"users-value\",\"magic\":0}", records.get(2).key());
        assertJsonEquals("{\"compatibilityLevel\":\"NONE\"}", records.get(2).value());
        assertEquals(records.get(2).key(), records.get(3).key(), "a tombstone needs the same key bytes");
        assertNull(records.get(3).value());
    }

    @Test
    void shouldCreateCompactedTopicWithOnePartition() throws Exception {
        startRegistry(TIMEOUT);

        try (Admin admin = admin()) {
            TopicDescription description = admin.describeTopics(Set.of(SchemaRegistryServer.SCHEMAS_TOPIC))
                .allTopicNames().get(30, TimeUnit.SECONDS).get(SchemaRegistryServer.SCHEMAS_TOPIC);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, SchemaRegistryServer.SCHEMAS_TOPIC);
            String cleanupPolicy = admin.describeConfigs(Set.of(resource)).all().get(30, TimeUnit.SECONDS)
                .get(resource).get(TopicConfig.CLEANUP_POLICY_CONFIG).value();

            assertEquals(1, description.partitions().size());
            assertEquals(TopicConfig.CLEANUP_POLICY_COMPACT, cleanupPolicy);
        }
    }

    @Test
    void shouldRejectExistingTopicWithoutCompaction() throws Exception {
        try (Admin admin = admin()) {
            NewTopic deleting = new NewTopic(SchemaRegistryServer.SCHEMAS_TOPIC, 1, (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE));
            admin.createTopics(List.of(deleting)).all().get(30, TimeUnit.SECONDS);
        }

        IllegalStateException error = assertThrows(IllegalStateException.class, () -> startRegistry(TIMEOUT));

        assertTrue(error.getMessage().contains("cleanup.policy=delete"), error.getMessage());
    }

    @Test
    void shouldFailWith50001WhenTopicWriteFails() throws Exception {
        SchemaRegistryServer server = startRegistry(Duration.ofSeconds(3));
        register(server, "users-value", USER_V1);
        broker.close();

        HttpResponse<String> registration = post(server, "/subjects/accounts-value/versions", schemaBody(ACCOUNT));
        HttpResponse<String> levelChange = put(server, "/config", "{\"compatibility\":\"NONE\"}");

        assertEquals(500, registration.statusCode(), registration.body());
        assertEquals(50001, JSON.readTree(registration.body()).get("error_code").asInt());
        assertTrue(registration.body().contains("_schemas"), registration.body());
        assertEquals(List.of("users-value"), server.registry().subjects());
        assertEquals(500, levelChange.statusCode(), levelChange.body());
        assertEquals(CompatibilityLevel.BACKWARD, server.registry().globalCompatibility());
    }

    @Test
    void shouldRestoreLatestRecordOfEachKey() throws Exception {
        String userKey = "{\"keytype\":\"SCHEMA\",\"subject\":\"users-value\",\"version\":1,\"magic\":1}";
        String levelKey = "{\"keytype\":\"CONFIG\",\"subject\":\"users-value\",\"magic\":0}";
        writeToSchemasTopic(List.of(
            new KeyValue(userKey, versionValue("users-value", 1, 5, USER_V1)),
            new KeyValue("{\"keytype\":\"NOOP\",\"magic\":0}", null),
            new KeyValue(userKey, versionValue("users-value", 1, 8, USER_V1)),
            new KeyValue(levelKey, "{\"compatibilityLevel\":\"FULL\"}"),
            new KeyValue(levelKey, null)));

        SchemaRegistryServer server = startRegistry(TIMEOUT);

        assertEquals(8, server.registry().version("users-value", 1).id());
        assertEquals(List.of(1), server.registry().versions("users-value"));
        assertEquals(Optional.empty(), server.registry().subjectCompatibility("users-value"));
        assertEquals(9, register(server, "names-value", NAME));
    }

    @Test
    void shouldRejectTopicWithInvalidRecord() throws Exception {
        writeToSchemasTopic(List.of(
            new KeyValue("{\"keytype\":\"SCHEMA\",\"subject\":\"users-value\",\"version\":1,\"magic\":1}",
                "not json")));

        IllegalStateException error = assertThrows(IllegalStateException.class, () -> startRegistry(TIMEOUT));

        assertTrue(error.getMessage().contains("offset 0"), error.getMessage());
    }

    private EmbeddedKafkaBroker startBrokerOnDataDirectory() {
        EmbeddedKafkaBroker started = EmbeddedKafkaBroker.builder().port(0).dataDirectory(dataDirectory).build()
            .start();
        this.started.add(started);
        return started;
    }

    private SchemaRegistryServer startRegistry(Duration timeout) {
        SchemaRegistryServer server = SchemaRegistryServer.withKafkaStore("127.0.0.1", 0, broker.bootstrapServers(),
            (short) 1, timeout);
        started.add(server);
        return server.start();
    }

    private static Map<String, List<SubjectVersion>> versionsBySubject(InMemorySchemaRegistry registry) {
        Map<String, List<SubjectVersion>> versions = new LinkedHashMap<>();
        for (String subject : registry.subjects()) {
            List<SubjectVersion> subjectVersions = new ArrayList<>();
            for (int version : registry.versions(subject)) {
                subjectVersions.add(registry.version(subject, version));
            }
            versions.put(subject, subjectVersions);
        }
        return versions;
    }

    private int register(SchemaRegistryServer server, String subject, String schema) throws Exception {
        HttpResponse<String> response = post(server, "/subjects/" + subject + "/versions", schemaBody(schema));
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get("id").asInt();
    }

    private static String schemaBody(String schema) throws Exception {
        return JSON.createObjectNode().put("schema", schema).toString();
    }

    private static String versionValue(String subject, int version, int id, String schema) {
        return JSON.createObjectNode()
            .put("subject", subject)
            .put("version", version)
            .put("id", id)
            .put("schema", schema)
            .put("deleted", false)
            .toString();
    }

    private static void assertJsonEquals(String expected, String actual) throws Exception {
        JsonNode expectedJson = JSON.readTree(expected);
        JsonNode actualJson = JSON.readTree(actual);
        assertEquals(expectedJson, actualJson, actual);
        assertEquals(expectedJson.toString(), actual,
            "field order must be fixed, because compaction compares key bytes");
    }

    private List<ConsumerRecord<String, String>> readSchemasTopic(int expectedRecords) {
        Map<String, Object> config = Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        TopicPartition partition = new TopicPartition(SchemaRegistryServer.SCHEMAS_TOPIC, 0);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                 new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            Instant deadline = Instant.now().plus(TIMEOUT);
            while (records.size() < expectedRecords && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private void writeToSchemasTopic(List<KeyValue> records) throws Exception {
        try (Admin admin = admin()) {
            NewTopic topic = new NewTopic(SchemaRegistryServer.SCHEMAS_TOPIC, 1, (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> config = Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                 new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (KeyValue keyValue : records) {
                ProducerRecord<String, String> record =
                    new ProducerRecord<>(SchemaRegistryServer.SCHEMAS_TOPIC, 0, keyValue.key(), keyValue.value());
                producer.send(record).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private HttpResponse<String> get(SchemaRegistryServer server, String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(server, path)).GET());
    }

    private HttpResponse<String> post(SchemaRegistryServer server, String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(server, path))
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    private HttpResponse<String> put(SchemaRegistryServer server, String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(server, path))
            .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    private HttpResponse<String> delete(SchemaRegistryServer server, String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(server, path)).DELETE());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        HttpRequest withHeaders = request
            .header("Content-Type", CONFLUENT_JSON)
            .timeout(Duration.ofSeconds(30))
            .build();
        return http.send(withHeaders, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** A raw record of the schemas topic. A null value is a tombstone. */
    private record KeyValue(String key, String value) {
    }

    private static URI uri(SchemaRegistryServer server, String path) {
        return URI.create(server.url() + path);
    }
}
