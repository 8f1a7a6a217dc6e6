package io.peregrine.runtime.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Writes and reads one kind of state value. Formats are versioned by the codec (its first byte);
 * a codec reads every older version it ever wrote.
 */
public interface ValueCodec<V> {

    void write(V value, DataOutput out) throws IOException;

    V read(DataInput in) throws IOException;

    /**
     * Whether a backend that keeps values in memory only as a cache (RocksDB) must keep this one
     * there: true while the caller still holds the object itself (in a timer, on a pending list), so
     * that a later {@code get} returns that object and not a copy. Asked only between epochs.
     */
    default boolean keepInMemory(V value) {
        return false;
    }
}
