package io.tokenmonitor.agent.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tokenmonitor.schema.TokenRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesReplayTest {

    private static final Instant NOW = Instant.parse("2025-09-20T08:30:00Z");
    private static final ReplayOptions KEEP_USERS = new ReplayOptions(0, null, Clock.fixed(NOW, ZoneOffset.UTC));

    @TempDir
    Path dir;

    private final List<String> problems = new ArrayList<>();

    @Test
    void shouldMapEveryField() throws IOException {
        Path file = write("requests.jsonl",
            "{\"requestId\":\"r-1\",\"userId\":\"alice\",\"timestamp\":1756722600000,\"model\":\"m\","
                + "\"provider\":\"groq\",\"promptText\":\"hi\",\"completionText\":\"hello\","
                + "\"reportedPromptTokens\":12,\"reportedCompletionTokens\":34,\"app\":\"cli\"}");

        List<TokenRequest> requests = read(file, KEEP_USERS);

        assertEquals(1, requests.size());
        TokenRequest request = requests.get(0);
        assertEquals("r-1", request.getRequestId());
        assertEquals("alice", request.getUserId());
        assertEquals(Instant.ofEpochMilli(1756722600000L), request.getTimestamp());
        assertEquals("m", request.getModel());
        assertEquals("groq", request.getProvider());
        assertEquals("hi", request.getPromptText());
        assertEquals("hello", request.getCompletionText());
        assertEquals(12L, request.getReportedPromptTokens());
        assertEquals(34L, request.getReportedCompletionTokens());
        assertEquals("cli", request.getApp());
        assertEquals(List.of(), problems);
    }

    @Test
    void shouldReadIsoAndEpochTimestamps() throws IOException {
        Path file = write("times.jsonl",
            "{\"model\":\"m\",\"userId\":\"u\",\"timestamp\":1756722600000}",
            "{\"model\":\"m\",\"userId\":\"u\",\"timestamp\":\"1756722600000\"}",
            "{\"model\":\"m\",\"userId\":\"u\",\"timestamp\":\"2025-09-01T10:30:00Z\"}",
            "{\"model\":\"m\",\"userId\":\"u\",\"timestamp\":\"2025-09-01T12:30:00+02:00\"}",
            "{\"model\":\"m\",\"userId\":\"u\",\"timestamp\":\"2025-09-01T10:30:00.250Z\"}",
            "{\"model\":\"m\",\"userId\":\"u\"}",
            "{\"model\":\"m\",\"userId\":\"u\",\"timestamp\":null}");

        List<Instant> timestamps = read(file, KEEP_USERS).stream().map(TokenRequest::getTimestamp).toList();

        Instant expected = Instant.parse("2025-09-01T10:30:00Z");
        assertEquals(List.of(expected, expected, expected, expected, expected.plusMillis(250), NOW, NOW), timestamps);
        assertEquals(List.of(), problems);
    }

    @Test
    void shouldSkipAndCountInvalidLines() throws IOException {
        Path file = write("mixed.jsonl",
            "{\"model\":\"m\",\"userId\":\"u1\"}",
            "{not json",
            "",
            "{\"userId\":\"u2\"}",
            "[1, 2]",
            "{\"model\":\"m\",\"userId\":42}",
            "{\"model\":\"m\",\"userId\":\"u3\",\"timestamp\":\"yesterday\"}",
            "{\"model\":\"m\",\"userId\":\"u4\",\"reportedPromptTokens\":1.5}",
            "   ",
            "{\"model\":\"m\",\"userId\":\"u5\"}");

        List<TokenRequest> requests;
        long skipped;
        try (ReplaySource source = ReplaySource.open(file, KEEP_USERS, this::collect)) {
            requests = drain(source);
            skipped = source.skipped();
        }

        assertEquals(List.of("u1", "u5"), requests.stream().map(TokenRequest::getUserId).toList());
        assertEquals(6, skipped);
        List<String> locations = problems.stream().map(problem -> problem.substring(0, problem.indexOf(':'))).toList();
        assertEquals(List.of("line 2", "line 4", "line 5", "line 6", "line 7", "line 8"), locations);
        assertEquals("line 4: missing model", problems.get(1));
    }

    @Test
    void shouldSendMissingAndBlankUserIdsUnchanged() throws IOException {
        Path file = write("users.jsonl",
            "{\"model\":\"m\"}",
            "{\"model\":\"m\",\"userId\":\"  \"}",
            "{\"model\":\"m\",\"userId\":null}",
            "{\"model\":\"\",\"userId\":\"u\",\"reportedPromptTokens\":-5}");

        List<TokenRequest> requests = read(file, KEEP_USERS);

        assertEquals(List.of("", "  ", "", "u"), requests.stream().map(TokenRequest::getUserId).toList());
        assertEquals("", requests.get(3).getModel());
        assertEquals(-5L, requests.get(3).getReportedPromptTokens());
        assertEquals(List.of(), problems);
    }

    @Test
    void shouldOverrideUserIdsWhenUsersGiven() throws IOException {
        Path file = write("override.jsonl",
            "{\"model\":\"m\",\"userId\":\"a\"}",
            "{\"model\":\"m\"}",
            "{\"model\":\"m\",\"userId\":\"c\"}",
            "{broken",
            "{\"model\":\"m\",\"userId\":\"d\"}");

        List<TokenRequest> requests = read(file, new ReplayOptions(2, null, Clock.fixed(NOW, ZoneOffset.UTC)));

        assertEquals(List.of("user-1", "user-2", "user-1", "user-2"),
            requests.stream().map(TokenRequest::getUserId).toList());
    }

    @Test
    void shouldDeriveMissingRequestIdsFromLineNumbers() throws IOException {
        Path file = write("ids.jsonl",
            "{\"model\":\"m\",\"userId\":\"u\",\"requestId\":\"given\"}",
            "",
            "{\"model\":\"m\",\"userId\":\"u\"}");

        List<TokenRequest> first = read(file, KEEP_USERS);
        List<TokenRequest> second = read(file, KEEP_USERS);

        assertEquals("given", first.get(0).getRequestId());
        assertEquals(RequestIds.forRecord("ids.jsonl", 3), first.get(1).getRequestId());
        assertEquals(first.get(1).getRequestId(), second.get(1).getRequestId());
    }

    @Test
    void shouldDefaultProviderToAuto() throws IOException {
        Path file = write("provider.jsonl", "{\"model\":\"m\",\"userId\":\"u\"}");

        TokenRequest request = read(file, KEEP_USERS).get(0);

        assertEquals("auto", request.getProvider());
        assertNull(request.getApp());
        assertNull(request.getPromptText());
        assertNull(request.getReportedPromptTokens());
    }

    @Test
    void shouldSpreadRangeOverValidLinesOnly() throws IOException {
        Path file = write("range.jsonl",
            "{\"model\":\"m\",\"userId\":\"u\",\"timestamp\":0}",
            "{\"model\":\"m\",\"userId\":\"u\"}",
            "not json",
            "{\"model\":\"m\",\"userId\":\"u\"}",
            "{\"model\":\"m\",\"userId\":\"u\"}");
        Instant from = Instant.parse("2025-09-01T00:00:00Z");
        TimeRange range = new TimeRange(from, from.plusSeconds(400));

        List<TokenRequest> requests = read(file, new ReplayOptions(0, range, Clock.fixed(NOW, ZoneOffset.UTC)));

        assertEquals(List.of(from, from.plusSeconds(100), from.plusSeconds(200), from.plusSeconds(300)),
            requests.stream().map(TokenRequest::getTimestamp).toList());
        assertEquals(1, problems.size(), "the invalid line is reported once, not once per pass");
    }

    @Test
    void shouldDetectJsonLinesAfterByteOrderMark() throws IOException {
        Path file = write("bom.jsonl", "\uFEFF{\"model\":\"m\",\"userId\":\"u\"}");

        try (ReplaySource source = ReplaySource.open(file, KEEP_USERS, this::collect)) {
            assertEquals(InputFormat.JSON_LINES, source.format());
            assertEquals("u", source.next().getUserId());
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void shouldReadEmptyFileAsNoRecords() throws IOException {
        Path file = write("empty.jsonl");

        assertEquals(List.of(), read(file, KEEP_USERS));
    }

    private Path write(String name, String... lines) throws IOException {
        return Files.write(dir.resolve(name), List.of(lines), StandardCharsets.UTF_8);
    }

    private List<TokenRequest> read(Path file, ReplayOptions options) throws IOException {
        return ReplaySource.readAll(file, options, this::collect);
    }

    private static List<TokenRequest> drain(ReplaySource source) throws IOException {
        List<TokenRequest> requests = new ArrayList<>();
        while (source.hasNext()) {
            requests.add(source.next());
        }
        return requests;
    }

    private void collect(String location, String reason) {
        problems.add(location + ": " + reason);
    }
}
