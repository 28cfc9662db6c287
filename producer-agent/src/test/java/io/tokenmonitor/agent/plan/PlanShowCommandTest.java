package io.tokenmonitor.agent.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenmonitor.agent.AgentCommand;
import io.tokenmonitor.agent.AgentRun;
import io.tokenmonitor.agent.MockClients;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PlanShowCommandTest {

    private static final String PLAN_BODY = "{\"userId\":\"alice\",\"planName\":\"hf-pro\","
        + "\"monthlyTokenLimit\":2000000,"
        + "\"thresholdsPercent\":[50,80,90,100],\"hardStopPercent\":null,\"timeZone\":\"Europe/Paris\","
        + "\"anchorDay\":15,\"isDefault\":false}";

    private final MockClients clients = new MockClients();

    @Test
    void planShowPrintsBodyOfPlanEndpoint() throws Exception {
        try (StubApiServer server = StubApiServer.start(200, PLAN_BODY + "\n")) {
            AgentRun run = AgentRun.execute(clients, "plan", "show", "--user", "alice", "--api-url", server.url());

            assertEquals(AgentCommand.EXIT_OK, run.exitCode(), run.err());
            assertEquals(PLAN_BODY + System.lineSeparator(), run.out());
            assertEquals(List.of("/api/v1/users/alice/plan"), server.rawPaths());
            assertEquals(List.of("application/json"), server.acceptHeaders());
            assertEquals("", run.err());
        }
    }

    @Test
    void planShowSendsAdminTokenAsBearer() throws Exception {
        String token = "admin-token-0123456789abcdef";
        try (StubApiServer server = StubApiServer.start(200, PLAN_BODY)) {
            AgentRun run = AgentRun.execute(clients, "plan", "show", "--user", "alice", "--api-url", server.url(),
                "--admin-token", token);

            assertEquals(AgentCommand.EXIT_OK, run.exitCode(), run.err());
            assertEquals(List.of("Bearer " + token), server.authorizationHeaders());
            assertFalse(run.out().contains(token), run.out());
            assertFalse(run.err().contains(token), run.err());
        }
    }

    @Test
    void planShowNamesTokenOptionsOnUnauthorized() throws Exception {
        String body = "{\"status\":401,\"error\":\"Unknown bearer token\",\"parameter\":null}";
        try (StubApiServer server = StubApiServer.start(401, body)) {
            AgentRun run = AgentRun.execute(clients, "plan", "show", "--user", "alice", "--api-url", server.url(),
                "--admin-token", "wrong-token-0123456789abcdef");

            assertEquals(AgentCommand.EXIT_FAILURE, run.exitCode());
            assertTrue(run.err().contains("HTTP status 401"), run.err());
            assertTrue(run.err().contains("--admin-token or TOKEN_MONITOR_ADMIN_TOKEN"), run.err());
            assertFalse(run.err().contains("wrong-token-0123456789abcdef"), run.err());
        }
    }

    @Test
    void planShowEncodesUserIdSegment() throws Exception {
        try (StubApiServer server = StubApiServer.start(200, PLAN_BODY)) {
            AgentRun run = AgentRun.execute(clients, "plan", "show", "--user", "team a/b+ü?#%",
                "--api-url", server.url());

            assertEquals(AgentCommand.EXIT_OK, run.exitCode(), run.err());
            assertEquals(List.of("/api/v1/users/team%20a%2Fb%2B%C3%BC%3F%23%25/plan"), server.rawPaths());
        }
    }

    @Test
    void planShowKeepsApiUrlBasePath() throws Exception {
        try (StubApiServer server = StubApiServer.start(200, PLAN_BODY)) {
            AgentRun run = AgentRun.execute(clients, "plan", "show", "--user", "alice",
                "--api-url", server.url() + "/monitor/");

            assertEquals(AgentCommand.EXIT_OK, run.exitCode(), run.err());
            assertEquals(List.of("/monitor/api/v1/users/alice/plan"), server.rawPaths());
        }
    }

    @ParameterizedTest(name = "HTTP {0}")
    @CsvSource(delimiter = '|', value = {
        "404 | {\"status\":404,\"error\":\"Not found\"}",
        "500 | {\"status\":500,\"error\":\"State store not ready\"}"})
    void planShowExitsFailureOnHttpError(int status, String body) throws Exception {
        try (StubApiServer server = StubApiServer.start(status, body)) {
            AgentRun run = AgentRun.execute(clients, "plan", "show", "--user", "alice", "--api-url", server.url());

            assertEquals(AgentCommand.EXIT_FAILURE, run.exitCode());
            assertEquals("", run.out());
            assertTrue(run.err().contains("GET " + server.url() + "/api/v1/users/alice/plan failed with HTTP status "
                + status + ": " + body), run.err());
        }
    }

    @Test
    void planShowExitsFailureOnNonJsonBody() throws Exception {
        try (StubApiServer server = StubApiServer.start(200, "<html>login</html>")) {
            AgentRun run = AgentRun.execute(clients, "plan", "show", "--user", "alice", "--api-url", server.url());

            assertEquals(AgentCommand.EXIT_FAILURE, run.exitCode());
            assertEquals("", run.out());
            assertTrue(run.err().contains("with a body that is not JSON: <html>login</html>"), run.err());
        }
    }

    @Test
    void planShowNamesUrlWhenConnectionRefused() throws Exception {
        String closedUrl;
        try (StubApiServer server = StubApiServer.start(200, PLAN_BODY)) {
            closedUrl = server.url();
        }

        AgentRun run = AgentRun.execute(clients, "plan", "show", "--user", "alice", "--api-url", closedUrl);

        assertEquals(AgentCommand.EXIT_FAILURE, run.exitCode());
        assertEquals("", run.out());
        assertTrue(run.err().contains("Failed to connect to " + closedUrl + "/api/v1/users/alice/plan"), run.err());
        assertTrue(run.err().contains("is the processor running?"), run.err());
    }

    @ParameterizedTest(name = "--api-url {0}")
    @ValueSource(strings = {"ftp://127.0.0.1:8080", "127.0.0.1:8080", "http://127.0.0.1:8080/?x=1",
        "http://127.0.0.1:8080/#top", "http://exa mple"})
    void planShowRejectsInvalidApiUrl(String apiUrl) {
        AgentRun run = AgentRun.execute(clients, "plan", "show", "--user", "alice", "--api-url", apiUrl);

        assertEquals(AgentCommand.EXIT_USAGE, run.exitCode());
        assertTrue(run.err().contains("Invalid --api-url '" + apiUrl + "'"), run.err());
    }

    @Test
    void planShowRejectsBlankUser() {
        AgentRun run = AgentRun.execute(clients, "plan", "show", "--user", " ");

        assertEquals(AgentCommand.EXIT_USAGE, run.exitCode());
        assertTrue(run.err().contains("Invalid --user: expected a non-blank value"), run.err());
    }

    @Test
    void planShowHelpNamesApiUrlVariable() {
        AgentRun run = AgentRun.execute(clients, "plan", "show", "--help");

        assertEquals(AgentCommand.EXIT_OK, run.exitCode());
        assertTrue(run.out().contains("TOKEN_MONITOR_API_URL"), run.out());
    }

    @ParameterizedTest(name = "{0} is encoded as {1}")
    @CsvSource({
        "alice, alice",
        "a.b-c_d~e, a.b-c_d~e",
        "., %2E",
        "..,%2E%2E",
        "user@example.com, user%40example.com"})
    void encodePathSegmentKeepsOnlyUnreservedCharacters(String userId, String expected) {
        assertEquals(expected, PlanShowCommand.encodePathSegment(userId));
    }
}
