package io.tokenmonitor.processor.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Merges the JSON answers that {@link InstanceGatherer} collects from every instance for the admin endpoints.
 * Every user belongs to one partition, so instances list disjoint users; a user listed twice, which a
 * partition moving between two calls can cause, is kept once.
 */
public final class AdminAnswers {

    private AdminAnswers() {
    }

    /**
     * Merges {@code usage/top} answers ({@code {period, users:[{userId, totalTokens, ...}]}}) into one with the
     * {@code limit} users of the highest totalTokens, ties in userId order. The period is the first answer's.
     */
    public static ObjectNode mergeTopUsers(List<JsonNode> answers, int limit) {
        Map<String, JsonNode> byUser = new LinkedHashMap<>();
        for (JsonNode answer : answers) {
            for (JsonNode user : answer.path("users")) {
                byUser.putIfAbsent(user.path("userId").asText(), user);
            }
        }
        List<JsonNode> users = new ArrayList<>(byUser.values());
        users.sort(Comparator.comparingLong((JsonNode user) -> user.path("totalTokens").asLong()).reversed()
            .thenComparing(user -> user.path("userId").asText()));

        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        merged.set("period", answers.isEmpty() ? null : answers.get(0).get("period"));
        ArrayNode list = merged.putArray("users");
        users.stream().limit(limit).forEach(list::add);
        return merged;
    }

    /**
     * Merges {@code users} answers ({@code {users:[id...], truncated}}) into the first {@code limit} ids in
     * ascending order. {@code truncated} is true when any instance truncated its list or more ids than
     * {@code limit} were gathered.
     */
    public static ObjectNode mergeUserLists(List<JsonNode> answers, int limit) {
        TreeSet<String> ids = new TreeSet<>();
        boolean truncated = false;
        for (JsonNode answer : answers) {
            for (JsonNode id : answer.path("users")) {
                ids.add(id.asText());
            }
            truncated |= answer.path("truncated").asBoolean(false);
        }

        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        ArrayNode list = merged.putArray("users");
        ids.stream().limit(limit).forEach(list::add);
        merged.put("truncated", truncated || ids.size() > limit);
        return merged;
    }
}
