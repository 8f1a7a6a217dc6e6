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

    /** Writes a snapshot begun by {@link #startSnapshot}. */
    @FunctionalInterface
    interface SnapshotWriter {
        void writeTo(DataOutput out) throws IOException;
    }

    /**
     * Begins a snapshot of the state as it is now (the same bytes {@link #snapshot} writes). The returned
     * writer may run on another thread, once, while the owner goes on changing the state: the owner's
     * pause is only what this method does. The default serializes everything now, into memory.
     */
    default SnapshotWriter startSnapshot() throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(1 << 16);
        snapshot(new java.io.DataOutputStream(bytes));
        return out -> bytes.writeTo(new java.io.OutputStream() {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }
        });
    }

    /**
     * Called by the owning worker between epochs: a backend that buffers changes may write them
     * out now and drop cached values from memory (heap: nothing to do).
     */
    default void flush() {}

    @Override
    void close();
}
