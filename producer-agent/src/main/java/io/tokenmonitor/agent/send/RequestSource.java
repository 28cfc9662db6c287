package io.tokenmonitor.agent.send;

import io.tokenmonitor.schema.TokenRequest;
import java.io.Closeable;
import java.io.IOException;

/** A finite or endless sequence of requests to send, such as a replayed file or a simulation. */
public interface RequestSource extends Closeable {

    /**
     * Reads or creates the next request.
     *
     * @return the request, or null when the source is exhausted
     * @throws IOException if the input cannot be read; the source cannot continue after this
     */
    TokenRequest next() throws IOException;

    /** Returns the number of input records skipped so far because they were invalid. */
    default long skipped() {
        return 0;
    }

    @Override
    default void close() throws IOException {
    }
}
