package io.tokenmonitor.processor.estimation.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import io.tokenmonitor.processor.estimation.CalibratedEstimator;
import io.tokenmonitor.processor.estimation.ExactTokenizers;
import io.tokenmonitor.processor.estimation.ModelFamily;
import io.tokenmonitor.processor.estimation.TokenCounter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Measures how many megabytes of text per second each estimator counts, with JMH, on every prompt (once) and
 * every completion of the shared request files. One benchmark operation counts all texts once. A megabyte is
 * 10^6 bytes of the texts encoded as UTF-8.
 *
 * <p>Run it with {@code tools/calibration/throughput.sh}; the only argument is the request data folder.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ThroughputBenchmark {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Folder of the request files; the main method sets it for the forked benchmark JVMs. */
    @Param("")
    public String dataDirectory;

    private String[] texts;
    private final TokenCounter fourCharacters = new FourCharactersPerToken();
    private final TokenCounter calibrated = CalibratedEstimator.forFamily(ModelFamily.LLAMA3);

    private final EncodingRegistry jtokkit = Encodings.newLazyEncodingRegistry();
    private final Encoding jtokkitO200k = jtokkit.getEncoding("o200k_base").orElseThrow();
    private final Encoding jtokkitCl100k = jtokkit.getEncoding("cl100k_base").orElseThrow();
    private final ExactTokenizers exactTokenizers = ExactTokenizers.openAiOnly();
    private final TokenCounter bytePairO200k = exactTokenizers.counterFor("o200k_base").orElseThrow();
    private final TokenCounter bytePairCl100k = exactTokenizers.counterFor("cl100k_base").orElseThrow();

    @Setup
    public void loadTexts() {
        texts = readTexts(Path.of(dataDirectory)).toArray(String[]::new);
    }

    @Benchmark
    public long fourCharactersPerToken() {
        return countAll(fourCharacters);
    }

    @Benchmark
    public long calibratedEstimator() {
        return countAll(calibrated);
    }

    /**
     * Counts every text exactly with jtokkit 1.1.0's o200k_base encoding, as for gpt-4o and later OpenAI models.
     * This was ExactTokenCounter's implementation before its own byte-pair counter, which must give equal counts.
     */
    @Benchmark
    public long exactO200k() {
        return countAll(jtokkitO200k::countTokensOrdinary);
    }

    /** Counts every text with ExactTokenCounter for o200k_base, the project's own byte-pair counter. */
    @Benchmark
    public long bytePairO200k() {
        return countAll(bytePairO200k);
    }

    /** Counts every text exactly with jtokkit 1.1.0's cl100k_base encoding, which splits without a regex. */
    @Benchmark
    public long exactCl100k() {
        return countAll(jtokkitCl100k::countTokensOrdinary);
    }

    /** Counts every text with ExactTokenCounter for cl100k_base. */
    @Benchmark
    public long bytePairCl100k() {
        return countAll(bytePairCl100k);
    }

    private long countAll(TokenCounter counter) {
        long tokens = 0;
        for (String text : texts) {
            tokens += counter.count(text);
        }
        return tokens;
    }

    public static void main(String[] args) throws RunnerException {
        if (args.length != 1) {
            System.err.println("Usage: ThroughputBenchmark DATA_DIRECTORY (the folder of the request JSON files)");
            System.exit(2);
        }
        Path data = Path.of(args[0]).toAbsolutePath();
        List<String> texts = readTexts(data);
        long utf8Bytes = texts.stream().mapToLong(text -> text.getBytes(StandardCharsets.UTF_8).length).sum();

        Options options = new OptionsBuilder()
            .include(ThroughputBenchmark.class.getName() + "\\.")
            .param("dataDirectory", data.toString())
            .forks(1)
            .warmupIterations(3)
            .warmupTime(TimeValue.seconds(2))
            .measurementIterations(5)
            .measurementTime(TimeValue.seconds(2))
            .build();
        List<RunResult> results = new ArrayList<>(new Runner(options).run());

        System.out.printf(Locale.ROOT, "%nTexts: %d, %.2f MB as UTF-8, from %s%n", texts.size(), utf8Bytes / 1e6, data);
        System.out.printf(Locale.ROOT, "%-24s %12s %12s%n", "estimator", "MB/s", "error (99%)");
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark();
            double operationsPerSecond = result.getPrimaryResult().getScore();
            double error = result.getPrimaryResult().getScoreError();
            System.out.printf(Locale.ROOT, "%-24s %12.1f %12.1f%n", name.substring(name.lastIndexOf('.') + 1),
                operationsPerSecond * utf8Bytes / 1e6, error * utf8Bytes / 1e6);
        }
    }

    /** Reads every prompt once and every completion of the *.json request files in a folder. */
    public static List<String> readTexts(Path directory) {
        List<String> texts = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> requestFiles = files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
            if (requestFiles.isEmpty()) {
                throw new IllegalArgumentException("No *.json request files in " + directory);
            }
            for (int i = 0; i < requestFiles.size(); i++) {
                JsonNode records = MAPPER.readTree(requestFiles.get(i).toFile());
                for (JsonNode record : records) {
                    if (i == 0) {
                        texts.add(record.path("instruction").asText());
                    }
                    texts.add(record.path("output").asText());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read request files in " + directory, e);
        }
        return texts;
    }
}
