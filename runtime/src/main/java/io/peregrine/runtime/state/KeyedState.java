package io.peregrine.runtime.state;

import java.util.function.BiConsumer;

/**
 * One named keyed state of one worker: values by key, partitioned into the worker's key groups.
 *
 * <p>Keys are encoded bytes; callers pass the key's {@link KeyGroups#hash hash} and key group
 * along so that they are computed once per event. A value returned by {@link #get} may be the
 * stored object itself (heap) or a copy read from the store (RocksDB): after changing it in place
 * a caller must call {@link #update} (free on the heap backend, a write or a dirty mark elsewhere).
 * Not thread-safe: one worker thread owns a state.
 */
public interface KeyedState<V> {

    String name();

    KeyGroupRange keyGroups();

    /** The value of {@code key[offset, offset + length)}, or null. */
    V get(int keyGroup, int hash, byte[] key, int offset, int length);

    /** Stores a value; the state keeps {@code key} (exactly the key's bytes): do not change it afterwards. */
    void put(int keyGroup, int hash, byte[] key, V value);

    /** Records that a value obtained from {@link #get} (or put) was changed in place. */
    void update(int keyGroup, int hash, byte[] key, V value);

    /** @return whether the key had a value */
    boolean remove(int keyGroup, int hash, byte[] key, int offset, int length);

    /** Number of keys over all key groups of this state. */
    long size();

    /** Visits every entry of a key group, in no particular order; the visitor must not change the state. */
    void forEach(int keyGroup, BiConsumer<byte[], V> visitor);
}
