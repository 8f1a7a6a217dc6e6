package io.peregrine.runtime.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Where one worker keeps the keyed state of its operators, for the key groups it owns. Two
 * implementations share one contract (and its tests): the heap backend here and a RocksDB backend.
 *
 * <p>Snapshots are portable: {@link #snapshot} writes each state's key groups with
 * {@link KeyGroupFormat} (entries sorted by key, values in their codec's format), so a snapshot
 * written by one backend restores into the other, and into backends owning other key group ranges
 * (each takes the groups it owns: rescaling).
 */
public interface StateBackend extends AutoCloseable {

    KeyGroupRange keyGroups();

    /** The named state, created on first use; the same name returns the same state. */
    <V> KeyedState<V> keyedState(String name, ValueCodec<V> codec);

    /** Writes every state's entries in this backend's key groups. */
    void snapshot(DataOutput out) throws IOException;

    /**
     * Adds the entries of a snapshot that fall into this backend's key groups (several snapshots
     * may be restored, as when workers are merged). Each state in the snapshot must have been
     * registered with {@link #keyedState} first.
     */
    void restore(DataInput in) throws IOException;

    /**
     * Called by the owning worker between epochs: a backend that buffers changes may write them
     * out now and drop cached values from memory (heap: nothing to do).
     */
    default void flush() {}

    @Override
    void close();
}
