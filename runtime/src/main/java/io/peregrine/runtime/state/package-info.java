/**
 * Keyed state by key group: {@link io.peregrine.runtime.state.StateBackend} and
 * {@link io.peregrine.runtime.state.KeyedState}, the heap implementation, the portable snapshot
 * format ({@link io.peregrine.runtime.state.KeyGroupFormat}) and {@link io.peregrine.runtime.state.KeyGroups}
 * (murmur3 hash, key group, worker ranges).
 */
package io.peregrine.runtime.state;
