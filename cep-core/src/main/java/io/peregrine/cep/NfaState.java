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

    // physical history: every event processed for this key, whether a run took it or not
    /** Events processed so far: {@link Context#position()} of the next one. */
    long position;
    /**
     * The last events processed, oldest overwritten first, and their timestamps: rings of
     * {@link NfaOptions#historyDepth()} slots, both null when history is off.
     */
    final Object[] historyEvents;
    final long[] historyTimestamps;
    /** Ring slot the next event goes to. */
    int historyHead;
    /** Slots that hold an event: min(position, depth), less after a restore that had less. */
    int historySize;

    NfaState(int historyDepth) {
        historyEvents = historyDepth == 0 ? null : new Object[historyDepth];
        historyTimestamps = historyDepth == 0 ? null : new long[historyDepth];
    }

    /** Counts (and remembers) an event once every condition for it has run. */
    void processed(E event, long timestamp) {
        position++;
        if (historyEvents != null) {
            remember(event, timestamp);
        }
    }

    /** Puts an event into the history ring; only called when history is on. */
    void remember(Object event, long timestamp) {
        int h = historyHead;
        historyEvents[h] = event;
        historyTimestamps[h] = timestamp;
        historyHead = h + 1 == historyEvents.length ? 0 : h + 1;
        if (historySize < historyEvents.length) {
            historySize++;
        }
    }

    /** The ring slot of the event {@code n} places back, for 1 &lt;= n &lt;= {@link #historySize}. */
    int historySlot(int n) {
        int i = historyHead - n;
        return i < 0 ? i + historyEvents.length : i;
    }

    /** Partial matches in progress (the start state not counted). */
    public int partialMatchCount() {
        return partialMatches.partialMatches();
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

    /**
     * True when the key holds nothing but the start state (and, with {@link NfaOptions#withHistory},
     * no history), so the runtime may drop this state. A dropped state comes back with
     * {@link Context#position()} 0: do not drop idle states of a pattern whose conditions read it.
     */
    public boolean isIdle() {
        return heldMatches == 0 && historySize == 0 && partialMatches.size() == 1 && partialMatches.get(0).isStart();
    }
}
