package io.tokenmonitor.stack.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.util.JavalinBindException;
import io.tokenmonitor.registry.CompatibilityLevel;
import io.tokenmonitor.registry.InMemorySchemaRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Checks each endpoint of {@link SchemaRegistryServer} with plain HTTP requests and exact response
 * bodies, so that the checks do not depend on the project's own registry client.
 */
@Timeout(30)
class SchemaRegistryServerTest {

    private static final String CONFLUENT_JSON = "application/vnd.schemaregistry.v1+json";

    /** A user schema as a client might send it, with spaces and line breaks. */
    private static final String USER_SCHEMA_SENT = """
        { "type" : "record", "name" : "User", "namespace" : "test",
          "fields" : [ { "name" : "id", "type" : "string" } ] }""";

    /** The same schema as Avro prints it, which is how the registry returns it. */
    private static final String USER_SCHEMA = """
        {"type":"record","name":"User","namespace":"test","fields":[{"name":"id","type":"string"}]}""";

    /** USER_SCHEMA plus a field with a default: a compatible second version. */
    /** USER_SCHEMA plus a field without a default: cannot read data of USER_SCHEMA, so not backward compatible. */
    private static final String REQUIRED_AGE = "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"test\","
        + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"age\",\"type\":\"int\"}]}";

    private static final String USER_SCHEMA_V2 = "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"test\","
        + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"plan\",\"type\":\"string\",\"default\":\"free\"}]}";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private SchemaRegistryServer server;

    @BeforeEach
    void startServer() {
        server = new SchemaRegistryServer(0).start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void shouldBindFreePortOnLoopback() {
        assertTrue(server.port() > 0, "port " + server.port());
        assertEquals("http://127.0.0.1:" + server.port(), server.url());
    }

    @Test
    void shouldRegisterSchemaAndReturnIdOne() throws Exception {
        HttpResponse<String> response = post("/subjects/users-value/versions", schemaBody(USER_SCHEMA_SENT));

        assertEquals(200, response.statusCode());
        assertEquals(CONFLUENT_JSON, response.headers().firstValue("Content-Type").orElse(""));
        assertJson("{\"id\": 1}", response.body());
    }

    @Test
    void shouldReturnSameIdForSameSchema() throws Exception {
        post("/subjects/users-value/versions", schemaBody(USER_SCHEMA_SENT));

        HttpResponse<String> again = post("/subjects/users-value/versions", schemaBody(USER_SCHEMA));

        assertJson("{\"id\": 1}", again.body());
        assertJson("[1]", get("/subjects/users-value/versions").body());
    }

    @Test
    void shouldReuseIdAcrossSubjectsWithOwnVersions() throws Exception {
        post("/subjects/users-value/versions", schemaBody(USER_SCHEMA));
        post("/subjects/users-value/versions", schemaBody(USER_SCHEMA_V2));

        HttpResponse<String> other = post("/subjects/accounts-value/versions", schemaBody(USER_SCHEMA_V2));

        assertJson("{\"id\": 2}", other.body());
        assertJson("[\"accounts-value\", \"users-value\"]", get("/subjects").body());
        assertJson("[1, 2]", get("/subjects/users-value/versions").body());
        assertJson("[1]", get("/subjects/accounts-value/versions").body());
    }

    @Test
    void shouldReturnSchemaById() throws Exception {
        post("/subjects/users-value/versions", schemaBody(USER_SCHEMA_SENT));

        HttpResponse<String> response = get("/schemas/ids/1");

        assertEquals(200, response.statusCode());
        assertEquals(CONFLUENT_JSON, response.headers().firstValue("Content-Type").orElse(""));
        assertJson(schemaBody(USER_SCHEMA), response.body());
    }

    @Test
    void shouldListSubjectsAndVersionsOfSchemaId() throws Exception {
        post("/subjects/users-value/versions", schemaBody(USER_SCHEMA));
        post("/subjects/accounts-value/versions", schemaBody(USER_SCHEMA));

        HttpResponse<String> versions = get("/schemas/ids/1/versions");
        HttpResponse<String> subjects = get("/schemas/ids/1/subjects");

        assertJson("""
            [{"subject": "accounts-value", "version": 1}, {"subject": "users-value", "version": 1}]""",
            versions.body());
        assertJson("[\"accounts-value\", \"users-value\"]", subjects.body());
    }

    @Test
    void shouldReturnSubjectVersionByNumberAndLatest() throws Exception {
        post("/subjects/users-value/versions", schemaBody(USER_SCHEMA));
        post("/subjects/users-value/versions", schemaBody(USER_SCHEMA_V2));

        HttpResponse<String> first = get("/subjects/users-value/versions/1");
        HttpResponse<String> latest = get("/subjects/users-value/versions/latest");

        assertEquals(200, first.statusCode());
        assertJson(subjectVersion("users-value", 1, 1, USER_SCHEMA), first.body());
        assertJson(subjectVersion("users-value", 2, 2, USER_SCHEMA_V2), latest.body());
    }

    @Test
    void shouldReturnRawSchemaOfVersion() throws Exception {
        post("/subjects/users-value/versions", schemaBody(USER_SCHEMA_SENT));

        HttpResponse<String> response = get("/subjects/users-value/versions/latest/schema");

        assertEquals(200, response.statusCode());
        assertEquals(USER_SCHEMA, response.body());
    }

    @Test
    void shouldLookUpRegisteredSchemaUnderSubject() throws Exception {
        post("/subjects/users-value/versions", schemaBody(USER_SCHEMA));
        post("/subjects/users-value/versions", schemaBody(USER_SCHEMA_V2));

        HttpResponse<String> response = post("/subjects/users-value", schemaBody(USER_SCHEMA));

        assertEquals(200, response.statusCode());
        assertJson(subjectVersion("users-value", 1, 1, USER_SCHEMA), response.body());
    }

    @Test
    void shouldReport40403ForLookupOfUnregisteredSchema() throws Exception {
        post("/subjects/users-value/versions", schemaBody(USER_SCHEMA));

        HttpResponse<String> response = post("/subjects/users-value", schemaBody(USER_SCHEMA_V2));

        assertError(404, 40403, "Schema not found under subject 'users-value'", response);
    }

    @Test
    void shouldReport40401ForLookupUnderUnknownSubject() throws Exception {
        HttpResponse<String> response = post("/subjects/nobody-value", schemaBody(USER_SCHEMA));

        assertError(404, 40401, "Subject 'nobody-value' not found", response);
    }

    @Test
    void shouldReport40401ForUnknownSubject() throws Exception {
        assertError(404, 40401, "Subject 'nobody-value' not found", get("/subjects/nobody-value/versions"));
        assertError(404, 40401, "Subject 'nobody-value' not found", get("/subjects/nobody-value/versions/1"));
        assertError(404, 40401, "Subject 'nobody-value' not found",
            get("/subjects/nobody-value/versions/latest"));
    }

    @Test
    void shouldReport40402ForUnknownVersion() throws Exception {
        post("/subjects/users-value/versions", schemaBody(USER_SCHEMA));

        HttpResponse<String> response = get("/subjects/users-value/versions/2");

        assertError(404, 40402, "Version 2 of subject 'users-value' not found", response);
    }

    @Test
    void shouldReport42202ForInvalidVersion() throws Exception {
        post("/subjects/users-value/versions", schemaBody(USER_SCHEMA));

        for (String version : List.of("0", "abc", "-2")) {
            HttpResponse<String> response = get("/subjects/users-value/versions/" + version);

            assertError(422, 42202, "Invalid version '" + version + "', expected a positive integer or 'latest'",
                response);
        }
    }

    @Test
    void shouldReport40403ForUnknownSchemaId() throws Exception {
        assertError(404, 40403, "Schema 99 not found", get("/schemas/ids/99"));
        assertError(404, 40403, "Schema 99 not found", get("/schemas/ids/99/versions"));
        assertError(404, 40403, "Schema 'x' not found: schema ids are integers", get("/schemas/ids/x"));
    }

    @Test
    void shouldReport42201ForUnparseableAvro() throws Exception {
        HttpResponse<String> response = post("/subjects/users-value/versions",
            schemaBody("{\"type\": \"record\", \"name\": \"User\"}"));

        assertEquals(422, response.statusCode());
        JsonNode body = JSON.readTree(response.body());
        assertEquals(42201, body.get("error_code").intValue());
        assertTrue(body.get("message").asText().startsWith("Invalid schema: "), body.toString());
        assertJson("[]", get("/subjects").body());
    }

    @Test
    void shouldNameJsonSyntaxErrorWithoutParserInternals() throws Exception {
        HttpResponse<String> response = post("/subjects/users-value/versions", schemaBody("{not json"));

        assertEquals(422, response.statusCode());
        String message = JSON.readTree(response.body()).get("message").asText();
        assertTrue(message.startsWith("Invalid schema: not valid JSON: "), message);
        assertTrue(message.contains("at line 1, column "), message);
        assertFalse(message.contains("com.fasterxml"), message);
        assertFalse(message.contains("REDACTED"), message);
    }

    @Test
    void shouldReport42201ForDefaultOfWrongType() throws Exception {
        String badDefault = "{\"type\":\"record\",\"name\":\"User\",\"fields\":"
            + "[{\"name\":\"age\",\"type\":\"int\",\"default\":\"old\"}]}";

        HttpResponse<String> response = post("/subjects/users-value/versions", schemaBody(badDefault));

        assertEquals(422, response.statusCode());
        assertEquals(42201, JSON.readTree(response.body()).get("error_code").intValue());
    }

    @Test
    void shouldReport42201ForNonAvroSchemaType() throws Exception {
        String protobuf = JSON.createObjectNode()
            .put("schemaType", "PROTOBUF")
            .put("schema", "syntax = \"proto3\"; message User { string id = 1; }")
            .toString();

        HttpResponse<String> response = post("/subjects/users-value/versions", protobuf);

        assertError(422, 42201,
            "Invalid schema: schemaType 'PROTOBUF' is not supported. This registry stores AVRO schemas only",
            response);
    }

    @Test
    void shouldAcceptExplicitAvroSchemaType() throws Exception {
        String body = JSON.createObjectNode()
            .put("schemaType", "AVRO")
            .put("schema", USER_SCHEMA)
            .set("references", JSON.createArrayNode())
            .toString();

        HttpResponse<String> response = post("/subjects/users-value/versions", body);

        assertEquals(200, response.statusCode());
        assertJson("{\"id\": 1}", response.body());
    }

    @Test
    void shouldReport42201ForSchemaReferences() throws Exception {
        String body = "{\"schema\": \"\\\"test.Other\\\"\", \"references\": "
            + "[{\"name\": \"test.Other\", \"subject\": \"other-value\", \"version\": 1}]}";

        HttpResponse<String> response = post("/subjects/users-value/versions", body);

        assertError(422, 42201, "Invalid schema: schema references are not supported. Inline the referenced types",
            response);
    }

    @Test
    void shouldReport42201ForMissingSchemaField() throws Exception {
        for (String body : List.of("{}", "{\"schema\": 5}", "{\"schema\": \"  \"}")) {
            HttpResponse<String> response = post("/subjects/users-value/versions", body);

            assertError(422, 42201, "Invalid schema: the request body needs a \"schema\" field that contains "
                + "the Avro schema JSON as a string", response);
        }
    }

    @Test
    void shouldReport400ForUnparseableJsonBody() throws Exception {
        for (String body : List.of("{\"schema\": ", "not json", "")) {
            HttpResponse<String> response = post("/subjects/users-value/versions", body);

            assertEquals(400, response.statusCode(), body);
            assertEquals(CONFLUENT_JSON, response.headers().firstValue("Content-Type").orElse(""), body);
            assertEquals(400, JSON.readTree(response.body()).get("error_code").intValue(), body);
        }
    }

    @Test
    void shouldReport400ForJsonThatIsNotObject() throws Exception {
        HttpResponse<String> response = post("/subjects/users-value/versions", "[\"schema\"]");

        assertError(400, 400, "Invalid request body: expected a JSON object", response);
    }

    @Test
    void shouldReport409ForIncompatibleSchema() throws Exception {
        post("/subjects/users-value/versions", schemaBody(USER_SCHEMA));
        String requiredAge = "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"test\",\"fields\":"
            + "[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"age\",\"type\":\"int\"}]}";

        HttpResponse<String> response = post("/subjects/users-value/versions", schemaBody(requiredAge));

        assertEquals(409, response.statusCode());
        JsonNode body = JSON.readTree(response.body());
        assertEquals(409, body.get("error_code").intValue());
        assertTrue(body.get("message").asText().contains("incompatible"), body.toString());
        assertJson("[1]", get("/subjects/users-value/versions").body());
    }

    @Test
    void shouldAcceptEachConfluentContentType() throws Exception {
        List<String> contentTypes = List.of(CONFLUENT_JSON, "application/vnd.schemaregistry+json",
            "application/json", "application/json; charset=utf-8");

        for (String contentType : contentTypes) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/subjects/users-value/versions"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(schemaBody(USER_SCHEMA))));

            assertEquals(200, response.statusCode(), contentType);
        }
        // java.net.http sends no Content-Type unless told to.
        HttpResponse<String> untyped = send(HttpRequest.newBuilder(uri("/subjects/users-value/versions"))
            .POST(HttpRequest.BodyPublishers.ofString(schemaBody(USER_SCHEMA))));
        assertEquals(200, untyped.statusCode());
    }

    @Test
    void shouldReport415ForOtherContentType() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/subjects/users-value/versions"))
            .header("Content-Type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString(schemaBody(USER_SCHEMA))));

        assertError(415, 415, "Unsupported content type 'text/plain'. Send " + CONFLUENT_JSON
            + " or application/json", response);
    }

    @Test
    void shouldReportJsonNotFoundForUnknownPath() throws Exception {
        HttpResponse<String> response = get("/no/such/endpoint");

        assertError(404, 404, "HTTP 404 Not Found: no endpoint GET /no/such/endpoint", response);
    }

    @Test
    void shouldDecodeEncodedSubjectNames() throws Exception {
        post("/subjects/orders%20v%C3%BC%2Bvalue/versions", schemaBody(USER_SCHEMA));

        assertJson("[\"orders vü+value\"]", get("/subjects").body());
    }

    @Test
    void shouldKeepNonAsciiSchemaText() throws Exception {
        String withDoc = "{\"type\":\"record\",\"name\":\"User\",\"doc\":\"Nutzer – Prüfung ✓\",\"fields\":[]}";

        post("/subjects/users-value/versions", schemaBody(withDoc));
        HttpResponse<String> response = get("/schemas/ids/1");

        assertJson(schemaBody(withDoc), response.body());
    }

    @Test
    void shouldDefaultGlobalCompatibilityToBackward() throws Exception {
        HttpResponse<String> response = get("/config");

        assertEquals(200, response.statusCode());
        assertJson("{\"compatibilityLevel\": \"BACKWARD\"}", response.body());
    }

    @Test
    void shouldUpdateGlobalCompatibility() throws Exception {
        HttpResponse<String> update = put("/config", "{\"compatibility\": \"FULL_TRANSITIVE\"}");

        assertEquals(200, update.statusCode());
        assertJson("{\"compatibility\": \"FULL_TRANSITIVE\"}", update.body());
        assertJson("{\"compatibilityLevel\": \"FULL_TRANSITIVE\"}", get("/config").body());
        assertEquals(CompatibilityLevel.FULL_TRANSITIVE, server.registry().globalCompatibility());
    }

    @Test
    void shouldReport42203ForInvalidCompatibility() throws Exception {
        HttpResponse<String> unknown = put("/config", "{\"compatibility\": \"SIDEWAYS\"}");
        HttpResponse<String> missing = put("/config/users-value", "{\"level\": \"FULL\"}");

        assertError(422, 42203, "Invalid compatibility level 'SIDEWAYS', expected one of [NONE, BACKWARD, "
            + "BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE]", unknown);
        assertEquals(422, missing.statusCode());
        assertEquals(42203, JSON.readTree(missing.body()).get("error_code").intValue());
        assertJson("{\"compatibilityLevel\": \"BACKWARD\"}", get("/config").body());
    }

    @Test
    void shouldReport40408ForSubjectWithoutOwnCompatibility() throws Exception {
        post("/subjects/users-value/versions", schemaBody(USER_SCHEMA));

        HttpResponse<String> response = get("/config/users-value");

        assertError(404, 40408, "Subject 'users-value' does not have subject-level compatibility configured",
            response);
    }

    @Test
    void shouldReturnGlobalLevelWhenDefaultToGlobal() throws Exception {
        HttpResponse<String> response = get("/config/users-value?defaultToGlobal=true");

        assertEquals(200, response.statusCode());
        assertJson("{\"compatibilityLevel\": \"BACKWARD\"}", response.body());
    }

    @Test
    void shouldSetGetAndDeleteSubjectCompatibility() throws Exception {
        HttpResponse<String> update = put("/config/users-value", "{\"compatibility\": \"NONE\"}");
        HttpResponse<String> read = get("/config/users-value");
        HttpResponse<String> delete = delete("/config/users-value");
        HttpResponse<String> readAfterDelete = get("/config/users-value");

        assertEquals(200, update.statusCode());
        assertJson("{\"compatibility\": \"NONE\"}", update.body());
        assertJson("{\"compatibilityLevel\": \"NONE\"}", read.body());
        assertEquals(200, delete.statusCode());
        assertJson("{\"compatibilityLevel\": \"NONE\"}", delete.body());
        assertEquals(404, readAfterDelete.statusCode());
        assertJson("{\"compatibilityLevel\": \"BACKWARD\"}", get("/config").body());
    }

    @Test
    void shouldReportDeleteOfMissingSubjectCompatibility() throws Exception {
        post("/subjects/users-value/versions", schemaBody(USER_SCHEMA));

        assertError(404, 40408, "Subject 'users-value' does not have subject-level compatibility configured",
            delete("/config/users-value"));
        assertError(404, 40401, "Subject 'nobody-value' not found", delete("/config/nobody-value"));
    }

    @Test
    void shouldApplySubjectCompatibilityOnRegister() throws Exception {
        post("/subjects/users-value/versions", schemaBody(USER_SCHEMA));
        put("/config/users-value", "{\"compatibility\": \"NONE\"}");
        String requiredAge = "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"test\",\"fields\":"
            + "[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"age\",\"type\":\"int\"}]}";

        HttpResponse<String> response = post("/subjects/users-value/versions", schemaBody(requiredAge));

        assertEquals(200, response.statusCode());
        assertJson("{\"id\": 2}", response.body());
    }

    @Test
    void shouldListSchemaTypes() throws Exception {
        assertJson("[\"AVRO\"]", get("/schemas/types").body());
    }

    @Test
    void shouldServeRegistryPassedToConstructor() throws Exception {
        InMemorySchemaRegistry shared = new InMemorySchemaRegistry();
        int id = shared.register("direct-value", new Schema.Parser().parse(USER_SCHEMA));

        try (SchemaRegistryServer sharedServer = new SchemaRegistryServer("127.0.0.1", 0, shared).start()) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(
                URI.create(sharedServer.url() + "/schemas/ids/" + id)).GET());

            assertJson(schemaBody(USER_SCHEMA), response.body());
        }
    }

    @Test
    void shouldRefuseConnectionsAfterClose() throws Exception {
        URI root = uri("/");
        assertEquals(200, send(HttpRequest.newBuilder(root).GET()).statusCode());

        server.close();

        assertThrows(IOException.class, () -> send(HttpRequest.newBuilder(root).GET()));
        server.close();
    }

    @Test
    void shouldReport413ForOversizedBody() throws Exception {
        String doc = "x".repeat(2 * 1024 * 1024);
        String huge = "{\"type\":\"record\",\"name\":\"User\",\"doc\":\"" + doc + "\",\"fields\":[]}";

        HttpResponse<String> response = post("/subjects/users-value/versions", schemaBody(huge));

        assertEquals(413, response.statusCode());
        assertEquals(413, JSON.readTree(response.body()).get("error_code").intValue());
    }

    @Test
    void shouldFailToStartOnPortInUse() {
        SchemaRegistryServer second = new SchemaRegistryServer(server.port());

        assertThrows(JavalinBindException.class, second::start);
        second.close();
        assertThrows(IllegalStateException.class, second::port);
    }

    @Test
    void shouldAssignDistinctIdsToConcurrentRegistrations() throws Exception {
        int threads = 8;
        int schemasPerThread = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Integer>>> results = new ArrayList<>();
            for (int thread = 0; thread < threads; thread++) {
                int offset = thread * schemasPerThread;
                results.add(pool.submit(() -> {
                    List<Integer> ids = new ArrayList<>();
                    for (int index = offset; index < offset + schemasPerThread; index++) {
                        String fixed = "{\"type\":\"fixed\",\"name\":\"F" + index + "\",\"size\":4}";
                        HttpResponse<String> response = post("/subjects/s" + index + "/versions", schemaBody(fixed));
                        ids.add(JSON.readTree(response.body()).get("id").intValue());
                    }
                    return ids;
                }));
            }

            Set<Integer> distinctIds = new HashSet<>();
            for (Future<List<Integer>> result : results) {
                distinctIds.addAll(result.get(30, TimeUnit.SECONDS));
            }

            assertEquals(threads * schemasPerThread, distinctIds.size());
            assertEquals(1, Collections.min(distinctIds));
            assertEquals(threads * schemasPerThread, Collections.max(distinctIds));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldReport409WithConfluentMessage() throws Exception {
        post("/subjects/users-value/versions", schemaBody(USER_SCHEMA));

        HttpResponse<String> response = post("/subjects/users-value/versions", schemaBody(REQUIRED_AGE));

        assertEquals(409, response.statusCode());
        String message = JSON.readTree(response.body()).get("message").asText();
        assertTrue(message.startsWith("Schema being registered is incompatible with an earlier schema for subject "
            + "\"users-value\", details: ["), message);
    }

    @Test
    void shouldCheckCompatibilityAgainstLatestAndGivenVersion() throws Exception {
        post("/subjects/users-value/versions", schemaBody(USER_SCHEMA));

        HttpResponse<String> compatible = post("/compatibility/subjects/users-value/versions",
            schemaBody(USER_SCHEMA_V2));
        HttpResponse<String> incompatible = post("/compatibility/subjects/users-value/versions/1",
            schemaBody(REQUIRED_AGE));
        HttpResponse<String> latest = post("/compatibility/subjects/users-value/versions/latest",
            schemaBody(REQUIRED_AGE));

        assertEquals(200, compatible.statusCode(), compatible.body());
        assertJson("{\"is_compatible\": true}", compatible.body());
        assertJson("{\"is_compatible\": false}", incompatible.body());
        assertJson("{\"is_compatible\": false}", latest.body());
        assertJson("[1]", get("/subjects/users-value/versions").body());
    }

    @Test
    void shouldListCompatibilityMessagesWhenVerbose() throws Exception {
        post("/subjects/users-value/versions", schemaBody(USER_SCHEMA));

        JsonNode incompatible = JSON.readTree(post("/compatibility/subjects/users-value/versions?verbose=true",
            schemaBody(REQUIRED_AGE)).body());
        JsonNode compatible = JSON.readTree(post("/compatibility/subjects/users-value/versions?verbose=true",
            schemaBody(USER_SCHEMA_V2)).body());

        assertEquals(false, incompatible.get("is_compatible").booleanValue());
        assertEquals(1, incompatible.get("messages").size(), incompatible.toString());
        assertTrue(incompatible.get("messages").get(0).asText().contains("age"), incompatible.toString());
        assertJson("{\"is_compatible\": true, \"messages\": []}", compatible.toString());
    }

    @Test
    void shouldCheckCompatibilityTransitivelyUnderTransitiveLevel() throws Exception {
        String idless = "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"test\",\"fields\":[]}";
        String ageOnly = "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"test\",\"fields\":"
            + "[{\"name\":\"age\",\"type\":\"int\",\"default\":0}]}";
        put("/config/users-value", "{\"compatibility\":\"NONE\"}");
        post("/subjects/users-value/versions", schemaBody(USER_SCHEMA));
        post("/subjects/users-value/versions", schemaBody(idless));

        put("/config/users-value", "{\"compatibility\":\"FORWARD\"}");
        HttpResponse<String> latestOnly = post("/compatibility/subjects/users-value/versions", schemaBody(ageOnly));
        put("/config/users-value", "{\"compatibility\":\"FORWARD_TRANSITIVE\"}");
        HttpResponse<String> transitive = post("/compatibility/subjects/users-value/versions", schemaBody(ageOnly));

        assertJson("{\"is_compatible\": true}", latestOnly.body());
        assertJson("{\"is_compatible\": false}", transitive.body());
    }

    @Test
    void shouldReportCompatibilityOfUnknownVersion() throws Exception {
        post("/subjects/users-value/versions", schemaBody(USER_SCHEMA));

        assertJson("{\"is_compatible\": true}",
            post("/compatibility/subjects/accounts-value/versions", schemaBody(USER_SCHEMA)).body());
        assertError(404, 40401, "Subject 'accounts-value' not found",
            post("/compatibility/subjects/accounts-value/versions/1", schemaBody(USER_SCHEMA)));
        assertError(404, 40402, "Version 2 of subject 'users-value' not found",
            post("/compatibility/subjects/users-value/versions/2", schemaBody(USER_SCHEMA)));
        assertEquals(422, post("/compatibility/subjects/users-value/versions", schemaBody("{")).statusCode());
    }

    @Test
    void shouldListSoftDeletedSubjectWhenAsked() throws Exception {
        post("/subjects/users-value/versions", schemaBody(USER_SCHEMA));
        post("/subjects/users-value/versions", schemaBody(USER_SCHEMA_V2));
        post("/subjects/accounts-value/versions", schemaBody(USER_SCHEMA));

        HttpResponse<String> deleted = delete("/subjects/users-value");

        assertEquals(200, deleted.statusCode(), deleted.body());
        assertJson("[1, 2]", deleted.body());
        assertJson("[\"accounts-value\"]", get("/subjects").body());
        assertJson("[\"accounts-value\", \"users-value\"]", get("/subjects?deleted=true").body());
        assertError(404, 40401, "Subject 'users-value' not found", get("/subjects/users-value/versions"));
        assertJson("[1, 2]", get("/subjects/users-value/versions?deleted=true").body());
        assertError(404, 40401, "Subject 'users-value' not found", get("/subjects/users-value/versions/1"));
        assertJson(subjectVersion("users-value", 1, 1, USER_SCHEMA),
            get("/subjects/users-value/versions/1?deleted=true").body());
    }

    @Test
    void shouldServeSoftDeletedSchemaById() throws Exception {
        post("/subjects/users-value/versions", schemaBody(USER_SCHEMA));
        delete("/subjects/users-value");

        HttpResponse<String> byId = get("/schemas/ids/1");

        assertEquals(200, byId.statusCode(), byId.body());
        assertJson(schemaBody(USER_SCHEMA), byId.body());
        assertJson("[]", get("/schemas/ids/1/versions").body());
        assertJson("[{\"subject\": \"users-value\", \"version\": 1}]",
            get("/schemas/ids/1/versions?deleted=true").body());
        assertJson("[\"users-value\"]", get("/schemas/ids/1/subjects?deleted=true").body());
    }

    @Test
    void shouldDeleteVersionByNumberAndLatest() throws Exception {
        post("/subjects/users-value/versions", schemaBody(USER_SCHEMA));
        post("/subjects/users-value/versions", schemaBody(USER_SCHEMA_V2));

        HttpResponse<String> latest = delete("/subjects/users-value/versions/latest");
        HttpResponse<String> first = delete("/subjects/users-value/versions/1");

        assertEquals(200, latest.statusCode(), latest.body());
        assertEquals("2", latest.body());
        assertEquals("1", first.body());
        assertJson("[]", get("/subjects").body());
        post("/subjects/users-value/versions", schemaBody(USER_SCHEMA));
        delete("/subjects/users-value/versions/1?permanent=true");
        assertError(404, 40402, "Version 1 of subject 'users-value' not found",
            get("/subjects/users-value/versions/1?deleted=true"));
    }

    @Test
    void shouldRegisterAgainAfterSoftDelete() throws Exception {
        post("/subjects/users-value/versions", schemaBody(USER_SCHEMA));
        delete("/subjects/users-value");

        HttpResponse<String> registered = post("/subjects/users-value/versions", schemaBody(USER_SCHEMA));

        assertJson("{\"id\": 1}", registered.body());
        assertJson("[2]", get("/subjects/users-value/versions").body());
        assertJson(subjectVersion("users-value", 2, 1, USER_SCHEMA),
            get("/subjects/users-value/versions/latest").body());
    }

    @Test
    void shouldRequireSoftDeleteBeforePermanentDelete() throws Exception {
        post("/subjects/users-value/versions", schemaBody(USER_SCHEMA));
        post("/subjects/users-value/versions", schemaBody(USER_SCHEMA_V2));

        assertErrorCode(404, 40405, delete("/subjects/users-value?permanent=true"));
        assertErrorCode(404, 40407, delete("/subjects/users-value/versions/2?permanent=true"));
        assertEquals("2", delete("/subjects/users-value/versions/2").body());
        assertErrorCode(404, 40406, delete("/subjects/users-value/versions/2"));
        assertEquals("2", delete("/subjects/users-value/versions/2?permanent=true").body());
        assertJson("[1]", delete("/subjects/users-value").body());
        assertErrorCode(404, 40404, delete("/subjects/users-value"));
        assertJson("[1]", delete("/subjects/users-value?permanent=true").body());

        assertJson("[]", get("/subjects?deleted=true").body());
        assertErrorCode(404, 40403, get("/schemas/ids/1"));
        assertErrorCode(404, 40401, delete("/subjects/users-value"));
        assertErrorCode(422, 42202, delete("/subjects/users-value/versions/first"));
    }

    @Test
    void shouldRejectSecondStart() {
        assertThrows(IllegalStateException.class, () -> server.start());
    }

    private static void assertErrorCode(int status, int errorCode, HttpResponse<String> response)
            throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(errorCode, JSON.readTree(response.body()).get("error_code").intValue(), response.body());
    }

    private static String schemaBody(String schema) {
        return JSON.createObjectNode().put("schema", schema).toString();
    }

    private static String subjectVersion(String subject, int version, int id, String schema) {
        return JSON.createObjectNode()
            .put("subject", subject)
            .put("version", version)
            .put("id", id)
            .put("schema", schema)
            .toString();
    }

    private static void assertJson(String expected, String actual) throws IOException {
        assertEquals(JSON.readTree(expected), JSON.readTree(actual), actual);
    }

    private static void assertError(int status, int errorCode, String message, HttpResponse<String> response)
            throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(CONFLUENT_JSON, response.headers().firstValue("Content-Type").orElse(""));
        assertJson(JSON.createObjectNode().put("error_code", errorCode).put("message", message).toString(),
            response.body());
    }

    private URI uri(String path) {
        return URI.create(server.url() + path);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path))
            .header("Content-Type", CONFLUENT_JSON)
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    private HttpResponse<String> put(String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path))
            .header("Content-Type", CONFLUENT_JSON)
            .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
