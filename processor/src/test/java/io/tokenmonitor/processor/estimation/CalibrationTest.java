package io.tokenmonitor.processor.estimation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenmonitor.profile.ContentProfile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CalibrationTest {

    @Test
    void shouldLoadWeightsForEveryFamily() {
        Calibration calibration = Calibration.bundled();

        for (ModelFamily family : ModelFamily.values()) {
            double[] weights = calibration.weights(family);
            assertEquals(ContentProfile.FEATURE_NAMES.size(), weights.length, family.name());
            assertTrue(weights[ContentProfile.FEATURE_NAMES.indexOf("words")] > 0, family + " words weight");
        }
        assertTrue(calibration.date().matches("\\d{4}-\\d{2}-\\d{2}"), calibration.date());
    }

    @Test
    void shouldReadWeightsByFeatureName() throws IOException {
        ObjectNode tree = CalibrationSamples.calibrationTree();
        ObjectNode weights = (ObjectNode) tree.path("families").path("MISTRAL").path("weights");
        weights.put("digits", 0.125);

        double[] parsed = parse(tree).weights(ModelFamily.MISTRAL);

        assertEquals(0.125, parsed[ContentProfile.FEATURE_NAMES.indexOf("digits")]);
    }

    @Test
    void shouldReturnCopyOfWeights() {
        Calibration calibration = Calibration.bundled();
        double[] first = calibration.weights(ModelFamily.LLAMA3);
        double[] original = first.clone();
        first[0] = 99;

        assertArrayEquals(original, calibration.weights(ModelFamily.LLAMA3));
    }

    @Test
    void shouldMarkOnlyTokenizerFamiliesAsFitted() {
        ObjectNode families = (ObjectNode) CalibrationSamples.calibrationTree().path("families");

        assertTrue(families.path("LLAMA3").path("fitted").asBoolean());
        assertTrue(families.path("MISTRAL").path("fitted").asBoolean());
        assertTrue(families.path("OPENAI").path("fitted").asBoolean());
        assertFalse(families.path("QWEN").path("fitted").asBoolean(true));
        assertFalse(families.path("DEEPSEEK").path("fitted").asBoolean(true));
        assertFalse(families.path("GEMMA").path("fitted").asBoolean(true));
        assertFalse(families.path("DEFAULT").path("fitted").asBoolean(true));
    }

    @Test
    void shouldRejectMissingFamily() {
        ObjectNode tree = CalibrationSamples.calibrationTree();
        ((ObjectNode) tree.path("families")).remove("GEMMA");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> parse(tree));
        assertTrue(error.getMessage().contains("families.GEMMA.weights"), error.getMessage());
    }

    @Test
    void shouldRejectNegativeWeight() {
        ObjectNode tree = CalibrationSamples.calibrationTree();
        ((ObjectNode) tree.path("families").path("OPENAI").path("weights")).put("cjk", -0.5);

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> parse(tree));
        assertTrue(error.getMessage().contains("families.OPENAI.weights.cjk = -0.5"), error.getMessage());
    }

    @Test
    void shouldRejectMissingWeight() {
        ObjectNode tree = CalibrationSamples.calibrationTree();
        ((ObjectNode) tree.path("families").path("LLAMA3").path("weights")).remove("lineFeeds");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> parse(tree));
        assertTrue(error.getMessage().contains("families.LLAMA3.weights.lineFeeds"), error.getMessage());
    }

    @Test
    void shouldRejectFeaturesInOtherOrder() {
        ObjectNode tree = CalibrationSamples.calibrationTree();
        ArrayNode features = (ArrayNode) tree.path("features");
        features.insert(0, features.remove(1));

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> parse(tree));
        assertTrue(error.getMessage().contains("do not match"), error.getMessage());
    }

    @Test
    void shouldRejectNonObjectJson() {
        assertThrows(IllegalArgumentException.class,
            () -> Calibration.parse(new ByteArrayInputStream("[]".getBytes(StandardCharsets.UTF_8))));
    }

    private static Calibration parse(ObjectNode tree) throws IOException {
        return Calibration.parse(new ByteArrayInputStream(tree.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
