package io.tokenmonitor.processor.topology;

import static io.tokenmonitor.processor.topology.TestRequests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenmonitor.processor.estimation.CalibratedEstimator;
import io.tokenmonitor.processor.estimation.ModelFamily;
import io.tokenmonitor.topics.DeadLetterHeaders;
import io.tokenmonitor.processor.validation.RejectionReason;
import io.tokenmonitor.profile.ContentProfile;
import io.tokenmonitor.profile.TextProfiles;
import io.tokenmonitor.schema.TextProfile;
import io.tokenmonitor.schema.TokenSource;
import io.tokenmonitor.schema.TokenUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests that carry content profiles in place of their prompt and completion texts. */
class ProfileOnlyRequestsTest {

    private static final String PROMPT = "Summarise this page: <h1 class=\"text-xl\">Prices</h1>\n\nKeep it short.";
    private static final String COMPLETION = "The page lists prices for 3 plans, from $10 to $99 per month.";

    @TempDir
    Path stateDir;

    private TopologyFixture fixture;

    @BeforeEach
    void startDriver() {
        fixture = new TopologyFixture(1_000_000, stateDir);
    }

    @AfterEach
    void closeDriver() {
        fixture.close();
    }

    @Test
    void profileCountsEqualTextCountsForCalibratedModel() {
        fixture.send(request().setPromptText(PROMPT).setCompletionText(COMPLETION).build());
        fixture.send(request().setPromptProfile(TextProfiles.ofText(PROMPT))
            .setCompletionProfile(TextProfiles.ofText(COMPLETION)).build());

        TokenUsage fromText = fixture.usage.readValue();
        TokenUsage fromProfile = fixture.usage.readValue();
        assertEquals(TokenSource.ESTIMATED, fromText.getTokenSource());
        assertEquals(TokenSource.ESTIMATED, fromProfile.getTokenSource());
        assertEquals("calibrated-llama3", fromProfile.getEstimator());
        assertTrue(fromText.getPromptTokens() > 0);
        assertEquals(fromText.getPromptTokens(), fromProfile.getPromptTokens());
        assertEquals(fromText.getCompletionTokens(), fromProfile.getCompletionTokens());
        assertEquals(fromText.getCostMicros(), fromProfile.getCostMicros());
    }

    @Test
    void unknownModelProfileUsesFourCodePointsPerToken() {
        fixture.send(request().setModel("acme/unknown-model")
            .setPromptProfile(TextProfiles.ofText("a".repeat(9)))
            .setCompletionProfile(TextProfiles.ofText("日本語の文")).build());

        TokenUsage usage = fixture.usage.readValue();
        assertEquals(3, usage.getPromptTokens());
        assertEquals(2, usage.getCompletionTokens());
        assertEquals(TokenSource.HEURISTIC, usage.getTokenSource());
        assertEquals("chars-per-token-4", usage.getEstimator());
    }

    @Test
    void exactModelProfileFallsBackToFamilyEstimate() {
        fixture.send(request().setModel("gpt-4o").setProvider("openai")
            .setPromptProfile(TextProfiles.ofText(PROMPT)).build());

        TokenUsage usage = fixture.usage.readValue();
        CalibratedEstimator openAi = CalibratedEstimator.forFamily(ModelFamily.OPENAI);
        assertEquals(openAi.estimate(ContentProfile.of(PROMPT)), usage.getPromptTokens());
        assertEquals(0, usage.getCompletionTokens());
        assertEquals(TokenSource.ESTIMATED, usage.getTokenSource());
        assertEquals("calibrated-openai", usage.getEstimator());
    }

    @Test
    void textWinsOverProfileOfSamePart() {
        fixture.send(request().setModel("acme/unknown-model").setPromptText("a".repeat(8))
            .setPromptProfile(TextProfiles.ofText("a".repeat(400))).build());

        assertEquals(2, fixture.usage.readValue().getPromptTokens());
    }

    @Test
    void mixedPartsGetLessExactSource() {
        fixture.send(request().setModel("gpt-4o").setProvider("openai").setPromptText("hello world")
            .setCompletionProfile(TextProfiles.ofText(COMPLETION)).build());

        TokenUsage usage = fixture.usage.readValue();
        // "hello" and " world" are one o200k token each, counted exactly from the text.
        assertEquals(2, usage.getPromptTokens());
        assertEquals(CalibratedEstimator.forFamily(ModelFamily.OPENAI).estimate(ContentProfile.of(COMPLETION)),
            usage.getCompletionTokens());
        assertEquals(TokenSource.ESTIMATED, usage.getTokenSource());
        assertEquals("calibrated-openai", usage.getEstimator());
    }

    @Test
    void reportedPartKeepsProfileSourceForOtherPart() {
        fixture.send(request().setModel("acme/unknown-model").setReportedPromptTokens(7L)
            .setCompletionProfile(TextProfiles.ofText("b".repeat(10))).build());

        TokenUsage usage = fixture.usage.readValue();
        assertEquals(7, usage.getPromptTokens());
        assertEquals(3, usage.getCompletionTokens());
        assertEquals(TokenSource.HEURISTIC, usage.getTokenSource());
    }

    @Test
    void usageSchemaHasNoTextOrProfileField() {
        List<String> fields = TokenUsage.getClassSchema().getFields().stream().map(Schema.Field::name).toList();

        for (String field : List.of("promptText", "completionText", "promptProfile", "completionProfile")) {
            assertFalse(fields.contains(field), field);
        }
        for (Schema.Field field : TokenUsage.getClassSchema().getFields()) {
            assertFalse(field.name().toLowerCase().contains("text"), field.name());
        }
    }

    @Test
    void invalidProfilesAreDeadLettered() {
        List<Consumer<TextProfile>> corruptions = List.of(
            profile -> profile.setDigits(-1L),
            profile -> profile.setCodePoints(-1L),
            profile -> profile.setCodePoints(profile.getCodePoints() + 1),
            profile -> profile.setWords(profile.getAsciiLetters() + profile.getLatinLetters() + 1),
            profile -> profile.setLineFeeds(profile.getWhitespace() + 1),
            profile -> profile.setCjk(Long.MAX_VALUE),
            profile -> {
                profile.setOtherCodePoints(200_000_000L);
                profile.setCodePoints(profile.getCodePoints() + 200_000_000L);
            });
        for (Consumer<TextProfile> corruption : corruptions) {
            TextProfile prompt = TextProfiles.ofText(PROMPT);
            corruption.accept(prompt);
            fixture.send(request().setPromptProfile(prompt).build());
        }
        TextProfile completion = TextProfiles.ofText(COMPLETION);
        completion.setPunctuationRuns(completion.getPunctuation() + 1);
        fixture.send(request().setCompletionProfile(completion).build());

        List<TestRecord<String, byte[]>> dead = fixture.deadLetters.readRecordsToList();
        assertEquals(corruptions.size() + 1, dead.size());
        for (TestRecord<String, byte[]> record : dead) {
            assertEquals("invalid-profile", header(record, DeadLetterHeaders.REASON));
        }
        assertEquals(corruptions.size() + 1, fixture.rejections.count(RejectionReason.INVALID_PROFILE));
        assertTrue(fixture.usage.isEmpty());
    }

    @Test
    void profileOfEveryTextIsAccepted() {
        List<String> texts = List.of("", " ", "a", "\n\n", "camelCase x2", "Привет, мир", "🚀 a\uD83D b", COMPLETION);
        for (String text : texts) {
            fixture.send(request().setPromptProfile(TextProfiles.ofText(text)).build());
        }

        assertTrue(fixture.deadLetters.isEmpty());
        assertEquals(texts.size(), fixture.usage.readValuesToList().size());
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
