/**
 * Keyed state by key group: {@link io.peregrine.runtime.state.StateBackend} and
 * {@link io.peregrine.runtime.state.KeyedState}, the heap and RocksDB implementations
 * ({@link io.peregrine.runtime.state.HeapStateBackend}, {@link io.peregrine.runtime.state.RocksDbStateBackend}),
 * the portable snapshot format ({@link io.peregrine.runtime.state.KeyGroupFormat}) and
 * {@link io.peregrine.runtime.state.KeyGroups} (murmur3 hash, key group, worker ranges).
 */
package io.peregrine.runtime.state;
