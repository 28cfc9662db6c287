package io.tokenmonitor.processor.estimation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenmonitor.profile.ContentProfile;
import org.junit.jupiter.api.Test;

/** Checks the Java profiler against the counts of the fitting script, stored with the samples in calibration.json. */
class ContentProfileSamplesTest {

    @Test
    void shouldMatchFittingScriptOnEverySample() {
        for (JsonNode sample : CalibrationSamples.samples()) {
            String name = sample.path("name").asText();
            long[] counts = ContentProfile.of(sample.path("text").asText()).toArray();

            for (int i = 0; i < counts.length; i++) {
                String feature = ContentProfile.FEATURE_NAMES.get(i);
                JsonNode expected = sample.path("profile").get(feature);
                assertEquals(expected.asLong(), counts[i], name + ": " + feature);
            }
        }
    }

    @Test
    void shouldCountEachCodePointOnce() {
        for (JsonNode sample : CalibrationSamples.samples()) {
            String text = sample.path("text").asText();

            assertEquals(text.codePointCount(0, text.length()), ContentProfile.of(text).codePoints(),
                sample.path("name").asText());
        }
    }
}
