package io.tokenmonitor.processor.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenmonitor.processor.plan.DefaultPlan;
import io.tokenmonitor.processor.query.UsageQueries;
import io.tokenmonitor.processor.topology.TopologyFixture;
import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.serde.AvroSerde;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The real topology in a TopologyTestDriver behind an {@link ApiServer} on an ephemeral port of 127.0.0.1,
 * with open access, a single-instance router and a fixed clock.
 */
final class TestApi implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final TopologyFixture fixture;
    private final ApiServer server;
    private final int port;
    private final String baseUrl;
    private final HttpClient http = HttpClient.newHttpClient();

    /**
     * @param limit the default plan's monthly limit; its thresholds are 50, 80, 90 and 100 percent, in UTC
     * @param now the instant the server takes as the current time
     */
    TestApi(long limit, Path stateDir, Instant now) {
        fixture = new TopologyFixture(limit, stateDir);
        AvroSerde<TokenUsage> usageSerde = new AvroSerde<>(fixture.registry, TokenUsage.class);
        DefaultPlan defaultPlan = DefaultPlan.HF_PRO.withMonthlyTokenLimit(limit);
        server = new ApiServer(new ApiServices(
            localStores -> new UsageQueries(localStores, usageSerde, defaultPlan),
            fixture.stores(),
            QueryRouter.singleInstance(fixture.stores()),
            AccessControl.OPEN,
            fixture.rejections,
            () -> KafkaStreams.State.RUNNING,
            Clock.fixed(now, ZoneOffset.UTC)));
        port = server.start("127.0.0.1", 0);
        baseUrl = "http://127.0.0.1:" + port;
    }

    /** Returns the ephemeral port the server listens on, for clients that write raw HTTP. */
    int port() {
        return port;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Returns the JSON body of a GET that must return 200. */
    JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " returned " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        server.close();
        fixture.close();
    }
}
