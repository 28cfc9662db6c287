package io.tokenmonitor.agent.send;

import io.tokenmonitor.schema.TokenRequest;
import java.io.Closeable;
import java.io.IOException;
import java.util.NoSuchElementException;

/**
 * A finite or endless sequence of requests to send, such as a replayed file or a simulation. Reading
 * ahead ({@link #hasNext()}) is separate from taking a request ({@link #next()}), so a source can stamp
 * a request with the current time when it is taken, just before it is sent.
 */
public interface RequestSource extends Closeable {

    /**
     * Reads ahead if needed and returns whether another request is available.
     *
     * @throws IOException if the input cannot be read; the source cannot continue after this
     */
    boolean hasNext() throws IOException;

    /**
     * Takes the next request.
     *
     * @throws NoSuchElementException if there is none
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
