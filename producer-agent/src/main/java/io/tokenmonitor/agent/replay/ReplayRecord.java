package io.tokenmonitor.agent.replay;

import java.time.Instant;

/**
 * One record read from a replay file, before user ids, timestamps and request ids are assigned. Every
 * field except {@code model} and {@code index} may be null when the input lacks it.
 *
 * @param index the record's position in the file: the 0-based array index for a JSON array, or the
 *     1-based line number for JSON Lines. Request ids derived from the file name use it.
 * @param model the model id; never null
 */
public record ReplayRecord(
    long index,
    String requestId,
    String userId,
    Instant timestamp,
    String model,
    String provider,
    String promptText,
    String completionText,
    Long reportedPromptTokens,
    Long reportedCompletionTokens,
    Long reportedTotalTokens,
    String app) {
}
