package io.tokenmonitor.agent.localstorage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenmonitor.agent.AgentCommand;
import io.tokenmonitor.agent.AgentRun;
import io.tokenmonitor.agent.MockClients;
import io.tokenmonitor.schema.TokenRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImportLocalStorageCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final MockClients clients = new MockClients();

    private static Path sampleFile() throws Exception {
        return Path.of(ImportLocalStorageCommandTest.class.getResource("/localstorage/tokenUsage.json").toURI());
    }

    private Path write(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private AgentRun importFile(Path file) {
        return AgentRun.execute(clients, "import-local-storage", file.toString(), "--user", "alice");
    }

    private List<TokenRequest> sentRequests() {
        return clients.producer.history().stream().map(ProducerRecord::value).toList();
    }

    @Test
    void shouldSendSampleEntriesAsImportedRequests() throws Exception {
        AgentRun run = importFile(sampleFile());

        assertEquals(AgentCommand.EXIT_OK, run.exitCode(), run.err());
        assertEquals("sent=5 failed=0 skipped=2 duplicates=1", run.out().trim());
        assertTrue(run.err().contains("Skipped tokenUsage.json entry 3: requestId is missing"), run.err());
        assertTrue(run.err().contains("Skipped tokenUsage.json entry 7: completionTokens is negative: -1"), run.err());
        assertTrue(run.err().contains("Changed tokenUsage.json entry 4: totalTokens 12397"), run.err());

        List<ProducerRecord<String, TokenRequest>> records = clients.producer.history();
        assertEquals(5, records.size());
        for (ProducerRecord<String, TokenRequest> record : records) {
            assertEquals("token-requests", record.topic());
            assertEquals("alice", record.key());
            assertEquals("alice", record.value().getUserId());
            assertTrue(record.value().getImported(), record.value().getRequestId());
            assertNull(record.value().getPromptText());
        }
        assertTrue(clients.producer.closed(), "the producer is closed");
    }

    @Test
    void shouldConvertFieldsOfEachEntry() throws Exception {
        importFile(sampleFile());
        List<TokenRequest> requests = sentRequests();

        TokenRequest first = requests.get(0);
        assertEquals("3f6c1a52-8d0e-4b7a-9c1e-2a5d7e9b0c41", first.getRequestId());
        assertEquals(Instant.parse("2025-11-18T09:14:03.512Z"), first.getTimestamp());
        assertEquals("deepseek-ai/DeepSeek-V3-0324", first.getModel());
        assertEquals("fireworks-ai", first.getProvider());
        assertEquals(1812L, first.getReportedPromptTokens());
        assertEquals(2405L, first.getReportedCompletionTokens());
        assertEquals(4217L, first.getReportedTotalTokens());

        TokenRequest epochMillis = requests.get(1);
        assertEquals(Instant.parse("2025-11-18T09:21:47.090Z"), epochMillis.getTimestamp());
        assertEquals("auto-selected", epochMillis.getProvider());

        TokenRequest roundedTotal = requests.get(2);
        assertEquals("moonshotai/Kimi-K2-Instruct", roundedTotal.getModel());
        assertEquals(9521L, roundedTotal.getReportedPromptTokens());
        assertEquals(2877L, roundedTotal.getReportedCompletionTokens());
        assertNull(roundedTotal.getReportedTotalTokens());

        TokenRequest withOffset = requests.get(3);
        assertEquals(Instant.parse("2025-11-19T17:03:55.640Z"), withOffset.getTimestamp());
    }

    @Test
    void shouldReadLocalStorageExportWithStringValue() throws Exception {
        String array = Files.readString(sampleFile());
        ObjectNode export = JSON.createObjectNode();
        export.put("theme", "dark");
        export.put(TrackerHistory.STORAGE_KEY, array);
        Path file = write("export.json", JSON.writeValueAsString(export));

        AgentRun run = importFile(file);

        assertEquals(AgentCommand.EXIT_OK, run.exitCode(), run.err());
        assertEquals("sent=5 failed=0 skipped=2 duplicates=1", run.out().trim());
    }

    @Test
    void shouldReadLocalStorageExportWithArrayValue() throws Exception {
        String array = Files.readString(sampleFile());
        Path file = write("export.json", "{\"tokenUsage\": " + array + "}");

        AgentRun run = importFile(file);

        assertEquals(AgentCommand.EXIT_OK, run.exitCode(), run.err());
        assertEquals(5, sentRequests().size());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"theme\": \"dark\"}                  | has no tokenUsage key",
        "{\"tokenUsage\": \"not json\"}         | is not valid JSON",
        "{\"tokenUsage\": \"{}\"}               | is a JSON object, expected a JSON array",
        "{\"tokenUsage\": 5}                    | is a JSON number, expected a JSON array",
        "{\"tokenUsage\": \"\"}                 | is an empty string, expected a JSON array",
        "42                                     | contains a JSON number",
        "[{\"requestId\": \"a\"                 | invalid JSON",
        "''                                     | the file is empty",
        "[] []                                  | invalid JSON",
    })
    void shouldFailOnFileWithoutHistoryArray(String content, String expectedError) throws Exception {
        AgentRun run = importFile(write("bad.json", content));

        assertEquals(AgentCommand.EXIT_FAILURE, run.exitCode());
        assertTrue(run.err().startsWith("Cannot import "), run.err());
        assertTrue(run.err().contains(expectedError), run.err());
        assertEquals("", run.out());
        assertNull(clients.producer, "no producer is created");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"text\"                                                             | is a JSON string, expected an object",
        "{\"timestamp\": 1, \"model\": \"m\"}                                 | requestId is missing",
        "{\"requestId\": \" \", \"timestamp\": 1, \"model\": \"m\"}           | requestId is missing",
        "{\"requestId\": 7, \"timestamp\": 1, \"model\": \"m\"}               | requestId is a JSON number",
        "{\"requestId\": \"r\", \"timestamp\": 1}                             | model is missing",
        "{\"requestId\": \"r\", \"model\": \"m\"}                             | timestamp is missing",
        "{\"requestId\": \"r\", \"timestamp\": true, \"model\": \"m\"}        | timestamp is true, expected epoch",
        "{\"requestId\": \"r\", \"timestamp\": \"yesterday\", \"model\": \"m\"} | 'yesterday' is not an ISO-8601",
        "{\"requestId\": \"r\", \"timestamp\": -5, \"model\": \"m\"}          | is outside 1970-01-01T00:00:00Z",
        "{\"requestId\": \"r\", \"timestamp\": 1, \"model\": \"m\", \"provider\": 3}      | provider is a JSON number",
        "{\"requestId\": \"r\", \"timestamp\": 1, \"model\": \"m\", \"promptTokens\": \"12\"} | \"12\", expected",
        "{\"requestId\": \"r\", \"timestamp\": 1, \"model\": \"m\", \"promptTokens\": 1.5}  | expected a whole number",
        "{\"requestId\": \"r\", \"timestamp\": 1, \"model\": \"m\", \"totalTokens\": -3}    | totalTokens is negative",
        "{\"requestId\": \"r\\u0000x\", \"timestamp\": 1, \"model\": \"m\"}   | contains a control character",
    })
    void shouldSkipInvalidEntryWithItsIndex(String invalidEntry, String expectedError) throws Exception {
        String valid = "{\"requestId\": \"ok\", \"timestamp\": 1700000000000, \"model\": \"m\", \"totalTokens\": 9}";
        AgentRun run = importFile(write("entries.json", "[" + valid + ", " + invalidEntry + "]"));

        assertEquals(AgentCommand.EXIT_OK, run.exitCode(), run.err());
        assertEquals("sent=1 failed=0 skipped=1 duplicates=0", run.out().trim());
        assertTrue(run.err().contains("Skipped entries.json entry 1: "), run.err());
        assertTrue(run.err().contains(expectedError), run.err());
        assertEquals(List.of("ok"), sentRequests().stream().map(TokenRequest::getRequestId).toList());
    }

    @Test
    void shouldSendNothingForEmptyHistory() throws Exception {
        AgentRun run = importFile(write("empty.json", "{\"tokenUsage\": \"[]\"}"));

        assertEquals(AgentCommand.EXIT_OK, run.exitCode(), run.err());
        assertEquals("sent=0 failed=0 skipped=0 duplicates=0", run.out().trim());
        assertNull(clients.producer, "no producer is created when nothing is sent");
    }

    @Test
    void shouldUseAutoProviderWhenMissing() throws Exception {
        importFile(write("entries.json", "[{\"requestId\": \"r\", \"timestamp\": 1, \"model\": \"m\"}]"));

        assertEquals("auto", sentRequests().get(0).getProvider());
        assertNull(sentRequests().get(0).getReportedTotalTokens());
    }

    @Test
    void shouldRejectMissingOrInvalidUser() throws Exception {
        Path file = write("entries.json", "[]");

        AgentRun missing = AgentRun.execute(clients, "import-local-storage", file.toString());
        AgentRun blank = AgentRun.execute(clients, "import-local-storage", file.toString(), "--user", " ");

        assertEquals(AgentCommand.EXIT_USAGE, missing.exitCode());
        assertTrue(missing.err().contains("--user"), missing.err());
        assertEquals(AgentCommand.EXIT_USAGE, blank.exitCode());
        assertTrue(blank.err().contains("Invalid --user"), blank.err());
    }

    @Test
    void shouldRejectMissingFile() {
        AgentRun run = importFile(dir.resolve("absent.json"));

        assertEquals(AgentCommand.EXIT_USAGE, run.exitCode());
        assertTrue(run.err().contains("Import file not found"), run.err());
    }
}
