package io.tokenmonitor.stack;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the shared request data (real prompts and completions of five models), which lives beside the
 * repository and is never copied into it.
 */
final class SharedData {

    private static final Path RELATIVE = Path.of("shared", "data", "llm-requests");

    private SharedData() {
    }

    /** Returns a data file, skipping the calling test with a reason when the data is not beside the checkout. */
    static Path file(String name) {
        Path directory = Path.of("").toAbsolutePath();
        while (directory != null) {
            Path candidate = directory.resolve(RELATIVE).resolve(name);
            if (Files.isReadable(candidate)) {
                return candidate;
            }
            directory = directory.getParent();
        }
        String reason = "Shared data file " + RELATIVE.resolve(name) + " not found above "
            + Path.of("").toAbsolutePath() + "; skipping";
        // Surefire shows an assumption's message only in its reports, so print it where a person looks.
        System.err.println(reason);
        assumeTrue(false, reason);
        return null;
    }
}
