package io.tokenmonitor.agent.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenmonitor.agent.SharedData;
import io.tokenmonitor.schema.TokenRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonArrayReplayTest {

    private static final String FILE_NAME = "Meta-Llama-3-70B-Instruct.json";
    private static final Instant NOW = Instant.parse("2025-09-20T08:30:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private Path file;
    private List<String> problems;

    @BeforeEach
    void setUp() {
        file = SharedData.llmRequestsFile(FILE_NAME);
        problems = new ArrayList<>();
    }

    @Test
    void shouldMapEveryBenchmarkRecord() throws IOException {
        JsonNode expected = new ObjectMapper().readTree(file.toFile());

        List<TokenRequest> requests = ReplaySource.readAll(file, new ReplayOptions(0, null, CLOCK), this::collect);

        assertEquals(805, expected.size());
        assertEquals(805, requests.size());
        assertEquals(List.of(), problems);
        for (int i = 0; i < requests.size(); i++) {
            TokenRequest request = requests.get(i);
            JsonNode record = expected.get(i);
            assertEquals(record.get("instruction").asText(), request.getPromptText(), "promptText of record " + i);
            assertEquals(record.get("output").asText(), request.getCompletionText(), "completionText of record " + i);
            assertEquals("Meta-Llama-3-70B-Instruct", request.getModel(), "model of record " + i);
            assertEquals("auto", request.getProvider(), "provider of record " + i);
            assertEquals(ReplaySource.JSON_ARRAY_APP, request.getApp(), "app of record " + i);
            assertEquals("user-1", request.getUserId(), "userId of record " + i);
            assertEquals(NOW, request.getTimestamp(), "timestamp of record " + i);
            assertNull(request.getReportedPromptTokens(), "reportedPromptTokens of record " + i);
            assertNull(request.getReportedCompletionTokens(), "reportedCompletionTokens of record " + i);
        }
    }

    @Test
    void shouldDetectJsonArrayFormat() throws IOException {
        try (ReplaySource source = ReplaySource.open(file, ReplayOptions.defaults(), this::collect)) {
            assertEquals(InputFormat.JSON_ARRAY, source.format());
        }
    }

    @Test
    void shouldDeriveSameRequestIdsOnEveryRead() throws IOException {
        List<String> first = requestIds(ReplaySource.readAll(file, ReplayOptions.defaults(), this::collect));
        List<String> second = requestIds(ReplaySource.readAll(file, ReplayOptions.defaults(), this::collect));

        assertEquals(first, second);
        assertEquals(805, new HashSet<>(first).size(), "request ids are unique");
        String nameOfFirst = FILE_NAME + "#0";
        assertEquals(UUID.nameUUIDFromBytes(nameOfFirst.getBytes(StandardCharsets.UTF_8)).toString(), first.get(0));
    }

    @Test
    void shouldKeepRequestIdsWhenFileMovesFolder(@TempDir Path dir) throws IOException {
        Path copy = Files.copy(file, dir.resolve(FILE_NAME));

        List<String> original = requestIds(ReplaySource.readAll(file, ReplayOptions.defaults(), this::collect));
        List<String> moved = requestIds(ReplaySource.readAll(copy, ReplayOptions.defaults(), this::collect));

        assertEquals(original, moved);
    }

    @Test
    void shouldSpreadUsersRoundRobin() throws IOException {
        List<TokenRequest> requests = ReplaySource.readAll(file, new ReplayOptions(20, null, CLOCK), this::collect);

        Map<String, Integer> counts = new TreeMap<>();
        for (TokenRequest request : requests) {
            counts.merge(request.getUserId(), 1, Integer::sum);
        }
        Map<String, Integer> expected = new TreeMap<>();
        for (int user = 1; user <= 20; user++) {
            expected.put("user-" + user, user <= 5 ? 41 : 40);
        }
        assertEquals(expected, counts);
        assertEquals("user-1", requests.get(0).getUserId());
        assertEquals("user-20", requests.get(19).getUserId());
        assertEquals("user-1", requests.get(20).getUserId());
    }

    @Test
    void shouldSpreadTimestampsOverRange() throws IOException {
        Instant from = Instant.parse("2025-08-01T00:00:00Z");
        Instant to = Instant.parse("2025-09-01T00:00:00Z");

        List<TokenRequest> requests = ReplaySource.readAll(file,
            new ReplayOptions(0, new TimeRange(from, to), CLOCK), this::collect);

        assertEquals(805, requests.size());
        assertEquals(from, requests.get(0).getTimestamp());
        Instant last = requests.get(804).getTimestamp();
        assertTrue(last.isBefore(to), "last timestamp " + last + " is before " + to);
        assertEquals(new TimeRange(from, to).instantAt(804, 805), last);
        for (int i = 1; i < requests.size(); i++) {
            assertTrue(requests.get(i).getTimestamp().isAfter(requests.get(i - 1).getTimestamp()),
                "timestamp of record " + i + " is after the previous one");
        }
    }

    private void collect(String location, String reason) {
        problems.add(location + ": " + reason);
    }

    private static List<String> requestIds(List<TokenRequest> requests) {
        return requests.stream().map(TokenRequest::getRequestId).toList();
    }
}
