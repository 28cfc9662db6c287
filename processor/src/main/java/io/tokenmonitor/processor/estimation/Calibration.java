package io.tokenmonitor.processor.estimation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenmonitor.profile.ContentProfile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Per-family weights of the calibrated estimator, one per {@link ContentProfile} feature, read from
 * {@code calibration.json}. That file is written by {@code tools/calibration/fit.mjs}, which also records the
 * tokenizer versions, the fit errors and which families are fitted. Only the weights and the date are read here.
 */
public final class Calibration {

    /** Classpath location of the bundled calibration. */
    public static final String RESOURCE = "/estimation/calibration.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String date;
    private final Map<ModelFamily, double[]> weightsByFamily;

    private Calibration(String date, Map<ModelFamily, double[]> weightsByFamily) {
        this.date = date;
        this.weightsByFamily = weightsByFamily;
    }

    /**
     * Returns the calibration bundled at {@link #RESOURCE}, parsed once.
     *
     * @throws IllegalStateException if the resource is missing or invalid, which means a broken build
     * @throws UncheckedIOException   if the resource cannot be read
     */
    public static Calibration bundled() {
        return Bundled.INSTANCE;
    }

    /**
     * Parses a calibration file.
     *
     * @throws IOException              if the stream cannot be read or is not JSON
     * @throws IllegalArgumentException if a family, a feature or a weight is missing or invalid
     */
    public static Calibration parse(InputStream json) throws IOException {
        JsonNode root = MAPPER.readTree(json);
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("Invalid calibration: expected a JSON object");
        }
        checkFeatureNames(root.path("features"));

        Map<ModelFamily, double[]> weightsByFamily = new EnumMap<>(ModelFamily.class);
        for (ModelFamily family : ModelFamily.values()) {
            JsonNode weights = root.path("families").path(family.name()).path("weights");
            if (!weights.isObject()) {
                throw new IllegalArgumentException("Invalid calibration: missing families." + family + ".weights");
            }
            weightsByFamily.put(family, readWeights(family, weights));
        }
        return new Calibration(root.path("date").asText(""), weightsByFamily);
    }

    /** Returns the date the weights were fitted, as written by the fitting script (ISO-8601), or "". */
    public String date() {
        return date;
    }

    /** Returns a copy of a family's weights in the order of {@link ContentProfile#FEATURE_NAMES}. */
    public double[] weights(ModelFamily family) {
        return weightsByFamily.get(family).clone();
    }

    private static void checkFeatureNames(JsonNode features) {
        List<String> names = new ArrayList<>();
        for (JsonNode feature : features) {
            names.add(feature.path("name").asText());
        }
        if (!names.equals(ContentProfile.FEATURE_NAMES)) {
            throw new IllegalArgumentException("Invalid calibration: features " + names + " do not match "
                + ContentProfile.FEATURE_NAMES + ". Rerun tools/calibration/fit.mjs after changing the features");
        }
    }

    private static double[] readWeights(ModelFamily family, JsonNode weights) {
        double[] values = new double[ContentProfile.FEATURE_NAMES.size()];
        for (int i = 0; i < values.length; i++) {
            String feature = ContentProfile.FEATURE_NAMES.get(i);
            JsonNode weight = weights.get(feature);
            if (weight == null || !weight.isNumber()) {
                throw new IllegalArgumentException(
                    "Invalid calibration: families." + family + ".weights." + feature + " is missing or not a number");
            }
            double value = weight.doubleValue();
            if (!Double.isFinite(value) || value < 0) {
                throw new IllegalArgumentException(
                    "Invalid calibration: families." + family + ".weights." + feature + " = " + value
                        + ", expected a finite number >= 0");
            }
            values[i] = value;
        }
        return values;
    }

    private static final class Bundled {
        private static final Calibration INSTANCE = loadBundled();

        private static Calibration loadBundled() {
            try (InputStream json = Calibration.class.getResourceAsStream(RESOURCE)) {
                if (json == null) {
                    throw new IllegalStateException("Calibration resource " + RESOURCE + " not found on the classpath");
                }
                return parse(json);
            } catch (IOException e) {
                throw new UncheckedIOException("Failed to read calibration resource " + RESOURCE, e);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("Invalid calibration resource " + RESOURCE + ": " + e.getMessage(), e);
            }
        }
    }
}
