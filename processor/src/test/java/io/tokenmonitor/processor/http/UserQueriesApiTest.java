package io.tokenmonitor.processor.http;

import static io.tokenmonitor.processor.topology.TestRequests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenmonitor.processor.topology.TestPlans;
import io.tokenmonitor.schema.TokenRequest;
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
 * The per-user endpoints over the real topology. Expected numbers are worked out by hand in the comments.
 * The catalogue prices gpt-4o at $2.50 per million prompt tokens and $10 per million completion tokens, and
 * has no price for the Llama model of the test requests.
 */
class UserQueriesApiTest {

    private static final long LIMIT = 1_000;
    private static final Instant NOW = Instant.parse("2026-03-20T08:00:00Z");
    private static final String LLAMA = "meta-llama/Meta-Llama-3-70B-Instruct";

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
    void shouldSplitUsageByProvider() throws Exception {
        send("user-1", "2026-03-05T10:00:00Z", "gpt-4o", "openai", 100, 20);
        send("user-1", "2026-03-06T10:00:00Z", "gpt-4o", "azure", 40, 0);
        send("user-1", "2026-03-07T10:00:00Z", LLAMA, "azure", 300, 40);

        JsonNode usage = api.getJson("/api/v1/users/user-1/usage");

        assertEquals(500, usage.get("totalTokens").asLong());
        // openai: 100 * 2.5 + 20 * 10 = 450 micro-dollars.
        JsonNode openai = usage.at("/byProvider/openai");
        assertEquals(1, openai.get("requests").asLong());
        assertEquals(100, openai.get("promptTokens").asLong());
        assertEquals(20, openai.get("completionTokens").asLong());
        assertEquals(120, openai.get("totalTokens").asLong());
        assertEquals("0.000450", openai.get("costDollars").asText());
        assertEquals(0, openai.get("unpricedRequests").asLong());
        // azure: 40 * 2.5 = 100 micro-dollars for gpt-4o, and the unpriced Llama request.
        JsonNode azure = usage.at("/byProvider/azure");
        assertEquals(2, azure.get("requests").asLong());
        assertEquals(340, azure.get("promptTokens").asLong());
        assertEquals(40, azure.get("completionTokens").asLong());
        assertEquals(380, azure.get("totalTokens").asLong());
        assertEquals("0.000100", azure.get("costDollars").asText());
        assertEquals(1, azure.get("unpricedRequests").asLong());
        assertEquals(2, usage.get("byProvider").size());
    }

    @Test
    void shouldReportPlanFieldsWithUsage() throws Exception {
        send("user-1", "2026-03-05T10:00:00Z", LLAMA, "auto", 400, 150);

        JsonNode usage = api.getJson("/api/v1/users/user-1/usage");

        assertEquals("[50,80,90,100]", usage.get("thresholdsPercent").toString());
        // 550 of 1,000 tokens reached 50 percent only.
        assertEquals("[50]", usage.get("alertedThresholds").toString());
        assertTrue(usage.get("hardStopPercent").isNull());
        assertEquals("UTC", usage.get("timeZone").asText());
    }

    @Test
    void shouldBucketDaysInPlanTimeZone() throws Exception {
        api.fixture.send(TestPlans.plan("user-ny", Instant.parse("2026-02-01T00:00:00Z"))
            .setTimeZone("America/New_York").build());
        // 23:30 on 28 February in New York (UTC-5): the last day of the February period.
        send("user-ny", "2026-03-01T04:30:00Z", LLAMA, "auto", 5, 5);
        // 23:30 on 9 March in New York, which is on daylight time (UTC-4) since 8 March.
        send("user-ny", "2026-03-10T03:30:00Z", LLAMA, "auto", 60, 40);
        // 00:30 on 10 March in New York.
        send("user-ny", "2026-03-10T04:30:00Z", LLAMA, "auto", 30, 20);

        JsonNode march = api.getJson("/api/v1/users/user-ny/usage/daily");
        assertEquals("user-ny", march.get("userId").asText());
        assertEquals("2026-03-01", march.get("period").asText());
        assertEquals("2026-03-01T05:00:00Z", march.get("periodStart").asText());
        assertEquals("2026-04-01T04:00:00Z", march.get("periodEnd").asText());
        assertEquals("America/New_York", march.get("timeZone").asText());
        JsonNode days = march.get("days");
        assertEquals(31, days.size());
        assertEquals("2026-03-01", days.get(0).get("date").asText());
        assertEquals(0, days.get(0).get("requests").asLong());
        assertEquals("2026-03-09", days.get(8).get("date").asText());
        assertEquals(1, days.get(8).get("requests").asLong());
        assertEquals(100, days.get(8).get("totalTokens").asLong());
        assertEquals("2026-03-10", days.get(9).get("date").asText());
        assertEquals(1, days.get(9).get("requests").asLong());
        assertEquals(50, days.get(9).get("totalTokens").asLong());
        assertEquals("2026-03-31", days.get(30).get("date").asText());
        long marchTokens = 0;
        for (JsonNode day : days) {
            marchTokens += day.get("totalTokens").asLong();
        }
        assertEquals(150, marchTokens);

        JsonNode february = api.getJson("/api/v1/users/user-ny/usage/daily?period=2026-02");
        JsonNode februaryDays = february.get("days");
        assertEquals(28, februaryDays.size());
        assertEquals("2026-02-28", februaryDays.get(27).get("date").asText());
        assertEquals(1, februaryDays.get(27).get("requests").asLong());
        assertEquals(10, februaryDays.get(27).get("totalTokens").asLong());
    }

    @Test
    void shouldKeepMillisecondTiesOnOnePage() throws Exception {
        Instant base = Instant.parse("2026-03-20T07:00:00Z");
        sendWithId("r1", base);
        sendWithId("r2", base.plusSeconds(1));
        sendWithId("r3", base.plusSeconds(2));
        sendWithId("r4", base.plusSeconds(2));
        sendWithId("r5", base.plusSeconds(3));

        JsonNode first = api.getJson("/api/v1/users/pager/requests?limit=2");
        assertEquals(List.of("r5", "r3", "r4"), requestIds(first));
        assertEquals("2026-03-20T07:00:02Z", first.get("nextBefore").asText());

        JsonNode second = api.getJson("/api/v1/users/pager/requests?limit=2&before=2026-03-20T07:00:02Z");
        assertEquals(List.of("r2", "r1"), requestIds(second));
        assertTrue(second.get("nextBefore").isNull());

        JsonNode tieFirst = api.getJson("/api/v1/users/pager/requests?limit=1&before=2026-03-20T07:00:02.001Z");
        assertEquals(List.of("r3", "r4"), requestIds(tieFirst));
        assertEquals("2026-03-20T07:00:02Z", tieFirst.get("nextBefore").asText());
    }

    @Test
    void shouldListAlertsOfPeriodOldestFirst() throws Exception {
        send("user-1", "2026-02-10T00:00:00Z", LLAMA, "auto", 500, 200);
        String first = send("user-1", "2026-03-05T00:00:00Z", LLAMA, "auto", 500, 100);
        String second = send("user-1", "2026-03-06T00:00:00Z", LLAMA, "auto", 300, 50);

        JsonNode march = api.getJson("/api/v1/users/user-1/alerts");
        assertEquals("user-1", march.get("userId").asText());
        assertEquals("2026-03-01", march.get("period").asText());
        JsonNode alerts = march.get("alerts");
        assertEquals(3, alerts.size());
        // 600 tokens reach 50 percent; 950 reach 80 and 90.
        assertAlert(alerts.get(0), 50, 600, "2026-03-05T00:00:00Z", first);
        assertAlert(alerts.get(1), 80, 950, "2026-03-06T00:00:00Z", second);
        assertAlert(alerts.get(2), 90, 950, "2026-03-06T00:00:00Z", second);
        assertNotEquals(alerts.get(1).get("alertId").asText(), alerts.get(2).get("alertId").asText());

        JsonNode february = api.getJson("/api/v1/users/user-1/alerts?period=2026-02");
        assertEquals(1, february.get("alerts").size());
        assertEquals(50, february.at("/alerts/0/thresholdPercent").asInt());
        assertEquals(700, february.at("/alerts/0/totalTokens").asLong());
    }

    @Test
    void shouldCheckQuotaAgainstLimitWithoutHardStop() throws Exception {
        send("user-1", "2026-03-05T00:00:00Z", LLAMA, "auto", 500, 100);

        JsonNode fits = api.getJson("/api/v1/users/user-1/quota?tokens=400");
        assertEquals("user-1", fits.get("userId").asText());
        assertEquals("2026-03-01", fits.get("period").asText());
        assertEquals(400, fits.get("requestedTokens").asLong());
        assertEquals(600, fits.get("usedTokens").asLong());
        assertEquals(1000, fits.get("limit").asLong());
        assertEquals(400, fits.get("remainingTokens").asLong());
        assertTrue(fits.get("hardStopPercent").isNull());
        assertTrue(fits.get("hardStopTokens").isNull());
        assertTrue(fits.get("withinLimit").asBoolean());
        assertTrue(fits.get("withinHardStop").isNull());
        assertTrue(fits.get("allowed").asBoolean());

        JsonNode tooMany = api.getJson("/api/v1/users/user-1/quota?tokens=401");
        assertEquals(false, tooMany.get("withinLimit").asBoolean());
        assertEquals(false, tooMany.get("allowed").asBoolean());
    }

    @Test
    void shouldCheckQuotaAgainstHardStop() throws Exception {
        api.fixture.send(TestPlans.plan("user-hs", Instant.parse("2026-02-01T00:00:00Z"))
            .setHardStopPercent(120).build());
        send("user-hs", "2026-03-05T00:00:00Z", LLAMA, "auto", 500, 100);

        // 600 + 500 = 1,100: past the 1,000 limit, within the hard stop at 120 percent, 1,200 tokens.
        JsonNode pastLimit = api.getJson("/api/v1/users/user-hs/quota?tokens=500");
        assertEquals(120, pastLimit.get("hardStopPercent").asInt());
        assertEquals(1200, pastLimit.get("hardStopTokens").asLong());
        assertEquals(false, pastLimit.get("withinLimit").asBoolean());
        assertTrue(pastLimit.get("withinHardStop").asBoolean());
        assertTrue(pastLimit.get("allowed").asBoolean());

        JsonNode atHardStop = api.getJson("/api/v1/users/user-hs/quota?tokens=600");
        assertTrue(atHardStop.get("allowed").asBoolean());

        JsonNode pastHardStop = api.getJson("/api/v1/users/user-hs/quota?tokens=601");
        assertEquals(false, pastHardStop.get("withinHardStop").asBoolean());
        assertEquals(false, pastHardStop.get("allowed").asBoolean());
    }

    @Test
    void shouldExportTotalsEqualToUsage() throws Exception {
        send("user-1", "2026-02-15T00:00:00Z", LLAMA, "auto", 10, 10);
        String e1 = send("user-1", "2026-03-02T09:00:00Z", "gpt-4o", "openai", 50, 50);
        String e2 = send("user-1", "2026-03-03T09:00:00Z", "gpt-4o", "openai", 400, 0);
        String e3 = send("user-1", "2026-03-04T09:00:00Z", LLAMA, "auto", 200, 100);

        HttpResponse<String> response = api.get("/api/v1/users/user-1/export?period=2026-03");
        assertEquals(200, response.statusCode());
        assertEquals("attachment; filename=\"usage-user-1-2026-03-01.json\"",
            response.headers().firstValue("Content-Disposition").orElse(null));
        JsonNode export = TestApi.JSON.readTree(response.body());
        JsonNode usage = api.getJson("/api/v1/users/user-1/usage?period=2026-03");
        assertEquals(usage, export.get("totals"));
        assertEquals(List.of(e1, e2, e3), requestIds(export));
        long requestTokens = 0;
        for (JsonNode request : export.get("requests")) {
            requestTokens += request.get("totalTokens").asLong();
        }
        assertEquals(800, requestTokens);
        assertEquals(800, export.at("/totals/totalTokens").asLong());

        HttpResponse<String> csv = api.get("/api/v1/users/user-1/export?period=2026-03&format=csv");
        assertEquals(200, csv.statusCode());
        assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        assertEquals("attachment; filename=\"usage-user-1-2026-03-01.csv\"",
            csv.headers().firstValue("Content-Disposition").orElse(null));
        // gpt-4o: 50 * 2.5 + 50 * 10 = 625 and 400 * 2.5 = 1,000 micro-dollars; 1,625 in all.
        String expected = "requestId,timestamp,model,provider,promptTokens,completionTokens,totalTokens,tokenSource,"
            + "costDollars\r\n"
            + e1 + ",2026-03-02T09:00:00Z,gpt-4o,openai,50,50,100,REPORTED,0.000625\r\n"
            + e2 + ",2026-03-03T09:00:00Z,gpt-4o,openai,400,0,400,REPORTED,0.001000\r\n"
            + e3 + ",2026-03-04T09:00:00Z," + LLAMA + ",auto,200,100,300,REPORTED,\r\n"
            + "TOTAL,,,,650,150,800,,0.001625\r\n";
        assertEquals(expected, csv.body());
    }

    @Test
    void shouldQuoteAndGuardCsvFields() throws Exception {
        api.fixture.send(request().setRequestId("=SUM(1,2)").setUserId("csv-user")
            .setTimestamp(Instant.parse("2026-03-02T09:00:00Z")).setModel("acme/say \"hi\"").setProvider("-p")
            .setReportedPromptTokens(5L).setReportedCompletionTokens(0L).build());

        String csv = api.get("/api/v1/users/csv-user/export?format=csv").body();

        String[] lines = csv.split("\r\n");
        assertEquals(3, lines.length, csv);
        assertEquals("\"'=SUM(1,2)\",2026-03-02T09:00:00Z,\"acme/say \"\"hi\"\"\",'-p,5,0,5,REPORTED,", lines[1]);
        assertEquals("TOTAL,,,,5,0,5,,", lines[2]);
    }

    @Test
    void shouldClearBreakdownsOnReset() throws Exception {
        send("user-1", "2026-03-05T10:00:00Z", "gpt-4o", "openai", 500, 100);
        api.fixture.send(TestPlans.reset("user-1", Instant.parse("2026-03-06T00:00:00Z")));

        JsonNode usage = api.getJson("/api/v1/users/user-1/usage");
        assertEquals(0, usage.get("totalTokens").asLong());
        assertTrue(usage.get("byModel").isEmpty());
        assertTrue(usage.get("byProvider").isEmpty());
        assertTrue(usage.get("alertedThresholds").isEmpty());
        assertEquals("UTC", usage.get("timeZone").asText());

        JsonNode days = api.getJson("/api/v1/users/user-1/usage/daily").get("days");
        assertEquals(31, days.size());
        for (JsonNode day : days) {
            assertEquals(0, day.get("requests").asLong(), day.toString());
            assertEquals(0, day.get("totalTokens").asLong(), day.toString());
        }
    }

    @Test
    void shouldRejectInvalidParametersNamingThem() throws Exception {
        String[][] cases = {
            {"/usage/daily?period=2026-13", "period"},
            {"/usage/daily?period=2026-03-02", "period"},
            {"/requests?before=yesterday", "before"},
            {"/requests?before=2026-03-20", "before"},
            {"/requests?limit=0", "limit"},
            {"/alerts?period=march", "period"},
            {"/quota", "tokens"},
            {"/quota?tokens=-1", "tokens"},
            {"/quota?tokens=1.5", "tokens"},
            {"/quota?tokens=1000000000001", "tokens"},
            {"/export?format=xml", "format"},
            {"/export?period=2026-02-30", "period"},
        };
        for (String[] testCase : cases) {
            HttpResponse<String> response = api.get("/api/v1/users/user-1" + testCase[0]);
            assertEquals(400, response.statusCode(), testCase[0]);
            JsonNode body = TestApi.JSON.readTree(response.body());
            assertEquals(400, body.get("status").asInt(), testCase[0]);
            assertEquals(testCase[1], body.get("parameter").asText(), testCase[0]);
            assertTrue(body.get("error").asText().contains(testCase[1]), body.toString());
        }
    }

    /** Sends a request with reported counts and returns its request id. */
    private String send(String userId, String time, String model, String provider, long prompt, long completion) {
        TokenRequest sent = request().setUserId(userId).setTimestamp(Instant.parse(time)).setModel(model)
            .setProvider(provider).setReportedPromptTokens(prompt).setReportedCompletionTokens(completion).build();
        api.fixture.send(sent);
        return sent.getRequestId();
    }

    private void sendWithId(String requestId, Instant time) {
        api.fixture.send(request().setRequestId(requestId).setUserId("pager").setTimestamp(time)
            .setReportedPromptTokens(1L).setReportedCompletionTokens(1L).build());
    }

    private static List<String> requestIds(JsonNode body) {
        List<String> ids = new ArrayList<>();
        for (JsonNode request : body.get("requests")) {
            ids.add(request.get("requestId").asText());
        }
        return ids;
    }

    private static void assertAlert(JsonNode alert, int threshold, long totalTokens, String timestamp,
                                    String requestId) {
        assertEquals(threshold, alert.get("thresholdPercent").asInt(), alert.toString());
        assertEquals(LIMIT, alert.get("limit").asLong(), alert.toString());
        assertEquals(totalTokens, alert.get("totalTokens").asLong(), alert.toString());
        assertEquals(timestamp, alert.get("timestamp").asText(), alert.toString());
        assertEquals(requestId, alert.get("requestId").asText(), alert.toString());
        assertEquals("request", alert.get("cause").asText(), alert.toString());
        assertTrue(!alert.get("alertId").asText().isEmpty(), alert.toString());
    }
}
