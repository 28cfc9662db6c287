package io.tokenmonitor.processor.estimation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenmonitor.processor.estimation.bench.ThroughputBenchmark;
import io.tokenmonitor.profile.ContentProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CalibratedEstimatorTest {

    private static final List<ModelFamily> FITTED = List.of(ModelFamily.LLAMA3, ModelFamily.MISTRAL, ModelFamily.OPENAI);

    @Test
    void shouldMatchFittingScriptOnEverySample() {
        for (ModelFamily family : ModelFamily.values()) {
            CalibratedEstimator estimator = CalibratedEstimator.forFamily(family);

            for (JsonNode sample : CalibrationSamples.samples()) {
                long expected = sample.path("estimates").path(family.name()).asLong(-1);
                assertEquals(expected, estimator.count(sample.path("text").asText()),
                    family + " on " + sample.path("name").asText());
            }
        }
    }

    // count(String) sums its own copy of the counts, so check it against estimate(ContentProfile), whose profile
    // the schemas module's ContentProfilerReferenceTest pins to the previous profiler on the same texts.
    @Test
    void shouldCountLikeProfileEstimate() {
        Path folder = findSharedRequests();
        List<String> texts = ThroughputBenchmark.readTexts(folder);

        for (ModelFamily family : ModelFamily.values()) {
            CalibratedEstimator estimator = CalibratedEstimator.forFamily(family);
            for (int i = 0; i < texts.size(); i++) {
                String text = texts.get(i);
                assertEquals(estimator.estimate(ContentProfile.of(text)), estimator.count(text),
                    family + " on shared text " + i);
            }
        }
    }

    @Test
    void shouldCountZeroForNullAndEmptyText() {
        CalibratedEstimator estimator = CalibratedEstimator.forFamily(ModelFamily.DEFAULT);

        assertEquals(0, estimator.count(null));
        assertEquals(0, estimator.count(""));
        assertEquals(0, estimator.estimate(ContentProfile.EMPTY));
    }

    @Test
    void shouldCountAtLeastOneForOneCharacter() {
        for (ModelFamily family : ModelFamily.values()) {
            CalibratedEstimator estimator = CalibratedEstimator.forFamily(family);

            assertEquals(1, estimator.count("a"), family + " on a letter");
            assertEquals(1, estimator.count(" "), family + " on a space");
        }
    }

    @Test
    void shouldRoundUpWeightedSum() {
        double[] weights = Calibration.bundled().weights(ModelFamily.LLAMA3);
        int asciiLetters = ContentProfile.FEATURE_NAMES.indexOf("asciiLetters");
        int words = ContentProfile.FEATURE_NAMES.indexOf("words");
        int whitespace = ContentProfile.FEATURE_NAMES.indexOf("whitespace");
        int punctuation = ContentProfile.FEATURE_NAMES.indexOf("punctuation");
        int punctuationRuns = ContentProfile.FEATURE_NAMES.indexOf("punctuationRuns");
        int unlistedWords = ContentProfile.FEATURE_NAMES.indexOf("unlistedWords");

        // "hello world, again": 15 letters, 3 words, 2 single spaces (no runs), 1 comma in 1 run, and "hello",
        // which is not in the word list.
        double sum = 15 * weights[asciiLetters] + 3 * weights[words] + 2 * weights[whitespace]
            + weights[punctuation] + weights[punctuationRuns] + weights[unlistedWords];

        assertEquals((long) Math.ceil(sum), CalibratedEstimator.forFamily(ModelFamily.LLAMA3).count("hello world, again"));
    }

    @Test
    void shouldCountSurrogatePairLikeOneCharacter() {
        CalibratedEstimator estimator = CalibratedEstimator.forFamily(ModelFamily.OPENAI);

        assertEquals(estimator.estimate(new ContentProfile(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0)),
            estimator.count("\uD83D\uDE80\uD83C\uDF89\uD83E\uDD73"));
    }

    @Test
    void shouldEstimateProseWithinTenPercent() {
        JsonNode sample = CalibrationSamples.sample("english-prose");

        for (ModelFamily family : FITTED) {
            long exact = sample.path("exactTokens").path(family.name()).asLong();
            long estimate = CalibratedEstimator.forFamily(family).count(sample.path("text").asText());

            assertTrue(Math.abs(estimate - exact) <= 0.10 * exact, family + ": " + estimate + " vs exact " + exact);
        }
    }

    @Test
    void shouldNotUndercountCodeAndMarkup() {
        // Random base64 and URLs are still undercounted: letter runs without vocabulary words cost more.
        List<String> names = List.of("java-code", "python-code", "html-tailwind", "svg-path", "json", "markdown-table");

        for (String name : names) {
            JsonNode sample = CalibrationSamples.sample(name);
            for (ModelFamily family : FITTED) {
                long exact = sample.path("exactTokens").path(family.name()).asLong();
                long estimate = CalibratedEstimator.forFamily(family).count(sample.path("text").asText());

                assertTrue(estimate >= 0.95 * exact, family + " on " + name + ": " + estimate + " vs exact " + exact);
            }
        }
    }

    @Test
    void shouldBeatFourCharactersPerTokenOnMarkup() {
        JsonNode sample = CalibrationSamples.sample("svg-path");
        String text = sample.path("text").asText();
        long fourCharacters = (text.codePointCount(0, text.length()) + 3) / 4;

        for (ModelFamily family : FITTED) {
            long exact = sample.path("exactTokens").path(family.name()).asLong();
            long estimate = CalibratedEstimator.forFamily(family).count(text);

            assertTrue(Math.abs(estimate - exact) < Math.abs(fourCharacters - exact),
                family + ": calibrated " + estimate + ", four characters " + fourCharacters + ", exact " + exact);
        }
    }

    @Test
    void shouldEstimateCombinedProfileWithinOneToken() {
        CalibratedEstimator estimator = CalibratedEstimator.forFamily(ModelFamily.MISTRAL);
        ContentProfile prompt = ContentProfile.of("Summarise this page: <h1 class=\"text-xl\">Prices</h1>");
        ContentProfile completion = ContentProfile.of("The page lists prices for 3 plans.");

        long combined = estimator.estimate(prompt.plus(completion));
        long separate = estimator.estimate(prompt) + estimator.estimate(completion);

        assertTrue(combined <= separate, combined + " > " + separate);
        assertTrue(combined >= separate - 1, combined + " < " + separate + " - 1");
    }

    @Test
    void shouldReportItsFamily() {
        assertEquals(ModelFamily.GEMMA, CalibratedEstimator.forFamily(ModelFamily.GEMMA).family());
    }

    // Returns the shared request folder found in the working folder or a parent, or skips the test.
    private static Path findSharedRequests() {
        Path relative = Path.of("shared", "data", "llm-requests");
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        String reason = "Skipped: no folder " + relative + " found in " + Path.of("").toAbsolutePath()
            + " or any parent folder";
        System.err.println(reason);
        assumeTrue(false, reason);
        return null;
    }
}
