package io.tokenmonitor.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tokenmonitor.schema.TextProfile;
import org.junit.jupiter.api.Test;

class TextProfilesTest {

    private static final String TEXT = "Translate «naïve café» to 日本語:\n  x = 42; 🚀";

    @Test
    void shouldKeepEveryFeatureInRoundTrip() {
        ContentProfile profile = ContentProfile.of(TEXT);

        ContentProfile roundTripped = TextProfiles.fromAvro(TextProfiles.toAvro(profile));

        for (int i = 0; i < ContentProfile.FEATURE_NAMES.size(); i++) {
            assertEquals(profile.toArray()[i], roundTripped.toArray()[i], ContentProfile.FEATURE_NAMES.get(i));
        }
    }

    @Test
    void shouldFillCodePointsFromText() {
        TextProfile profile = TextProfiles.ofText(TEXT);

        assertEquals(TEXT.codePointCount(0, TEXT.length()), profile.getCodePoints());
    }

    @Test
    void shouldMatchAvroFieldsToFeatureNames() {
        TextProfile profile = TextProfiles.ofText(TEXT);
        long[] counts = ContentProfile.of(TEXT).toArray();

        for (int i = 0; i < counts.length; i++) {
            String feature = ContentProfile.FEATURE_NAMES.get(i);
            assertEquals(counts[i], profile.get(feature), feature);
        }
    }

    @Test
    void shouldReturnNullForNullText() {
        assertNull(TextProfiles.ofText(null));
    }
}
