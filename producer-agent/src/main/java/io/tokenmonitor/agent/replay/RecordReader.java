package io.tokenmonitor.agent.replay;

import java.io.Closeable;
import java.io.IOException;

/** Reads the records of one replay file in file order, skipping and reporting invalid ones. */
interface RecordReader extends Closeable {

    /**
     * Reads the next valid record.
     *
     * @return the record, or null at the end of the input
     * @throws ReplayInputException if the input is malformed in a way that stops reading
     * @throws IOException if the file cannot be read
     */
    ReplayRecord next() throws IOException;

    /** Returns the number of records skipped so far because they were invalid. */
    long skipped();
}
