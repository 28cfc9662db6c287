package io.tokenmonitor.bench;

import io.tokenmonitor.agent.replay.InvalidRecordListener;
import io.tokenmonitor.agent.replay.ReplayOptions;
import io.tokenmonitor.agent.replay.ReplaySource;
import io.tokenmonitor.schema.TokenRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shared real requests (prompts and completions of five models), read in place and replayed as many
 * times as a benchmark needs, each time with a new request id, user and timestamp.
 */
public final class RequestCorpus {

    /** Environment variable naming the folder of the request files. */
    public static final String DATA_ENV = "TOKEN_MONITOR_REQUEST_DATA";

    private static final Path RELATIVE_FOLDER = Path.of("shared", "data", "llm-requests");

    private final Path folder;
    private final List<TokenRequest> templates;
    private final long textBytes;

    private RequestCorpus(Path folder, List<TokenRequest> templates, long textBytes) {
        this.folder = folder;
        this.templates = templates;
        this.textBytes = textBytes;
    }

    /**
     * Reads every {@code .json} file of the folder: {@code folder} when not null, else
     * {@value #DATA_ENV}, else the first {@code shared/data/llm-requests} above the working directory.
     */
    public static RequestCorpus load(Path folder) throws IOException {
        Path resolved = folder != null ? folder : findFolder();
        List<TokenRequest> templates = new ArrayList<>();
        try (Stream<Path> files = Files.list(resolved)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".json")).sorted().toList()) {
                templates.addAll(ReplaySource.readAll(file, ReplayOptions.defaults(), InvalidRecordListener.ignore()));
            }
        }
        if (templates.isEmpty()) {
            throw new IllegalStateException("No requests found in " + resolved);
        }
        long textBytes = 0;
        for (TokenRequest template : templates) {
            textBytes += utf8Length(template.getPromptText()) + utf8Length(template.getCompletionText());
        }
        return new RequestCorpus(resolved, List.copyOf(templates), textBytes);
    }

    private static Path findFolder() {
        String override = System.getenv(DATA_ENV);
        if (override != null && !override.isBlank()) {
            Path folder = Path.of(override);
            if (!Files.isDirectory(folder)) {
                throw new IllegalArgumentException(DATA_ENV + "=" + override + " is not a folder");
            }
            return folder;
        }
        for (Path directory = Path.of("").toAbsolutePath(); directory != null; directory = directory.getParent()) {
            Path candidate = directory.resolve(RELATIVE_FOLDER);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("Request data " + RELATIVE_FOLDER + " not found above "
            + Path.of("").toAbsolutePath() + ". Clone the repository beside shared/ or set " + DATA_ENV);
    }

    private static long utf8Length(CharSequence text) {
        return text == null ? 0 : text.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * Returns request number {@code index}: the corpus entry {@code index % size()} with request id
     * {@code bench-<index>}, user {@code user-<1 + index % users>} and the given event time.
     */
    public TokenRequest request(long index, int users, Instant timestamp) {
        TokenRequest template = templates.get((int) (index % templates.size()));
        return TokenRequest.newBuilder(template)
            .setRequestId("bench-" + index)
            .setUserId(userId(index, users))
            .setTimestamp(timestamp)
            .build();
    }

    /** Returns the user of request number {@code index} when requests are spread over {@code users} users. */
    public static String userId(long index, int users) {
        return "user-" + (1 + index % users);
    }

    public Path folder() {
        return folder;
    }

    /** Returns the number of distinct requests before the corpus repeats. */
    public int size() {
        return templates.size();
    }

    /** Returns the UTF-8 size of every prompt and completion text of one pass over the corpus. */
    public long textBytes() {
        return textBytes;
    }
}
