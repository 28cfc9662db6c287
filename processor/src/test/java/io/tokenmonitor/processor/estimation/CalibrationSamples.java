package io.tokenmonitor.processor.estimation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The bundled calibration.json as a JSON tree, and its samples with what the fitting script computed. */
final class CalibrationSamples {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CalibrationSamples() {
    }

    /** Returns a fresh, modifiable tree of the bundled calibration file. */
    static ObjectNode calibrationTree() {
        try (InputStream json = CalibrationSamples.class.getResourceAsStream(Calibration.RESOURCE)) {
            if (json == null) {
                throw new IllegalStateException(Calibration.RESOURCE + " not found on the test classpath");
            }
            return (ObjectNode) MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the samples: name, text, profile, exactTokens and estimates per family. */
    static List<JsonNode> samples() {
        List<JsonNode> samples = new ArrayList<>();
        calibrationTree().path("samples").forEach(samples::add);
        if (samples.isEmpty()) {
            throw new IllegalStateException("calibration.json has no samples. Rerun tools/calibration/fit.mjs");
        }
        return samples;
    }

    /** Returns the sample of a given name. */
    static JsonNode sample(String name) {
        return samples().stream()
            .filter(sample -> sample.path("name").asText().equals(name))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("No sample named " + name + " in calibration.json"));
    }
}
