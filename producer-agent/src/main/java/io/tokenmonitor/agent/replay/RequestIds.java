package io.tokenmonitor.agent.replay;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Request ids for replayed records that carry none. */
public final class RequestIds {

    private RequestIds() {
    }

    /**
     * Returns a name-based (version 3) UUID of {@code fileName + "#" + index}, so replaying the same file
     * again yields the same ids and the processor can drop the duplicates. Only the file's name counts,
     * not its directory.
     */
    public static String forRecord(String fileName, long index) {
        return UUID.nameUUIDFromBytes((fileName + "#" + index).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
