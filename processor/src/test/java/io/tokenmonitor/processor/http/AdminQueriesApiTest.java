package io.tokenmonitor.processor.http;

import static io.tokenmonitor.processor.topology.TestRequests.reported;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenmonitor.processor.topology.TestPlans;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin endpoints that list users, over the stores of one instance.
 */
class AdminQueriesApiTest {

    private static final long LIMIT = 1_000;
    private static final Instant NOW = Instant.parse("2026-03-20T08:00:00Z");
    private static final Instant FEBRUARY = Instant.parse("2026-02-10T00:00:00Z");
    private static final Instant MARCH = Instant.parse("2026-03-05T00:00:00Z");

    @TempDir
    Path stateDir;

    private TestApi api;

    @BeforeEach
    void start() {
        api = new TestApi(LIMIT, stateDir, NOW);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void shouldRankTopUsersByTokens() throws Exception {
        api.fixture.send(reported("e", FEBRUARY, 900, 0));
        api.fixture.send(reported("a", MARCH, 300, 0));
        api.fixture.send(reported("b", MARCH, 600, 100));
        api.fixture.send(reported("c", MARCH, 500, 0));
        api.fixture.send(reported("d", MARCH, 400, 100));

        JsonNode top = api.getJson("/api/v1/usage/top?period=2026-03&limit=3");
        assertEquals("2026-03", top.get("period").asText());
        assertEquals(List.of("b", "c", "d"), userIds(top));
        JsonNode first = top.at("/users/0");
        assertEquals(1, first.get("requests").asLong());
        assertEquals(700, first.get("totalTokens").asLong());
        assertEquals(LIMIT, first.get("limit").asLong());
        assertEquals(70.0, first.get("percentUsed").asDouble());
        assertTrue(first.get("costDollars").isNull(), first.toString());
        assertEquals(500, top.at("/users/1/totalTokens").asLong());
        assertEquals(500, top.at("/users/2/totalTokens").asLong());

        JsonNode inProgress = api.getJson("/api/v1/usage/top?limit=2");
        assertEquals("2026-03-01", inProgress.get("period").asText());
        assertEquals(List.of("b", "c"), userIds(inProgress));

        assertEquals(List.of("b", "c", "d", "a"), userIds(api.getJson("/api/v1/usage/top")));
        assertEquals(List.of("e"), userIds(api.getJson("/api/v1/usage/top?period=2026-02-01")));
    }

    @Test
    void shouldMatchEachUsersPeriodStartingInMonth() throws Exception {
        // Sent in event-time order: an event more than the deduplication horizon behind the newest is late.
        api.fixture.send(TestPlans.plan("mid-month", Instant.parse("2026-02-01T00:00:00Z")).setAnchorDay(15).build());
        api.fixture.send(reported("a", MARCH, 300, 0));
        api.fixture.send(reported("mid-month", Instant.parse("2026-03-16T00:00:00Z"), 800, 0));

        assertEquals(List.of("mid-month", "a"), userIds(api.getJson("/api/v1/usage/top?period=2026-03")));
        assertEquals(List.of("a"), userIds(api.getJson("/api/v1/usage/top?period=2026-03-01")));
        assertEquals(List.of("mid-month"), userIds(api.getJson("/api/v1/usage/top?period=2026-03-15")));
    }

    @Test
    void shouldListUsersByPrefix() throws Exception {
        api.fixture.send(reported("team-a1", FEBRUARY, 10, 0));
        api.fixture.send(reported("team-a1", MARCH, 10, 0));
        api.fixture.send(reported("team-a2", MARCH, 10, 0));
        api.fixture.send(reported("team-b1", MARCH, 10, 0));
        api.fixture.send(reported("solo", MARCH, 10, 0));
        api.fixture.send(TestPlans.plan("team-a3", MARCH).build());

        JsonNode teamA = api.getJson("/api/v1/users?prefix=team-a");
        assertEquals("[\"team-a1\",\"team-a2\",\"team-a3\"]", teamA.get("users").toString());
        assertFalse(teamA.get("truncated").asBoolean());

        JsonNode firstTwo = api.getJson("/api/v1/users?prefix=team-a&limit=2");
        assertEquals("[\"team-a1\",\"team-a2\"]", firstTwo.get("users").toString());
        assertTrue(firstTwo.get("truncated").asBoolean());

        JsonNode everyone = api.getJson("/api/v1/users");
        assertEquals("[\"solo\",\"team-a1\",\"team-a2\",\"team-a3\",\"team-b1\"]", everyone.get("users").toString());
        assertFalse(everyone.get("truncated").asBoolean());
    }

    @Test
    void shouldRejectInvalidParametersNamingThem() throws Exception {
        String[][] cases = {
            {"/api/v1/usage/top?limit=0", "limit"},
            {"/api/v1/usage/top?limit=1001", "limit"},
            {"/api/v1/usage/top?limit=ten", "limit"},
            {"/api/v1/usage/top?period=2026-02-30", "period"},
            {"/api/v1/usage/top?period=2026-13", "period"},
            {"/api/v1/usage/top?period=march", "period"},
            {"/api/v1/users?limit=abc", "limit"},
            {"/api/v1/users?limit=1001", "limit"},
            {"/api/v1/users?prefix=a%01b", "prefix"},
        };
        for (String[] testCase : cases) {
            HttpResponse<String> response = api.get(testCase[0]);
            assertEquals(400, response.statusCode(), testCase[0]);
            JsonNode body = TestApi.JSON.readTree(response.body());
            assertEquals(testCase[1], body.get("parameter").asText(), testCase[0]);
        }
    }

    private static List<String> userIds(JsonNode body) {
        List<String> ids = new ArrayList<>();
        for (JsonNode user : body.get("users")) {
            ids.add(user.get("userId").asText());
        }
        return ids;
    }
}
