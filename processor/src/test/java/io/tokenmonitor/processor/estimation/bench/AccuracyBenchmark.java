package io.tokenmonitor.processor.estimation.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenmonitor.processor.estimation.CalibratedEstimator;
import io.tokenmonitor.processor.estimation.ModelFamily;
import io.tokenmonitor.processor.estimation.TokenCounter;
import io.tokenmonitor.processor.estimation.UsageEstimator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Compares the four-characters baseline and the calibrated estimator with exact token counts, per request
 * file and per source (prompt, completion, and their sum per request).
 *
 * <p>Run it with {@code tools/calibration/accuracy.sh}, which counts the exact tokens with the npm tokenizers
 * into {@code tools/calibration/target/exact-counts.json} and passes that file as the only argument. The request
 * texts are read from the data folder named in that file.
 */
public final class AccuracyBenchmark {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ROW_FORMAT = "%-33s %-8s %-10s %8s  %7s %8s  %7s %8s  %7s %8s  %s%n";

    private static final UsageEstimator CHAIN = UsageEstimator.shipped();

    private AccuracyBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("Usage: AccuracyBenchmark EXACT_COUNTS_JSON (written by tools/calibration/exact-counts.mjs)");
            System.exit(2);
        }
        JsonNode exactCounts = MAPPER.readTree(Path.of(args[0]).toFile());
        Path dataDirectory = Path.of(exactCounts.path("dataDirectory").asText());

        System.out.println("Token estimates against exact tokenizer counts, data from " + dataDirectory);
        System.out.println("MAPE: mean absolute percentage error per request. Bias: (estimated total - exact total)"
            + " / exact total.");
        System.out.println("total: prompt plus completion of each request, each estimated on its own.");
        printTable("All 805 records of each file", exactCounts, dataDirectory, Subset.ALL);
        printTable("Held-out records only (odd index, not used to fit the weights)", exactCounts, dataDirectory,
            Subset.HELD_OUT);
    }

    private static void printTable(String title, JsonNode exactCounts, Path dataDirectory, Subset subset)
        throws IOException {
        System.out.println();
        System.out.println(title);
        System.out.printf(Locale.ROOT, ROW_FORMAT, "", "", "", "", "4 chars/token", "", "calibrated", "",
            "product chain", "", "");
        System.out.printf(Locale.ROOT, ROW_FORMAT, "file", "family", "source", "requests", "MAPE", "bias",
            "MAPE", "bias", "MAPE", "bias", "estimator");

        for (JsonNode fileCounts : exactCounts.path("files")) {
            String file = fileCounts.path("file").asText();
            if (fileCounts.path("family").isNull()) {
                System.out.printf(Locale.ROOT, "%-33s skipped: no exact tokenizer for this model is available"
                    + " offline%n", file);
                continue;
            }
            ModelFamily family = ModelFamily.valueOf(fileCounts.path("family").asText());
            JsonNode records = MAPPER.readTree(dataDirectory.resolve(file).toFile());
            RequestTexts texts = RequestTexts.of(records, fileCounts, family, subset);

            TokenCounter baseline = new FourCharactersPerToken();
            TokenCounter calibrated = CalibratedEstimator.forFamily(family);
            // The counter the processor uses for this file's model, with the shipped catalogue and no
            // tokenizer directory: exact for OpenAI encodings, calibrated for the other families.
            UsageEstimator.Counter chain = CHAIN.counterFor(records.get(0).path("generator").asText());
            for (Source source : Source.values()) {
                ErrorSummary baselineError = texts.errors(baseline, source);
                ErrorSummary calibratedError = texts.errors(calibrated, source);
                ErrorSummary chainError = texts.errors(chain.counter(), source);
                System.out.printf(Locale.ROOT, ROW_FORMAT, file, family, source.label, baselineError.requests(),
                    percent(baselineError.meanAbsolutePercentError()), signedPercent(baselineError.biasPercent()),
                    percent(calibratedError.meanAbsolutePercentError()),
                    signedPercent(calibratedError.biasPercent()),
                    percent(chainError.meanAbsolutePercentError()), signedPercent(chainError.biasPercent()),
                    chain.name());
                file = "";
            }
        }
    }

    private static String percent(double value) {
        return String.format(Locale.ROOT, "%.1f%%", value);
    }

    private static String signedPercent(double value) {
        return String.format(Locale.ROOT, "%+.1f%%", value);
    }

    enum Subset { ALL, HELD_OUT }

    enum Source {
        PROMPT("prompt"),
        COMPLETION("completion"),
        TOTAL("total");

        final String label;

        Source(String label) {
            this.label = label;
        }
    }

    record ErrorSummary(int requests, double meanAbsolutePercentError, double biasPercent) {
    }

    /** The prompts and completions of one file with their exact counts for one family. */
    record RequestTexts(String[] prompts, String[] completions, long[] exactPrompt, long[] exactCompletion) {

        static RequestTexts of(JsonNode records, JsonNode fileCounts, ModelFamily family, Subset subset) {
            JsonNode promptCounts = fileCounts.path("prompt").path(family.name());
            JsonNode completionCounts = fileCounts.path("completion").path(family.name());
            if (promptCounts.size() != records.size() || completionCounts.size() != records.size()) {
                throw new IllegalStateException("Exact counts of " + fileCounts.path("file").asText()
                    + " do not match its " + records.size() + " records. Rerun tools/calibration/exact-counts.mjs");
            }
            int step = subset == Subset.HELD_OUT ? 2 : 1;
            int first = subset == Subset.HELD_OUT ? 1 : 0;
            int size = (records.size() - first + step - 1) / step;

            String[] prompts = new String[size];
            String[] completions = new String[size];
            long[] exactPrompt = new long[size];
            long[] exactCompletion = new long[size];
            for (int k = 0, i = first; i < records.size(); k++, i += step) {
                prompts[k] = records.get(i).path("instruction").asText();
                completions[k] = records.get(i).path("output").asText();
                exactPrompt[k] = promptCounts.get(i).asLong();
                exactCompletion[k] = completionCounts.get(i).asLong();
            }
            return new RequestTexts(prompts, completions, exactPrompt, exactCompletion);
        }

        /** Returns the error of a counter on one source. Requests whose exact count is 0 are left out. */
        ErrorSummary errors(TokenCounter counter, Source source) {
            int requests = 0;
            double absolutePercentSum = 0;
            long estimatedTotal = 0;
            long exactTotal = 0;
            for (int i = 0; i < prompts.length; i++) {
                long estimated = switch (source) {
                    case PROMPT -> counter.count(prompts[i]);
                    case COMPLETION -> counter.count(completions[i]);
                    case TOTAL -> counter.count(prompts[i]) + counter.count(completions[i]);
                };
                long exact = switch (source) {
                    case PROMPT -> exactPrompt[i];
                    case COMPLETION -> exactCompletion[i];
                    case TOTAL -> exactPrompt[i] + exactCompletion[i];
                };
                if (exact == 0) {
                    continue;
                }
                requests++;
                absolutePercentSum += 100.0 * Math.abs(estimated - exact) / exact;
                estimatedTotal += estimated;
                exactTotal += exact;
            }
            double bias = exactTotal == 0 ? 0 : 100.0 * (estimatedTotal - exactTotal) / exactTotal;
            return new ErrorSummary(requests, requests == 0 ? 0 : absolutePercentSum / requests, bias);
        }
    }
}
