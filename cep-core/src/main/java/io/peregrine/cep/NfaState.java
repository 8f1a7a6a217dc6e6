package io.peregrine.cep;

/**
 * The per-key state of a compiled {@link Nfa}: its runs (partial matches and the start state), the
 * matches held back by a skip strategy until earlier partial matches resolve, and counters. Create
 * with {@link Nfa#newState()}; not thread-safe (one key is processed by one thread at a time).
 */
public final class NfaState<E> {

    final RunHeap<E> partialMatches = new RunHeap<>();
    final RunHeap<E> completedMatches = new RunHeap<>();
    long nextSeq;
    long lastAdvance = Long.MIN_VALUE;
    /** Earliest time at which {@code advanceTime} can change anything (a window closes); MAX when none. */
    long nextDeadline = Long.MAX_VALUE;
    long evicted;
    /** Size of {@link #completedMatches}, kept here so most events need not touch that heap. */
    int heldMatches;

    NfaState() {}

    /** Partial matches in progress (the start state not counted). */
    public int partialMatchCount() {
        int n = 0;
        for (int i = 0; i < partialMatches.size(); i++) {
            if (!partialMatches.get(i).isStart()) {
                n++;
            }
        }
        return n;
    }

    /** Completed matches waiting for earlier partial matches to resolve (skip strategies only). */
    public int pendingMatchCount() {
        return heldMatches;
    }

    /** Partial matches dropped because the key exceeded {@link NfaOptions#maxPartialMatches()}. */
    public long evictedPartialMatches() {
        return evicted;
    }

    /**
     * The earliest event time at which {@link Nfa#advanceTime} would time out a partial match, or
     * {@code Long.MAX_VALUE}: the one timer the runtime needs for this key.
     */
    public long nextTimeout() {
        return nextDeadline;
    }

    /**
     * Reads the key's runs (and what stepping them reads first) so that they are in cache when its
     * events are processed. A runtime that has several keys to step calls this for all of them first:
     * their cache misses then overlap instead of being paid one after another. Returns a value
     * derived from the reads, to keep them from being elided.
     */
    public long prefetch() {
        long sum = heldMatches;
        for (int i = 0, n = partialMatches.size(); i < n; i++) {
            ComputationState<E> run = partialMatches.get(i);
            sum += run.previousTimestamp;
            BufferNode<E> node = run.node;
            if (node != null) {
                sum += node.refCount;
            }
            Object refs = run.eventRefs;
            if (refs != null) {
                sum += refs.getClass().hashCode();
            }
        }
        return sum;
    }

    /** True when the key holds nothing but the start state, so the runtime may drop this state. */
    public boolean isIdle() {
        return heldMatches == 0 && partialMatches.size() == 1 && partialMatches.get(0).isStart();
    }
}
