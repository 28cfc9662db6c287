package io.tokenmonitor.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenmonitor.agent.AgentCommand;
import io.tokenmonitor.processor.TokenMonitorProcessor;
import io.tokenmonitor.processor.config.ApiTokens;
import io.tokenmonitor.processor.config.ProcessorConfig;
import io.tokenmonitor.registry.RestSchemaRegistryClient;
import io.tokenmonitor.stack.kafka.EmbeddedKafkaBroker;
import io.tokenmonitor.stack.kafka.TopicSetup;
import io.tokenmonitor.stack.registry.SchemaRegistryServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A browser tracker's localStorage history imported with {@code agent import-local-storage} on a real
 * in-process broker: the API's totals equal the file's sums, and a second import changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
class ImportAcceptanceTest {

    private static final String ADMIN_TOKEN = ApiTokens.generate();

    private static final String USER = "browser-user";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The sample history of the agent's tests; Maven runs each module's tests in the module's directory. */
    private static final Path SAMPLE = Path.of("..", "producer-agent", "src", "test", "resources", "localstorage",
        "tokenUsage.json");

    @TempDir
    static Path stateDir;

    private EmbeddedKafkaBroker broker;
    private SchemaRegistryServer registryServer;
    private TokenMonitorProcessor processor;
    private ProcessorApi api;
    private FileSums expected;
    private JsonNode usageAfterFirstImport;

    /**
     * The sums of a history file, computed here without the agent's code: the first entry of each requestId
     * among entries that have a requestId and no negative count.
     */
    private record FileSums(long requests, long promptTokens, long completionTokens, String month) {

        static FileSums of(Path file) throws Exception {
            Set<String> ids = new HashSet<>();
            Set<YearMonth> months = new HashSet<>();
            long requests = 0;
            long prompt = 0;
            long completion = 0;
            for (JsonNode entry : JSON.readTree(file.toFile())) {
                long entryPrompt = entry.path("promptTokens").asLong();
                long entryCompletion = entry.path("completionTokens").asLong();
                if (!entry.hasNonNull("requestId") || entryPrompt < 0 || entryCompletion < 0
                    || !ids.add(entry.get("requestId").asText())) {
                    continue;
                }
                requests++;
                prompt += entryPrompt;
                completion += entryCompletion;
                months.add(YearMonth.from(timeOf(entry.get("timestamp")).atOffset(ZoneOffset.UTC)));
            }
            assertEquals(1, months.size(), "the sample stays in one UTC month: " + months);
            return new FileSums(requests, prompt, completion, months.iterator().next().toString());
        }

        private static Instant timeOf(JsonNode timestamp) {
            return timestamp.isNumber()
                ? Instant.ofEpochMilli(timestamp.asLong())
                : OffsetDateTime.parse(timestamp.asText()).toInstant();
        }
    }

    @BeforeAll
    void startStack() throws Exception {
        assertTrue(Files.isRegularFile(SAMPLE), "sample file not found: " + SAMPLE.toAbsolutePath());
        expected = FileSums.of(SAMPLE);

        broker = EmbeddedKafkaBroker.builder().port(0).defaultPartitions(3).build().start();
        TopicSetup.createProductTopics(broker.bootstrapServers(), 3, (short) 1, Duration.ofSeconds(30));
        registryServer = SchemaRegistryServer.withKafkaStore("127.0.0.1", 0, broker.bootstrapServers(), (short) 1,
            Duration.ofSeconds(30)).start();

        ProcessorConfig config = ProcessorConfig.defaults()
            .withApplicationId("import-acceptance-test")
            .withBootstrapServers(broker.bootstrapServers())
            .withSchemaRegistryUrl(registryServer.url())
            .withStateDir(stateDir)
            .withHttpPort(0);
        processor = TokenMonitorProcessor.start(config, new RestSchemaRegistryClient(registryServer.url()),
            ApiTokens.of(ADMIN_TOKEN, Map.of()));
        processor.awaitRunning(WAIT);
        api = new ProcessorApi(processor.httpPort(), ADMIN_TOKEN);
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

    @Test
    @Order(1)
    void shouldShowImportedHistoryInUsage() throws Exception {
        assertEquals(AgentCommand.EXIT_OK, importSample());

        JsonNode usage = api.awaitJson(usagePath(),
            body -> body.get("requests").asLong() >= expected.requests(), WAIT);
        assertEquals(expected.requests(), usage.get("requests").asLong());
        assertEquals(expected.promptTokens(), usage.get("promptTokens").asLong());
        assertEquals(expected.completionTokens(), usage.get("completionTokens").asLong());
        assertEquals(expected.promptTokens() + expected.completionTokens(), usage.get("totalTokens").asLong());
        assertEquals(expected.month() + "-01", usage.get("period").asText());
        long byModelRequests = 0;
        for (JsonNode model : usage.get("byModel")) {
            byModelRequests += model.get("requests").asLong();
        }
        assertEquals(expected.requests(), byModelRequests);
        usageAfterFirstImport = usage;
    }

    @Test
    @Order(2)
    void shouldChangeNothingOnSecondImport() throws Exception {
        assertTrue(usageAfterFirstImport != null, "the first import ran");
        long duplicatesBefore = api.getJson("/api/v1/stats").get("duplicatesSinceStart").asLong();

        assertEquals(AgentCommand.EXIT_OK, importSample());

        JsonNode stats = api.awaitJson("/api/v1/stats",
            body -> body.get("duplicatesSinceStart").asLong() >= duplicatesBefore + expected.requests(), WAIT);
        assertEquals(duplicatesBefore + expected.requests(), stats.get("duplicatesSinceStart").asLong());
        assertEquals(0, stats.get("deadLetteredSinceStart").get("late").asLong());
        JsonNode usage = api.getJson(usagePath());
        assertEquals(usageAfterFirstImport, usage);
    }

    @Test
    @Order(3)
    void shouldExportTheTotalsTheUsageEndpointAnswers() throws Exception {
        JsonNode usage = api.getJson(usagePath());
        HttpResponse<String> response = api.get("/api/v1/users/" + USER + "/export?period=" + expected.month()
            + "&format=json");
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment"));

        JsonNode export = JSON.readTree(response.body());
        assertEquals(usage, export.get("totals"));
        assertEquals(expected.requests(), export.get("requests").size());
        long total = 0;
        for (JsonNode request : export.get("requests")) {
            total += request.get("totalTokens").asLong();
        }
        assertEquals(expected.promptTokens() + expected.completionTokens(), total);

        HttpResponse<String> csv = api.get("/api/v1/users/" + USER + "/export?period=" + expected.month()
            + "&format=csv");
        assertEquals(200, csv.statusCode(), csv.body());
        List<String> rows = csv.body().lines().toList();
        // A header, one row per request, then the TOTAL row.
        assertEquals(expected.requests() + 2, rows.size(), csv.body());
        String[] header = rows.get(0).split(",");
        String[] totals = rows.get(rows.size() - 1).split(",", -1);
        assertEquals("TOTAL", totals[0]);
        int totalColumn = List.of(header).indexOf("totalTokens");
        assertEquals(usage.get("totalTokens").asLong(), Long.parseLong(totals[totalColumn]));
    }

    private int importSample() {
        return AgentCommand.run("import-local-storage", SAMPLE.toString(), "--user", USER,
            "--bootstrap-servers", broker.bootstrapServers(), "--schema-registry-url", registryServer.url());
    }

    private String usagePath() {
        return "/api/v1/users/" + USER + "/usage?period=" + expected.month();
    }



}
