package io.tokenmonitor.bench;

import io.tokenmonitor.bench.latency.LatencyBenchmark;
import io.tokenmonitor.bench.queries.QueriesBenchmark;
import io.tokenmonitor.bench.scale.ScaleBenchmark;
import io.tokenmonitor.bench.throughput.ThroughputBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code ./benchmark}: one subcommand per benchmark. Each prints its figures as aligned text
 * and ends with one line {@code RESULT {...}} holding the same figures as JSON.
 */
@Command(name = "benchmark",
    mixinStandardHelpOptions = true,
    description = "Measures the processor on the in-process broker: throughput, latency, queries and scale.",
    subcommands = {ThroughputBenchmark.class, LatencyBenchmark.class, QueriesBenchmark.class,
        ScaleBenchmark.class})
public final class Benchmarks implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a subcommand and returns its exit code. */
    public static int run(String... args) {
        CommandLine commandLine = new CommandLine(new Benchmarks());
        commandLine.setExecutionExceptionHandler((exception, failedCommand, parseResult) -> {
            failedCommand.getErr().println("Benchmark failed: " + exception);
            exception.printStackTrace(failedCommand.getErr());
            return 1;
        });
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
