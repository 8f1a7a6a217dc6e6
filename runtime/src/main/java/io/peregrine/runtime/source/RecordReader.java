package io.peregrine.runtime.source;

import java.io.Closeable;
import java.io.IOException;

/** An opened {@link Source}: reads records in batches and knows its replay position. Not thread-safe. */
public interface RecordReader extends Closeable {

    /** Returned by {@link #read} when nothing is available right now (a live input). */
    int NOTHING_YET = 0;
    /** Returned by {@link #read} at the end of a bounded input. */
    int END = -1;

    /**
     * Reads up to {@code max} records of one split into {@code batch} (cleared first). Text records
     * point into the reader's buffer and stay valid until the next call.
     *
     * @return the number of records, {@link #NOTHING_YET}, or {@link #END}
     */
    int read(RecordBatch batch, int max) throws IOException;

    /** The position of the next record to be read. */
    SourcePosition position();
}
