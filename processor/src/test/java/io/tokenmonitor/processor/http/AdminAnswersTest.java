package io.tokenmonitor.processor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdminAnswersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldMergeTopUsersByTotalTokens() throws Exception {
        JsonNode first = JSON.readTree("""
            {"period":"2026-03","users":[{"userId":"a","totalTokens":500},{"userId":"b","totalTokens":100}]}""");
        JsonNode second = JSON.readTree("""
            {"period":"2026-03","users":[{"userId":"c","totalTokens":300},{"userId":"d","totalTokens":100}]}""");

        ObjectNode merged = AdminAnswers.mergeTopUsers(List.of(first, second), 3);

        assertEquals("2026-03", merged.get("period").asText());
        assertEquals(List.of("a", "c", "b"), userIds(merged.get("users")));
        assertEquals(300, merged.at("/users/1/totalTokens").asLong());
    }

    @Test
    void shouldKeepDuplicateTopUserOnce() throws Exception {
        JsonNode first = JSON.readTree("""
            {"period":"2026-03","users":[{"userId":"a","totalTokens":500}]}""");
        JsonNode second = JSON.readTree("""
            {"period":"2026-03","users":[{"userId":"a","totalTokens":500},{"userId":"b","totalTokens":1}]}""");

        ObjectNode merged = AdminAnswers.mergeTopUsers(List.of(first, second), 10);

        assertEquals(List.of("a", "b"), userIds(merged.get("users")));
    }

    @Test
    void shouldMergeUserListsSortedAndLimited() throws Exception {
        JsonNode first = JSON.readTree("""
            {"users":["user-1","user-3"],"truncated":false}""");
        JsonNode second = JSON.readTree("""
            {"users":["user-2","user-4"],"truncated":false}""");

        ObjectNode all = AdminAnswers.mergeUserLists(List.of(first, second), 10);
        ObjectNode limited = AdminAnswers.mergeUserLists(List.of(first, second), 3);

        assertEquals(List.of("user-1", "user-2", "user-3", "user-4"), texts(all.get("users")));
        assertFalse(all.get("truncated").asBoolean());
        assertEquals(List.of("user-1", "user-2", "user-3"), texts(limited.get("users")));
        assertTrue(limited.get("truncated").asBoolean());
    }

    @Test
    void shouldKeepTruncatedFlagOfAnyInstance() throws Exception {
        JsonNode first = JSON.readTree("""
            {"users":["user-1"],"truncated":true}""");
        JsonNode second = JSON.readTree("""
            {"users":[],"truncated":false}""");

        ObjectNode merged = AdminAnswers.mergeUserLists(List.of(first, second), 1);

        assertEquals(List.of("user-1"), texts(merged.get("users")));
        assertTrue(merged.get("truncated").asBoolean());
    }

    private static List<String> userIds(JsonNode users) {
        List<String> ids = new ArrayList<>();
        users.forEach(user -> ids.add(user.get("userId").asText()));
        return ids;
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
