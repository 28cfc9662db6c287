package io.tokenmonitor.agent.simulate;

import io.tokenmonitor.agent.replay.InvalidRecordListener;
import io.tokenmonitor.agent.replay.ReplayOptions;
import io.tokenmonitor.agent.replay.ReplaySource;
import io.tokenmonitor.schema.TokenRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** Draws real prompt and completion pairs, uniformly, from a replay file loaded into memory. */
public final class SampledTexts implements TextSource {

    private final List<TextPair> pairs;

    public SampledTexts(List<TextPair> pairs) {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("No text pairs to sample from");
        }
        this.pairs = List.copyOf(pairs);
    }

    /**
     * Loads the records of a replay file that have both a prompt and a completion text.
     *
     * @throws IllegalArgumentException if no record has both
     * @throws IOException if the file cannot be read or is malformed
     */
    public static SampledTexts load(Path file) throws IOException {
        List<TextPair> pairs = new ArrayList<>();
        for (TokenRequest request : ReplaySource.readAll(file, ReplayOptions.defaults(), InvalidRecordListener.ignore())) {
            if (request.getPromptText() != null && request.getCompletionText() != null) {
                pairs.add(new TextPair(request.getPromptText(), request.getCompletionText()));
            }
        }
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("No record in " + file + " has both a prompt and a completion text");
        }
        return new SampledTexts(pairs);
    }

    public int size() {
        return pairs.size();
    }

    @Override
    public TextPair next(RandomGenerator random) {
        return pairs.get(random.nextInt(pairs.size()));
    }
}
