package io.tokenmonitor.bench.queries;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenmonitor.bench.BenchStack;
import io.tokenmonitor.bench.ExitCleanup;
import io.tokenmonitor.bench.FreePorts;
import io.tokenmonitor.bench.Preload;
import io.tokenmonitor.bench.RequestCorpus;
import io.tokenmonitor.bench.Result;
import io.tokenmonitor.bench.Samples;
import io.tokenmonitor.processor.TokenMonitorProcessor;
import io.tokenmonitor.processor.config.ApiTokens;
import io.tokenmonitor.processor.config.ProcessorConfig;
import io.tokenmonitor.processor.topology.TokenMonitorTopology;
import io.tokenmonitor.registry.RestSchemaRegistryClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Latency of {@code GET /api/v1/users/{id}/usage} on instance A of two processor instances of one application,
 * both in this JVM, under an open-loop load at a fixed rate. A serves users whose partition it owns from its own
 * stores (local users), and forwards the requests for the other users to instance B over HTTP (forwarded users).
 */
@Command(name = "queries",
    mixinStandardHelpOptions = true,
    description = "Measures per-user usage queries on one of two processor instances: requests/s and "
        + "p50/p99/max latency for local and forwarded users at a fixed offered rate.")
public final class QueriesBenchmark implements Callable<Integer> {

    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--users", description = "Distinct users preloaded and queried (default: ${DEFAULT-VALUE}).")
    int users = 10_000;

    @Option(names = "--requests-per-user", description = "Request events preloaded per user "
        + "(default: ${DEFAULT-VALUE}).")
    int requestsPerUser = 2;

    @Option(names = "--partitions", description = "Partitions of each product topic (default: ${DEFAULT-VALUE}).")
    int partitions = 6;

    @Option(names = "--rate", description = "Offered load in requests per second (default: ${DEFAULT-VALUE}).")
    int rate = 2000;

    @Option(names = "--connections", description = "Keep-alive connections of the load generator, each with "
        + "its own thread (default: ${DEFAULT-VALUE}).")
    int connections = 8;

    @Option(names = "--warm-up", description = "Load before each measurement, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration warmUp = Duration.ofSeconds(5);

    @Option(names = "--duration", description = "Measured load per run, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration duration = Duration.ofSeconds(30);

    @Option(names = "--runs", description = "Measured runs on the same instances; the figures are their medians "
        + "(default: ${DEFAULT-VALUE}).")
    int runs = 3;

    @Option(names = "--wrk", description = "Also run wrk (from the PATH) for this long on one local user's URL "
        + "after the runs, ISO-8601; PT0S skips it (default: ${DEFAULT-VALUE}).")
    Duration wrkDuration = Duration.ofSeconds(10);

    @Option(names = "--data", description = "Folder of the request files (default: $"
        + RequestCorpus.DATA_ENV + ", else shared/data/llm-requests above the working directory).")
    Path dataFolder;

    @Override
    public Integer call() throws Exception {
        if (users < 2 || requestsPerUser < 1 || partitions < 2 || rate < 1 || connections < 1 || runs < 1) {
            throw new IllegalArgumentException("--users and --partitions must be at least 2, so that each instance "
                + "owns users, and --requests-per-user, --rate, --connections and --runs at least 1; got users "
                + users + ", partitions " + partitions + ", requests per user " + requestsPerUser + ", rate " + rate
                + ", connections " + connections + ", runs " + runs);
        }
        if (duration.isNegative() || duration.isZero() || warmUp.isNegative() || wrkDuration.isNegative()) {
            throw new IllegalArgumentException("--duration must be positive and --warm-up and --wrk not negative, got "
                + duration + ", " + warmUp + " and " + wrkDuration);
        }
        RequestCorpus corpus = RequestCorpus.load(dataFolder);
        String adminToken = ApiTokens.generate();
        Path stateRoot = ExitCleanup.temporaryDirectory("token-monitor-bench-queries-");
        List<TokenMonitorProcessor> instances = new ArrayList<>();
        try (BenchStack stack = BenchStack.start(partitions)) {
            try {
                return measure(stack, corpus, adminToken, stateRoot, instances);
            } finally {
                // The instances stop before the broker, so their last commits and leaving the group succeed.
                for (TokenMonitorProcessor instance : instances) {
                    instance.close();
                }
            }
        } finally {
            BenchStack.deleteTree(stateRoot);
        }
    }

    private int measure(BenchStack stack, RequestCorpus corpus, String adminToken, Path stateRoot,
                        List<TokenMonitorProcessor> instances) throws Exception {
        String applicationId = "bench-queries-" + System.currentTimeMillis();
        List<Integer> ports = FreePorts.take(2);
        for (int i = 0; i < 2; i++) {
            ProcessorConfig config = ProcessorConfig.defaults()
                .withApplicationId(applicationId)
                .withBootstrapServers(stack.bootstrapServers())
                .withSchemaRegistryUrl(stack.registryUrl())
                .withStateDir(stateRoot.resolve("instance-" + i))
                .withHttpHost("127.0.0.1")
                .withAdvertisedHost("127.0.0.1")
                .withHttpPort(ports.get(i));
            instances.add(TokenMonitorProcessor.start(config, new RestSchemaRegistryClient(stack.registryUrl()),
                ApiTokens.of(adminToken, Map.of())));
        }
        TokenMonitorProcessor instanceA = instances.get(0);

        long count = (long) users * requestsPerUser;
        Instant firstEvent = Instant.now().minusSeconds(60);
        System.out.printf("Preloading %,d requests for %,d users ...%n", count, users);
        Preload.requests(stack, corpus, count, users, i -> firstEvent.plusNanos(i * 1_000L));
        for (TokenMonitorProcessor instance : instances) {
            instance.awaitRunning(WAIT);
        }
        awaitEveryUserQueryable(instanceA, adminToken);

        UserClassification classification = classify(instanceA);
        System.out.printf("Instance A on port %d owns %,d of %,d users; the rest are forwarded to port %d%n",
            instanceA.httpPort(), classification.localCount(), users, instances.get(1).httpPort());
        if (classification.localCount() == 0 || classification.localCount() == users) {
            throw new IllegalStateException("Instance A owns " + classification.localCount() + " of " + users
                + " users, so local and forwarded requests cannot both be measured; use more partitions");
        }

        InetSocketAddress address = new InetSocketAddress("127.0.0.1", instanceA.httpPort());
        LoadGenerator load = new LoadGenerator(address, "Authorization: Bearer " + adminToken + "\r\n",
            classification, connections);
        List<LoadGenerator.Outcome> outcomes = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            LoadGenerator.Outcome outcome = load.run(rate, warmUp, duration, run);
            printRun(run, outcome);
            outcomes.add(outcome);
        }
        if (!classification.sameAs(classify(instanceA))) {
            throw new IllegalStateException("The partition assignment changed during the runs, so the "
                + "local/forwarded split is not trustworthy; rerun");
        }

        Result result = summarize(classification, outcomes);
        if (!wrkDuration.isZero()) {
            int localUser = classification.indexes(true).get(0);
            WrkCrossCheck.run(address, classification.usagePath(localUser), adminToken, connections,
                wrkDuration).forEach(result::put);
        }
        result.print(System.out);
        return 0;
    }

    private Result summarize(UserClassification classification, List<LoadGenerator.Outcome> outcomes) {
        Result result = new Result("queries")
            .put("users", users)
            .put("localUsers", classification.localCount())
            .put("partitions", partitions)
            .put("offeredRequestsPerSecond", rate)
            .put("connections", connections)
            .put("runs", runs)
            .put("measuredSecondsPerRun", duration.toMillis() / 1000.0)
            .put("requestsPerSecond", median(outcomes, LoadGenerator.Outcome::requestsPerSecond))
            .put("errorsInAllRuns", outcomes.stream().mapToLong(LoadGenerator.Outcome::errors).sum());
        putLatencies(result, "local", outcomes.stream().map(LoadGenerator.Outcome::local).toList());
        putLatencies(result, "forwarded", outcomes.stream().map(LoadGenerator.Outcome::forwarded).toList());
        return result;
    }

    private static void putLatencies(Result result, String prefix, List<Samples> runSamples) {
        result.put(prefix + "Requests", median(runSamples, samples -> samples.count()));
        result.put(prefix + "P50Ms", median(runSamples, samples -> samples.percentileMs(50)));
        result.put(prefix + "P99Ms", median(runSamples, samples -> samples.percentileMs(99)));
        result.put(prefix + "MaxMs", median(runSamples, Samples::maxMs));
    }

    private static <T> double median(List<T> runs, ToDoubleFunction<T> figure) {
        return Samples.median(runs.stream().map(run -> figure.applyAsDouble(run)).toList());
    }

    private static void printRun(int run, LoadGenerator.Outcome outcome) {
        System.out.printf("Run %d: %,.0f requests/s, %d errors; local p50 %.2f p99 %.2f max %.2f ms (%,d); "
                + "forwarded p50 %.2f p99 %.2f max %.2f ms (%,d)%n",
            run, outcome.requestsPerSecond(), outcome.errors(),
            outcome.local().percentileMs(50), outcome.local().percentileMs(99), outcome.local().maxMs(),
            outcome.local().count(),
            outcome.forwarded().percentileMs(50), outcome.forwarded().percentileMs(99), outcome.forwarded().maxMs(),
            outcome.forwarded().count());
    }

    /** Marks each user local when Kafka Streams on {@code instance} names that instance as the active host. */
    private UserClassification classify(TokenMonitorProcessor instance) {
        KafkaStreams streams = instance.streams();
        HostInfo self = new HostInfo("127.0.0.1", instance.httpPort());
        StringSerializer serializer = new StringSerializer();
        return UserClassification.of(users, userId -> {
            KeyQueryMetadata owner = streams.queryMetadataForKey(TokenMonitorTopology.USAGE_PERIODS_STORE, userId,
                serializer);
            return self.equals(owner.activeHost());
        });
    }

    /**
     * Waits until instance A returns every user's usage with all preloaded requests counted. About half of these
     * requests are forwarded, so this also checks forwarding to B.
     */
    private void awaitEveryUserQueryable(TokenMonitorProcessor instance, String adminToken) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Instant deadline = Instant.now().plus(WAIT);
        Map<Integer, String> lastAnswer = new LinkedHashMap<>();
        for (int user = 0; user < users; user++) {
            lastAnswer.put(user, "no answer yet");
        }
        while (!lastAnswer.isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                Map.Entry<Integer, String> first = lastAnswer.entrySet().iterator().next();
                throw new TimeoutException(lastAnswer.size() + " users were not fully counted within " + WAIT
                    + ", for example " + UserClassification.userId(first.getKey()) + ": " + first.getValue());
            }
            for (var iterator = lastAnswer.entrySet().iterator(); iterator.hasNext(); ) {
                Map.Entry<Integer, String> entry = iterator.next();
                URI uri = URI.create("http://127.0.0.1:" + instance.httpPort()
                    + "/api/v1/users/" + UserClassification.userId(entry.getKey()) + "/usage");
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                        .header("Authorization", "Bearer " + adminToken).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && counted(response.body()) == requestsPerUser) {
                    iterator.remove();
                } else {
                    entry.setValue(response.statusCode() + " " + response.body());
                }
            }
            if (!lastAnswer.isEmpty()) {
                Thread.sleep(500);
            }
        }
    }

    private static long counted(String body) throws Exception {
        JsonNode requests = JSON.readTree(body).get("requests");
        return requests == null ? -1 : requests.asLong();
    }
}
