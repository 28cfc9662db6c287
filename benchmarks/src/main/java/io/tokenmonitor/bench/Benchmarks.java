package io.tokenmonitor.bench;

import io.tokenmonitor.bench.latency.LatencyBenchmark;
import io.tokenmonitor.bench.queries.QueriesBenchmark;
import io.tokenmonitor.bench.scale.ScaleBenchmark;
import io.tokenmonitor.bench.throughput.ThroughputBenchmark;
import picocli.CommandLine.Command;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

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
            // Invalid options and a missing data folder are the user's to fix, so they get the message alone.
            if (exception instanceof IllegalArgumentException || exception instanceof NoSuchFileException) {
                failedCommand.getErr().println("Error: " + describe(exception));
                return 2;
            }
            failedCommand.getErr().println("Benchmark failed: " + exception);
            exception.printStackTrace(failedCommand.getErr());
            return 1;
        });
        return commandLine.execute(args);
    }

    private static String describe(Exception exception) {
        if (exception instanceof NoSuchFileException missing) {
            return "Request data folder " + missing.getFile() + " does not exist. Set --data or "
                + RequestCorpus.DATA_ENV + " to the folder of the request files";
        }
        return exception.getMessage();
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
