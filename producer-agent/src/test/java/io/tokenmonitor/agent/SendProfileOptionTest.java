package io.tokenmonitor.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenmonitor.profile.TextProfiles;
import io.tokenmonitor.schema.TokenRequest;
import io.tokenmonitor.topics.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SendProfileOptionTest {

    private static final String PROMPT = "Translate «naïve café» to Japanese, 42 times.";
    private static final String COMPLETION = "ナイーブなカフェ";

    @TempDir
    Path dir;

    @Test
    void replaySendsProfilesInsteadOfTexts() throws IOException {
        MockClients clients = new MockClients();

        AgentRun run = AgentRun.execute(clients, "replay", replayFile().toString(), "--send-profile");

        assertEquals(AgentCommand.EXIT_OK, run.exitCode(), run.err());
        List<TokenRequest> sent = sentRequests(clients);
        assertEquals(2, sent.size());
        TokenRequest both = sent.get(0);
        assertNull(both.getPromptText());
        assertNull(both.getCompletionText());
        assertEquals(TextProfiles.ofText(PROMPT), both.getPromptProfile());
        assertEquals(TextProfiles.ofText(COMPLETION), both.getCompletionProfile());
        assertEquals("r-1", both.getRequestId());
        assertEquals("alice", both.getUserId());
        TokenRequest promptOnly = sent.get(1);
        assertNull(promptOnly.getPromptText());
        assertEquals(TextProfiles.ofText(PROMPT), promptOnly.getPromptProfile());
        assertNull(promptOnly.getCompletionProfile());
    }

    @Test
    void replayedRecordBytesContainNoText() throws IOException {
        MockClients clients = new MockClients();

        AgentRun.execute(clients, "replay", replayFile().toString(), "--send-profile");

        Serializer<TokenRequest> serializer = Topics.TOKEN_REQUESTS.valueSerde(clients.registry).serializer();
        for (ProducerRecord<String, TokenRequest> record : clients.producer.history()) {
            String bytes = new String(serializer.serialize(record.topic(), record.value()), StandardCharsets.UTF_8);
            assertFalse(bytes.contains("Translate"), bytes);
            assertFalse(bytes.contains(COMPLETION), bytes);
        }
    }

    @Test
    void replayWithoutOptionSendsTexts() throws IOException {
        MockClients clients = new MockClients();

        AgentRun run = AgentRun.execute(clients, "replay", replayFile().toString());

        assertEquals(AgentCommand.EXIT_OK, run.exitCode(), run.err());
        TokenRequest sent = sentRequests(clients).get(0);
        assertEquals(PROMPT, sent.getPromptText());
        assertEquals(COMPLETION, sent.getCompletionText());
        assertNull(sent.getPromptProfile());
        assertNull(sent.getCompletionProfile());
    }

    @Test
    void simulateSendsProfilesOfSameTexts() {
        MockClients plainClients = new MockClients();
        MockClients profileClients = new MockClients();
        String[] args = {"simulate", "--count", "20", "--rate", "0", "--reported-percent", "0", "--seed", "7"};

        AgentRun plain = AgentRun.execute(plainClients, args);
        AgentRun profiled = AgentRun.execute(profileClients, append(args, "--send-profile"));

        assertEquals(AgentCommand.EXIT_OK, plain.exitCode(), plain.err());
        assertEquals(AgentCommand.EXIT_OK, profiled.exitCode(), profiled.err());
        List<TokenRequest> texts = sentRequests(plainClients);
        List<TokenRequest> profiles = sentRequests(profileClients);
        assertEquals(20, profiles.size());
        for (int i = 0; i < profiles.size(); i++) {
            TokenRequest expected = texts.get(i);
            TokenRequest actual = profiles.get(i);
            assertNotNull(expected.getPromptText(), "request " + i + " of the plain run has no prompt text");
            assertNull(actual.getPromptText(), "request " + i);
            assertNull(actual.getCompletionText(), "request " + i);
            assertEquals(TextProfiles.ofText(expected.getPromptText()), actual.getPromptProfile(), "request " + i);
            assertEquals(TextProfiles.ofText(expected.getCompletionText()), actual.getCompletionProfile(),
                "request " + i);
            assertEquals(expected.getModel(), actual.getModel(), "request " + i);
        }
    }

    @Test
    void helpDescribesSendProfile() {
        for (String command : List.of("replay", "simulate")) {
            AgentRun run = AgentRun.execute(new MockClients(), command, "--help");

            // picocli wraps the description, so line breaks and indents are compared as single spaces.
            String help = run.out().replaceAll("\\s+", " ");
            assertEquals(AgentCommand.EXIT_OK, run.exitCode(), command);
            assertTrue(help.contains("--send-profile Sends each text's character counts"), help);
            assertTrue(help.contains("so no prompt or completion leaves this machine"), help);
        }
    }

    private Path replayFile() throws IOException {
        return Files.write(dir.resolve("requests.jsonl"), List.of(
            "{\"requestId\":\"r-1\",\"userId\":\"alice\",\"timestamp\":\"2025-09-01T10:00:00Z\",\"model\":\"m\","
                + "\"promptText\":\"" + PROMPT + "\",\"completionText\":\"" + COMPLETION + "\"}",
            "{\"requestId\":\"r-2\",\"userId\":\"alice\",\"timestamp\":\"2025-09-01T10:01:00Z\",\"model\":\"m\","
                + "\"promptText\":\"" + PROMPT + "\"}"), StandardCharsets.UTF_8);
    }

    private static List<TokenRequest> sentRequests(MockClients clients) {
        return clients.producer.history().stream().map(ProducerRecord::value).toList();
    }

    private static String[] append(String[] args, String arg) {
        String[] extended = Arrays.copyOf(args, args.length + 1);
        extended[args.length] = arg;
        return extended;
    }
}
