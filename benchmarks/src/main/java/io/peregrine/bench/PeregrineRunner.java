package io.peregrine.bench;

import io.peregrine.cep.EventTimeSorter;
import io.peregrine.cep.Match;
import io.peregrine.cep.MatchCollector;
import io.peregrine.cep.Nfa;
import io.peregrine.cep.NfaProcessor;
import io.peregrine.cep.NfaState;
import io.peregrine.runtime.TimerHeap;
import java.util.Arrays;

/**
 * A minimal single-threaded keyed event-time runtime around cep-core, doing what FlinkCEP's keyed
 * operator does: per key an {@link NfaState} and an {@link EventTimeSorter}, a bounded-out-of-orderness
 * watermark ({@code max timestamp - bound - 1}, as Flink's) advanced as events arrive, and a final
 * watermark at the end of input that flushes everything.
 *
 * <p>Keys live in a {@link LongObjectMap}; a key whose state is idle (no partial match) and that has
 * nothing buffered is dropped and its record recycled, so only active cards stay in memory (FlinkCEP
 * keeps every key's state).
 *
 * <p>Timers: a global indexed min-heap ({@link TimerHeap}) with one timer per key, due at
 * {@code min(sorter.earliestTimestamp(), state.nextTimeout())}: when the watermark advances only keys
 * with buffered events or windows closing by then are touched, never a scan of all keys. With
 * {@link Timers#SPLIT} the two deadlines sit in two heaps instead (one small, for keys with buffered
 * events, one for window timeouts), so that an arriving event does not move the key's timeout timer
 * up and down a heap holding every key with an open window.
 */
public final class PeregrineRunner implements MatchCollector<Txn> {

    /** How keys' timers are queued. */
    public enum Timers {
        /** One heap, one timer per key at min(earliest buffered event, next timeout). */
        SINGLE,
        /** A heap of earliest buffered events and a heap of next timeouts. */
        SPLIT
    }

    /** Per-key state. */
    static final class Key {
        long id;
        /** Dense index of this key record (kept when recycled): its entry in the timer heaps. */
        final int slot;
        final NfaState<Txn> nfa;
        final EventTimeSorter<Txn> sorter = new EventTimeSorter<>(2);
        /** Due time of the (single) timer, or of the buffered-events timer when split; MAX when none. */
        long deadline = Long.MAX_VALUE;
        /** Split timers only: the timeout timer's due time. */
        long timeout = Long.MAX_VALUE;
        /** Collected for stepping at the current watermark. */
        boolean due;

        Key(long id, int slot, NfaState<Txn> nfa) {
            this.id = id;
            this.slot = slot;
            this.nfa = nfa;
        }
    }

    private final Nfa<Txn> nfa;
    private final NfaProcessor<Txn> processor;
    private final long boundMillis;
    private final LongObjectMap<Key> keys;
    private final boolean dropIdle;
    private final boolean split;
    // idle keys for reuse: an idle NfaState is as good as a new one, and recycled ones are cache-hot
    private Key[] pool = new Key[64];
    private int poolSize;
    private final EventTimeSorter.Sink<Txn> sink = this::release;

    // key records by slot
    private Key[] bySlot = new Key[1024];
    private int slots;
    /** The single heap, or the buffered-events heap when split. */
    private final TimerHeap timers = new TimerHeap();
    /** Split only: window timeouts. */
    private final TimerHeap timeouts = new TimerHeap();

    /** Arrivals are taken in batches: lookups of many keys overlap their cache misses. */
    static final int BATCH = 64;
    private final Txn[] batch = new Txn[BATCH];
    @SuppressWarnings("unchecked")
    private final Key[] batchKeys = new Key[BATCH];
    private int batchSize;
    private Key[] due = new Key[64];
    /** Sum of {@link NfaState#prefetch()} results, kept so the reads are not elided. */
    long touched;

    private long maxTimestamp = Long.MIN_VALUE;
    private long watermark = Long.MIN_VALUE;
    private Key current;
    private long matches;
    private long processed;

    public PeregrineRunner(Nfa<Txn> nfa, long boundMillis, int expectedKeys) {
        this(nfa, boundMillis, expectedKeys, true, Timers.SINGLE);
    }

    /**
     * @param dropIdle drop a key once its state is idle ({@link NfaState#isIdle()}) and nothing is
     *     buffered for it, recycling its state for the next new key; otherwise every key seen is kept
     */
    public PeregrineRunner(Nfa<Txn> nfa, long boundMillis, int expectedKeys, boolean dropIdle, Timers timerMode) {
        this.nfa = nfa;
        this.dropIdle = dropIdle;
        this.split = timerMode == Timers.SPLIT;
        this.processor = nfa.newProcessor();
        this.boundMillis = boundMillis;
        // when idle keys are dropped only the active ones are in the map: start small, it grows
        this.keys = new LongObjectMap<>(dropIdle ? 1024 : expectedKeys);
    }

    /**
     * One event as it arrives. Events are buffered in batches of {@link #BATCH}; the watermark
     * advances at the end of a batch, like a periodic watermark (FlinkCEP's default interval is
     * 200 ms of processing time), so only lateness is judged against a watermark up to one batch
     * old (the generator never produces late events).
     */
    public void onEvent(Txn txn) {
        batch[batchSize++] = txn;
        if (batchSize == BATCH) {
            flush();
        }
    }

    /** Buffers the pending batch and advances the watermark. */
    public void flush() {
        int n = batchSize;
        if (n == 0) {
            return;
        }
        // independent lookups first, so that their cache misses overlap
        for (int i = 0; i < n; i++) {
            batchKeys[i] = keys.get(batch[i].cardId());
        }
        for (int i = 0; i < n; i++) {
            Key key = batchKeys[i];
            if (key != null) {
                touched += key.sorter.earliestTimestamp();
            }
        }
        long maxTs = maxTimestamp;
        for (int i = 0; i < n; i++) {
            Txn txn = batch[i];
            Key key = batchKeys[i];
            batch[i] = null;
            batchKeys[i] = null;
            long ts = txn.ts();
            if (ts <= watermark) {
                continue; // late: dropped, as FlinkCEP does
            }
            if (key == null) {
                key = keyFor(txn.cardId()); // may have been created by an earlier event of this batch
            }
            key.sorter.add(txn, ts);
            if (ts < key.deadline) {
                key.deadline = ts;
                timers.set(key.slot, ts);
            }
            maxTs = Math.max(maxTs, ts);
        }
        batchSize = 0;
        if (maxTs > maxTimestamp) {
            maxTimestamp = maxTs;
            long wm = maxTs - boundMillis - 1;
            if (wm > watermark) {
                advanceWatermark(wm);
            }
        }
    }

    private Key keyFor(long cardId) {
        Key key = keys.get(cardId);
        if (key == null) {
            if (poolSize > 0) {
                key = pool[--poolSize];
                pool[poolSize] = null;
                key.id = cardId;
            } else {
                key = newKey(cardId);
            }
            keys.put(cardId, key);
        }
        return key;
    }

    /** End of input: Flink's final Long.MAX_VALUE watermark. */
    public void finish() {
        flush();
        advanceWatermark(Long.MAX_VALUE);
    }

    public void advanceWatermark(long wm) {
        watermark = wm;
        while (true) {
            int n = collectDue(wm);
            if (n == 0) {
                break;
            }
            // read every due key's state first: their cache misses overlap
            for (int i = 0; i < n; i++) {
                touched += due[i].nfa.prefetch() + due[i].sorter.earliestTimestamp();
            }
            for (int i = 0; i < n; i++) {
                Key key = due[i];
                due[i] = null;
                key.due = false;
                step(key, wm);
            }
        }
    }

    /** Takes every key whose timer is due off the heaps, once each. */
    private int collectDue(long wm) {
        int n = 0;
        while (true) {
            Key key;
            if (timers.size() > 0 && timers.peekDeadline() <= wm) {
                key = bySlot[timers.peekSlot()];
                timers.set(key.slot, Long.MAX_VALUE);
                key.deadline = Long.MAX_VALUE;
            } else if (split && timeouts.size() > 0 && timeouts.peekDeadline() <= wm) {
                key = bySlot[timeouts.peekSlot()];
                timeouts.set(key.slot, Long.MAX_VALUE);
                key.timeout = Long.MAX_VALUE;
            } else {
                return n;
            }
            if (!key.due) {
                key.due = true;
                if (n == due.length) {
                    due = Arrays.copyOf(due, n * 2);
                }
                due[n++] = key;
            }
        }
    }

    private void step(Key key, long wm) {
        current = key;
        key.sorter.releaseUpTo(wm, sink);
        processor.advanceTime(key.nfa, wm, this);
        current = null;
        long buffered = key.sorter.earliestTimestamp();
        long timeout = key.nfa.nextTimeout();
        long next = Math.min(buffered, timeout);
        if (split) {
            key.deadline = buffered;
            timers.set(key.slot, buffered);
            if (timeout != key.timeout) {
                key.timeout = timeout;
                timeouts.set(key.slot, timeout);
            }
        } else {
            key.deadline = next;
            timers.set(key.slot, next);
        }
        if (next == Long.MAX_VALUE) {
            if (dropIdle && key.nfa.isIdle()) {
                keys.remove(key.id);
                if (poolSize == pool.length) {
                    pool = Arrays.copyOf(pool, poolSize * 2);
                }
                pool[poolSize++] = key;
            }
        } else if (next <= wm) {
            throw new IllegalStateException("key " + key.id + " still has work at or before watermark " + wm
                    + " after advancing to it (next " + next + ")");
        }
    }

    private void release(Txn txn, long ts) {
        processed++;
        processor.process(current.nfa, txn, ts, this);
    }

    private Key newKey(long cardId) {
        int slot = slots++;
        if (slot == bySlot.length) {
            bySlot = Arrays.copyOf(bySlot, slot * 2);
        }
        Key key = new Key(cardId, slot, nfa.newState());
        bySlot[slot] = key;
        return key;
    }

    @Override
    public void onMatch(Match<Txn> match) {
        matches++;
    }

    public long matches() {
        return matches;
    }

    public long processed() {
        return processed;
    }

    public int keyCount() {
        return keys.size();
    }

    public long watermark() {
        return watermark;
    }

    /** Partial matches over all keys (walks the map: for checkpoints, not the hot path). */
    public long partialMatches() {
        long[] n = new long[1];
        keys.forEachValue(k -> n[0] += k.nfa.partialMatchCount());
        return n[0];
    }

    /** Events buffered in sorters, waiting for the watermark. */
    public long bufferedEvents() {
        long[] n = new long[1];
        keys.forEachValue(k -> n[0] += k.sorter.size());
        return n[0];
    }

    /** Queued timers (both heaps when split). */
    public int timers() {
        return timers.size() + timeouts.size();
    }
}
