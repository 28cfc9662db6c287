package io.tokenmonitor.bench.throughput;

import io.tokenmonitor.bench.BenchStack;
import io.tokenmonitor.bench.Preload;
import io.tokenmonitor.bench.RequestCorpus;
import io.tokenmonitor.bench.Result;
import io.tokenmonitor.bench.Samples;
import io.tokenmonitor.kafka.KafkaClientSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures how fast three consumers catch up on the same preloaded {@code token-requests}: a plain consumer of
 * bytes, a pass-through Kafka Streams application with the topic's Avro serde, and the product's full topology,
 * the last two with exactly-once. The ratios show what the topology costs beyond reading, decoding and writing.
 */
@Command(name = "throughput",
    mixinStandardHelpOptions = true,
    description = "Catch-up throughput of the full topology, a pass-through Streams application and a plain "
        + "consumer on the same preloaded requests, in events per second, with their ratios.")
public final class ThroughputBenchmark implements Callable<Integer> {

    @Option(names = "--requests", description = "Requests preloaded into token-requests (default: ${DEFAULT-VALUE}).")
    long requests = 300_000;

    @Option(names = "--users", description = "Distinct users the requests are spread over (default: ${DEFAULT-VALUE}).")
    int users = 100_000;

    @Option(names = "--partitions", description = "Partitions of each product topic (default: ${DEFAULT-VALUE}).")
    int partitions = 6;

    @Option(names = "--runs", description = "Times each consumer is measured. The median is printed "
        + "(default: ${DEFAULT-VALUE}).")
    int runs = 3;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE", description = "A Kafka setting added to the "
        + "product's Streams settings in the pass-through and full phases, to measure a tuning; repeatable.")
    List<String> kafkaProperties = new ArrayList<>();

    @Option(names = "--data", description = "Folder of the request files (default: $TOKEN_MONITOR_REQUEST_DATA, "
        + "else shared/data/llm-requests above the working directory).")
    Path data;

    @Override
    public Integer call() throws Exception {
        if (requests < 1 || users < 1 || partitions < 1 || runs < 1) {
            throw new IllegalArgumentException("--requests, --users, --partitions and --runs must be positive");
        }
        RequestCorpus corpus = RequestCorpus.load(data);
        List<Round> rounds = new ArrayList<>();
        Duration preload;
        try (BenchStack stack = BenchStack.start(partitions)) {
            preload = preload(stack, corpus, requests, users);
            System.out.printf("Preloaded %,d requests over %,d users in %s%n", requests, users, preload);
            CatchUpPhases phases = CatchUpPhases.of(stack,
                KafkaClientSettings.load(kafkaProperties, null, Map.of()));
            for (int run = 1; run <= runs; run++) {
                Round round = Round.measure(phases);
                System.out.printf("run %d: plain %,.0f/s, pass-through %,.0f/s, full %,.0f/s (start-up %.0f ms)%n",
                    run, round.plain.eventsPerSecond(), round.passThrough.eventsPerSecond(),
                    round.full.eventsPerSecond(), round.full.startupMs());
                rounds.add(round);
            }
        }
        result(rounds, preload).print(System.out);
        return 0;
    }

    /**
     * Writes the requests with event times a few minutes before now and increasing, so none is late, none is in
     * the future and all fall in the current billing month unless the run starts just after a month begins.
     */
    static Duration preload(BenchStack stack, RequestCorpus corpus, long requests, int users)
        throws InterruptedException {
        Instant base = Instant.now().minus(Duration.ofMinutes(2));
        return Preload.requests(stack, corpus, requests, users, i -> base.plusNanos(i * 1_000));
    }

    private Result result(List<Round> rounds, Duration preload) {
        Result result = new Result("throughput")
            .put("requests", requests)
            .put("users", users)
            .put("partitions", partitions)
            .put("runs", runs)
            .put("kafkaProperties", String.join(" ", kafkaProperties))
            .put("preloadSeconds", preload.toMillis() / 1000.0);
        put(result, "plainEventsPerSecond", rounds, round -> round.plain.eventsPerSecond());
        put(result, "passThroughEventsPerSecond", rounds, round -> round.passThrough.eventsPerSecond());
        put(result, "fullEventsPerSecond", rounds, round -> round.full.eventsPerSecond());
        put(result, "fullToPassThroughRatio", rounds,
            round -> round.full.eventsPerSecond() / round.passThrough.eventsPerSecond());
        put(result, "fullToPlainRatio", rounds, round -> round.full.eventsPerSecond() / round.plain.eventsPerSecond());
        put(result, "plainStartupMs", rounds, round -> round.plain.startupMs());
        put(result, "passThroughStartupMs", rounds, round -> round.passThrough.startupMs());
        put(result, "fullStartupMs", rounds, round -> round.full.startupMs());
        put(result, "passThroughLastRecordToCommitMs", rounds, round -> round.passThrough.committedMs());
        put(result, "fullLastRecordToCommitMs", rounds, round -> round.full.committedMs());
        return result;
    }

    /** Puts the median over the runs; ratios are medians of each run's own ratio. */
    private static void put(Result result, String name, List<Round> rounds, ToDoubleFunction<Round> figure) {
        result.put(name, Samples.median(rounds.stream().map(figure::applyAsDouble).toList()));
    }

    /** One measurement of each consumer, one after another on the same input. */
    record Round(PhaseTiming plain, PhaseTiming passThrough, PhaseTiming full) {

        static Round measure(CatchUpPhases phases) throws InterruptedException {
            PhaseTiming plain = phases.plainConsumer();
            PhaseTiming passThrough = phases.passThrough();
            PhaseTiming full = phases.fullTopology();
            return new Round(plain, passThrough, full);
        }
    }
}
