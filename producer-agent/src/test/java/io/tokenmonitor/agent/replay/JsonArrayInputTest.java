package io.tokenmonitor.agent.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenmonitor.schema.TokenRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonArrayInputTest {

    @TempDir
    Path dir;

    private final List<String> problems = new ArrayList<>();

    @Test
    void shouldSkipElementsWithoutGenerator() throws IOException {
        Path file = write("[{\"instruction\":\"a\",\"output\":\"b\",\"generator\":\"g\"},"
            + "{\"instruction\":\"c\",\"output\":\"d\"},"
            + "42,"
            + "{\"instruction\":\"e\",\"output\":null,\"generator\":\"g\"}]");

        List<TokenRequest> requests;
        long skipped;
        try (ReplaySource source = ReplaySource.open(file, ReplayOptions.defaults(), this::collect)) {
            requests = new ArrayList<>();
            while (source.hasNext()) {
                requests.add(source.next());
            }
            skipped = source.skipped();
        }

        assertEquals(List.of("a", "e"), requests.stream().map(TokenRequest::getPromptText).toList());
        assertNull(requests.get(1).getCompletionText());
        assertEquals(2, skipped);
        assertEquals(2, problems.size());
        assertTrue(problems.get(0).startsWith("element 1 "), problems.get(0));
        assertTrue(problems.get(1).startsWith("element 2 "), problems.get(1));
    }

    @Test
    void shouldIdRecordsByArrayIndex() throws IOException {
        Path file = write("[{\"instruction\":\"c\"},{\"instruction\":\"a\",\"generator\":\"g\"}]");

        List<TokenRequest> requests = ReplaySource.readAll(file, ReplayOptions.defaults(), this::collect);

        assertEquals(RequestIds.forRecord("input.json", 1), requests.get(0).getRequestId());
    }

    @Test
    void shouldRejectTruncatedArray() throws IOException {
        Path file = write("[{\"instruction\":\"a\",\"output\":\"b\",\"generator\":\"g\"},{\"instruction\":");

        try (ReplaySource source = ReplaySource.open(file, ReplayOptions.defaults(), this::collect)) {
            assertEquals("a", source.next().getPromptText());
            ReplayInputException error = assertThrows(ReplayInputException.class, source::hasNext);
            assertTrue(error.getMessage().contains("line 1"), error.getMessage());
        }
    }

    @Test
    void shouldReadArrayAfterByteOrderMark() throws IOException {
        Path file = write("\uFEFF\n  [{\"instruction\":\"a\",\"output\":\"b\",\"generator\":\"g\"}]");

        try (ReplaySource source = ReplaySource.open(file, ReplayOptions.defaults(), this::collect)) {
            assertEquals(InputFormat.JSON_ARRAY, source.format());
            assertEquals("g", source.next().getModel());
            assertFalse(source.hasNext());
        }
    }

    private Path write(String content) throws IOException {
        return Files.writeString(dir.resolve("input.json"), content, StandardCharsets.UTF_8);
    }

    private void collect(String location, String reason) {
        problems.add(location + ": " + reason);
    }
}
