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
}
