package io.tokenmonitor.processor.estimation;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Measures how many megabytes of UTF-8 text per second {@link ExactTokenCounter} counts, on one thread.
 *
 * <p>Run from the repository root after a build:
 * <pre>
 * mvn -B -q -pl processor -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/processor.cp
 * java -cp processor/target/test-classes:processor/target/classes:$(cat /tmp/processor.cp) \
 *     io.tokenmonitor.processor.estimation.ExactTokenCounterThroughput [tokenizer-directory]
 * </pre>
 * With a directory that contains {@code llama3.tiktoken}, Llama 3 is measured too. The text is generated
 * from a fixed seed: English-like words, HTML with utility classes, code and numbers, about 4 MB in all. The
 * best of five rounds is reported after three warm-up rounds, so the figure is an upper estimate.
 */
public final class ExactTokenCounterThroughput {

    private static final int TEXT_BYTES = 4_000_000;
    private static final int WARMUP_ROUNDS = 3;
    private static final int MEASURED_ROUNDS = 5;

    private ExactTokenCounterThroughput() {
    }

    public static void main(String[] args) {
        Optional<Path> directory = args.length > 0 ? Optional.of(Path.of(args[0])) : Optional.empty();
        ModelCatalog catalog = ModelCatalog.loadShipped();
        ExactTokenizers tokenizers = new ExactTokenizers(directory, catalog.customTokenizers());

        String text = generateText(TEXT_BYTES);
        double megabytes = text.getBytes(StandardCharsets.UTF_8).length / 1_000_000.0;
        System.out.printf("text: %.2f MB, %d chars%n", megabytes, text.length());

        for (String name : List.of("cl100k_base", "o200k_base", "llama3")) {
            Optional<ExactTokenCounter> counter = tokenizers.counterFor(name);
            if (counter.isEmpty()) {
                System.out.printf("%s: not loaded%n", name);
                continue;
            }
            measure(name, counter.get(), text, megabytes);
        }
    }

    private static void measure(String name, ExactTokenCounter counter, String text, double megabytes) {
        long tokens = 0;
        for (int round = 0; round < WARMUP_ROUNDS; round++) {
            tokens = counter.count(text);
        }

        double bestSeconds = Double.MAX_VALUE;
        for (int round = 0; round < MEASURED_ROUNDS; round++) {
            long start = System.nanoTime();
            tokens = counter.count(text);
            bestSeconds = Math.min(bestSeconds, (System.nanoTime() - start) / 1e9);
        }
        System.out.printf("%s: %d tokens, best of %d rounds %.3f s, %.1f MB/s%n",
            name, tokens, MEASURED_ROUNDS, bestSeconds, megabytes / bestSeconds);
    }

    private static String generateText(int targetBytes) {
        String[] words = {"the", "token", "usage", "monitor", "counts", "every", "request", "and", "prices", "it",
            "model", "provider", "budget", "month", "alert", "streams", "window", "kafka", "exactly", "once"};
        String[] snippets = {
            "<div class=\"flex items-center justify-between p-4 bg-white shadow-md rounded-lg\">",
            "<a href=\"/pricing\" class=\"text-sm font-medium text-gray-700 hover:text-indigo-600\">Pricing</a>",
            "for (int i = 0; i < items.size(); i++) { total += items.get(i).priceMicros(); }",
            "<path d=\"M12 2L2 7l10 5 10-5-10-5zm0 13.5L4.5 11 2 12.25l10 5 10-5-2.5-1.25L12 15.5z\"/>",
        };
        Random random = new Random(42);
        StringBuilder text = new StringBuilder(targetBytes + 200);
        while (text.length() < targetBytes) {
            int kind = random.nextInt(10);
            if (kind < 6) {
                for (int i = 0; i < 12; i++) {
                    text.append(words[random.nextInt(words.length)]).append(' ');
                }
                text.append(". ");
            } else if (kind < 9) {
                text.append(snippets[random.nextInt(snippets.length)]).append('\n');
            } else {
                text.append(random.nextInt(1_000_000)).append('.').append(random.nextInt(100)).append(' ');
            }
        }
        return text.toString();
    }
}
