package io.tokenmonitor.agent;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the shared benchmark files, which live outside the repository. Tests that need them are
 * skipped, with the reason printed, when the folder is not found.
 */
public final class SharedData {

    private static final Path RELATIVE_FOLDER = Path.of("shared", "data", "llm-requests");

    private SharedData() {
    }

    /** Returns a file of the shared folder, or skips the calling test if it is absent. */
    public static Path llmRequestsFile(String fileName) {
        Path folder = findFolder();
        String reason = "Skipped: no folder " + RELATIVE_FOLDER + " found in " + Path.of("").toAbsolutePath()
            + " or any parent folder";
        if (folder == null) {
            System.err.println(reason);
        }
        assumeTrue(folder != null, reason);

        Path file = folder.resolve(fileName);
        String missingFile = "Skipped: " + file + " does not exist";
        if (!Files.isRegularFile(file)) {
            System.err.println(missingFile);
        }
        assumeTrue(Files.isRegularFile(file), missingFile);
        return file;
    }

    private static Path findFolder() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(RELATIVE_FOLDER);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
