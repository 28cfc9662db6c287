package io.tokenmonitor.processor.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Collects the responses of every instance to an admin request that reads across users, for the endpoint to
 * merge. A request with {@code scope=local} reads this instance's data only. Any other request is
 * served here and also sent with {@code scope=local}, the caller's {@code Authorization} header and
 * {@link InstanceClient#FORWARDED_HEADER} to every other instance. If any instance fails to respond with 200, the whole
 * request fails with 503, so a merged answer never misses an instance's users.
 */
public final class InstanceGatherer {

    /** The query parameter that limits an admin request to this instance's data. */
    public static final String SCOPE_PARAMETER = "scope";

    /** The value of {@link #SCOPE_PARAMETER} for this instance's data only. */
    public static final String LOCAL_SCOPE = "local";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ClusterView cluster;
    private final InstanceClient client;

    public InstanceGatherer(ClusterView cluster, InstanceClient client) {
        this.cluster = cluster;
        this.client = client;
    }

    /** Returns a gatherer for a single instance, which owns every user: it returns only the local answer. */
    public static InstanceGatherer singleInstance() {
        return new InstanceGatherer(null, null);
    }

    /**
     * Returns this instance's answer first, then every other instance's answer to the same request.
     *
     * @param localAnswer builds this instance's answer from its own stores; it may throw
     *     {@link org.apache.kafka.streams.errors.InvalidStateStoreException}, which the API maps to 503
     * @throws UnavailableException if Kafka Streams is not running or another instance cannot be reached or
     *     does not answer 200
     * @throws BadRequestException if {@code scope} has a value other than {@code local}
     */
    public List<JsonNode> gather(Context ctx, Supplier<JsonNode> localAnswer) throws InterruptedException {
        if (isLocalScope(ctx) || cluster == null) {
            return List.of(localAnswer.get());
        }
        KafkaStreams.State state = cluster.state();
        if (state != KafkaStreams.State.RUNNING) {
            throw new UnavailableException("Kafka Streams is " + state + ", so not every instance's data can be "
                + "read now; retry shortly");
        }

        // The local answer comes first, so an invalid parameter fails here before any other instance is called.
        List<JsonNode> answers = new ArrayList<>();
        answers.add(localAnswer.get());

        String query = localScopeQuery(ctx);
        Map<HostInfo, CompletableFuture<HttpResponse<byte[]>>> pending = new LinkedHashMap<>();
        for (HostInfo instance : cluster.allInstances()) {
            if (!instance.equals(client.self())) {
                pending.put(instance, client.sendAsync(instance, ctx, query));
            }
        }
        for (Map.Entry<HostInfo, CompletableFuture<HttpResponse<byte[]>>> entry : pending.entrySet()) {
            answers.add(await(entry.getKey(), entry.getValue()));
        }
        return answers;
    }

    private static boolean isLocalScope(Context ctx) {
        String scope = ctx.queryParam(SCOPE_PARAMETER);
        if (scope == null) {
            return false;
        }
        if (!scope.equals(LOCAL_SCOPE)) {
            throw new BadRequestException(SCOPE_PARAMETER, "Invalid scope '" + scope + "': expected local or "
                + "no scope for every instance's data");
        }
        return true;
    }

    /** Returns the request's query parameters with {@code scope=local}, in the form of a query string. */
    private static String localScopeQuery(Context ctx) {
        StringBuilder query = new StringBuilder();
        for (Map.Entry<String, List<String>> parameter : ctx.queryParamMap().entrySet()) {
            if (parameter.getKey().equals(SCOPE_PARAMETER)) {
                continue;
            }
            for (String value : parameter.getValue()) {
                query.append(encode(parameter.getKey())).append('=').append(encode(value)).append('&');
            }
        }
        return query.append(SCOPE_PARAMETER).append('=').append(LOCAL_SCOPE).toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static JsonNode await(HostInfo instance, CompletableFuture<HttpResponse<byte[]>> future)
        throws InterruptedException {
        String name = instance.host() + ":" + instance.port();
        HttpResponse<byte[]> answer;
        try {
            answer = future.get();
        } catch (ExecutionException | CompletionException e) {
            throw new UnavailableException("Instance " + name + " cannot be reached; retry shortly", e.getCause());
        }
        if (answer.statusCode() != 200) {
            throw new UnavailableException("Instance " + name + " responded " + answer.statusCode()
                + " instead of its data; retry shortly");
        }
        try {
            return JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new UnavailableException("Instance " + name + " responded with invalid JSON", e);
        }
    }
}
