package io.tokenmonitor.profile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Checks that the production profiler returns exactly the counts of {@link ReferenceContentProfiler}, the
 * previous implementation, so that optimising it changes no estimate.
 */
class ContentProfilerReferenceTest {

    private static final Path DATA_FOLDER = Path.of("shared", "data", "llm-requests");

    // Chars that exercise every class and boundary: letters of both cases, digits, ASCII punctuation, spaces,
    // Latin, Cyrillic, CJK and other-script letters, non-ASCII whitespace, and both halves of surrogate pairs.
    private static final char[] ALPHABET = ("aAbBzZqQxXeEtT09 \t\n\r.,;_-@[`{~é\u00d7\u0416\u4e2d\u05d0\u00a0"
        + "\u2003\u3000\u201c\ud83d\ude00\ud840\udc00").toCharArray();

    @Test
    void shouldMatchReferenceOnEverySharedText() throws IOException {
        List<String> texts = readSharedTexts();

        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            assertArrayEquals(ReferenceContentProfiler.profile(text).toArray(), ContentProfile.of(text).toArray(),
                "shared text " + i + " of " + texts.size());
        }
    }

    @Test
    void shouldMatchReferenceOnRandomTexts() {
        Random random = new Random(8);
        for (int n = 0; n < 3000; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(n < 2000 ? 40 : 3000);
            for (int i = 0; i < length; i++) {
                text.append(ALPHABET[random.nextInt(ALPHABET.length)]);
            }
            assertProfilesEqual(text.toString());
        }
    }

    @Test
    void shouldMatchReferenceOnLongWordsAcrossChunks() {
        List<String> words = List.of("the", "that", "Hello", "understanding", "Understanding", "internationalization",
            "zzzzqqqq", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz", "international", "because");
        Random random = new Random(81);
        for (int n = 0; n < 300; n++) {
            StringBuilder text = new StringBuilder();
            while (text.length() < 2500) {
                text.append(words.get(random.nextInt(words.size())));
                if (random.nextInt(4) > 0) {
                    text.append(random.nextBoolean() ? ' ' : '\ud83d');
                }
            }
            assertProfilesEqual(text.toString());
            assertProfilesEqual(text.substring(random.nextInt(50)));
        }
    }

    @Test
    void shouldMatchReferenceOnEveryListedWord() throws IOException {
        for (String word : readWordList()) {
            assertProfilesEqual(word);
            assertProfilesEqual(" " + word + ".");
            assertProfilesEqual(word + "s");
            assertProfilesEqual(word.toUpperCase(java.util.Locale.ROOT));
        }
    }

    private static void assertProfilesEqual(String text) {
        assertArrayEquals(ReferenceContentProfiler.profile(text).toArray(), ContentProfile.of(text).toArray(),
            () -> "text: " + text);
    }

    private static List<String> readWordList() throws IOException {
        try (var stream = ContentProfilerReferenceTest.class.getResourceAsStream("/profile/common-words.txt")) {
            assertTrue(stream != null, "resource /profile/common-words.txt not found");
            String content = new String(stream.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return content.lines().filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        }
    }

    // Reads every prompt once and every completion of the shared request files, the texts of the throughput
    // benchmark. Skips the test when the folder is not found in the working folder or any parent.
    private static List<String> readSharedTexts() throws IOException {
        Path folder = null;
        for (Path dir = Path.of("").toAbsolutePath(); dir != null && folder == null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(DATA_FOLDER))) {
                folder = dir.resolve(DATA_FOLDER);
            }
        }
        String reason = "Skipped: no folder " + DATA_FOLDER + " found in " + Path.of("").toAbsolutePath()
            + " or any parent folder";
        if (folder == null) {
            System.err.println(reason);
        }
        assumeTrue(folder != null, reason);

        List<Path> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.filter(file -> file.toString().endsWith(".json")).sorted().toList();
        }
        ObjectMapper mapper = new ObjectMapper();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            for (JsonNode record : mapper.readTree(files.get(i).toFile())) {
                if (i == 0) {
                    texts.add(record.path("instruction").asText());
                }
                texts.add(record.path("output").asText());
            }
        }
        assertTrue(texts.size() > 1000, "expected the shared request texts, found " + texts.size());
        return texts;
    }
}
