package io.peregrine.bench;

import io.peregrine.cep.EventTimeSorter;
import io.peregrine.cep.Match;
import io.peregrine.cep.MatchCollector;
import io.peregrine.cep.Nfa;
import io.peregrine.cep.NfaProcessor;
import io.peregrine.cep.NfaState;
import java.util.Arrays;

/**
 * A minimal single-threaded keyed event-time runtime around cep-core, doing what FlinkCEP's keyed
 * operator does: per key an {@link NfaState} and an {@link EventTimeSorter}, a bounded-out-of-orderness
 * watermark ({@code max timestamp - bound - 1}, as Flink's) advanced as events arrive, and a final
 * watermark at the end of input that flushes everything.
 *
 * <p>Keys live in a {@link LongObjectMap}; a key whose state is idle (no partial match) and that has
 * nothing buffered is dropped and its state recycled, so only active cards stay in memory (FlinkCEP
 * keeps every key's state). One global indexed (4-ary) min-heap holds at most one timer per
 * key, due at {@code min(sorter.earliestTimestamp(), state.nextTimeout())}: when the watermark
 * advances only keys with buffered events or windows closing by then are touched, never a scan of all
 * keys.
 */
public final class PeregrineRunner implements MatchCollector<Txn> {

    /** Per-key state. */
    static final class Key {
        long id;
        /** Dense index of this key record (kept when recycled): its entry in the timer heap's position table. */
        final int slot;
        final NfaState<Txn> nfa;
        final EventTimeSorter<Txn> sorter = new EventTimeSorter<>(2);
        /** Due time of its timer, MAX when it has none. */
        long deadline = Long.MAX_VALUE;

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
    // idle keys for reuse: an idle NfaState is as good as a new one, and recycled ones are cache-hot
    private Key[] pool = new Key[64];
    private int poolSize;
    private final EventTimeSorter.Sink<Txn> sink = this::release;

    // key records by slot
    private Key[] bySlot = new Key[1024];
    private int slots;

    // timer heap, 4-ary, in flat arrays: deadline and key slot per entry, and each slot's position
    private long[] heapDeadlines = new long[1024];
    private int[] heapSlots = new int[1024];
    private int[] positions = new int[1024];
    private int heapSize;

    private long maxTimestamp = Long.MIN_VALUE;
    private long watermark = Long.MIN_VALUE;
    private Key current;
    private long matches;
    private long processed;

    public PeregrineRunner(Nfa<Txn> nfa, long boundMillis, int expectedKeys) {
        this(nfa, boundMillis, expectedKeys, true);
    }

    /**
     * @param dropIdle drop a key once its state is idle ({@link NfaState#isIdle()}) and nothing is
     *     buffered for it, recycling its state for the next new key; otherwise every key seen is kept
     */
    public PeregrineRunner(Nfa<Txn> nfa, long boundMillis, int expectedKeys, boolean dropIdle) {
        this.nfa = nfa;
        this.dropIdle = dropIdle;
        this.processor = nfa.newProcessor();
        this.boundMillis = boundMillis;
        this.keys = new LongObjectMap<>(expectedKeys);
    }

    /** One event as it arrives. */
    public void onEvent(Txn txn) {
        long ts = txn.ts();
        if (ts <= watermark) {
            return; // late: dropped, as FlinkCEP does (the generator never produces any)
        }
        long cardId = txn.cardId();
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
        key.sorter.add(txn, ts);
        if (ts < key.deadline) {
            schedule(key, ts);
        }
        if (ts > maxTimestamp) {
            maxTimestamp = ts;
            long wm = ts - boundMillis - 1;
            if (wm > watermark) {
                advanceWatermark(wm);
            }
        }
    }

    /** End of input: Flink's final Long.MAX_VALUE watermark. */
    public void finish() {
        advanceWatermark(Long.MAX_VALUE);
    }

    public void advanceWatermark(long wm) {
        watermark = wm;
        while (heapSize > 0 && heapDeadlines[0] <= wm) {
            Key key = bySlot[heapSlots[0]];
            current = key;
            key.sorter.releaseUpTo(wm, sink);
            processor.advanceTime(key.nfa, wm, this);
            current = null;
            long next = Math.min(key.sorter.earliestTimestamp(), key.nfa.nextTimeout());
            if (next == Long.MAX_VALUE) {
                removeTop();
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
            } else {
                key.deadline = next; // > wm >= old deadline: moves down
                siftDown(0, key.slot, next);
            }
        }
    }

    private void release(Txn txn, long ts) {
        processed++;
        processor.process(current.nfa, txn, ts, this);
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

    public int timers() {
        return heapSize;
    }

    Key newKey(long cardId) {
        int slot = slots++;
        if (slot == bySlot.length) {
            bySlot = Arrays.copyOf(bySlot, slot * 2);
            positions = Arrays.copyOf(positions, slot * 2);
        }
        Key key = new Key(cardId, slot, nfa.newState());
        bySlot[slot] = key;
        positions[slot] = -1;
        return key;
    }

    // ------------------------------------------------------------------ indexed 4-ary min-heap of keys
    //
    // Flat arrays only: sifting compares contiguous longs and moves (deadline, slot) pairs, and the
    // position table is a dense int[]; no Key object is touched while sifting. The heap holds a timer
    // for every key with an open window (up to ~100k), so this matters. 4-ary halves the depth and
    // puts a node's children in one cache line.

    private void schedule(Key key, long deadline) {
        // only ever moves a key's deadline earlier
        key.deadline = deadline;
        int slot = key.slot;
        int at = positions[slot];
        if (at < 0) {
            if (heapSize == heapDeadlines.length) {
                heapDeadlines = Arrays.copyOf(heapDeadlines, heapSize * 2);
                heapSlots = Arrays.copyOf(heapSlots, heapSize * 2);
            }
            at = heapSize++;
        }
        siftUp(at, slot, deadline);
    }

    private void removeTop() {
        int top = heapSlots[0];
        positions[top] = -1;
        bySlot[top].deadline = Long.MAX_VALUE;
        int n = --heapSize;
        if (n > 0) {
            siftDown(0, heapSlots[n], heapDeadlines[n]);
        }
    }

    private void siftUp(int k, int slot, long d) {
        long[] ds = heapDeadlines;
        int[] ss = heapSlots;
        int[] pos = positions;
        while (k > 0) {
            int parent = (k - 1) >>> 2;
            long pd = ds[parent];
            if (d >= pd) {
                break;
            }
            int ps = ss[parent];
            ds[k] = pd;
            ss[k] = ps;
            pos[ps] = k;
            k = parent;
        }
        ds[k] = d;
        ss[k] = slot;
        pos[slot] = k;
    }

    private void siftDown(int k, int slot, long d) {
        long[] ds = heapDeadlines;
        int[] ss = heapSlots;
        int[] pos = positions;
        int n = heapSize;
        while (true) {
            int first = (k << 2) + 1;
            if (first >= n) {
                break;
            }
            int best = first;
            long bd = ds[first];
            int end = Math.min(first + 4, n);
            for (int c = first + 1; c < end; c++) {
                long cd = ds[c];
                if (cd < bd) {
                    bd = cd;
                    best = c;
                }
            }
            if (d <= bd) {
                break;
            }
            int bs = ss[best];
            ds[k] = bd;
            ss[k] = bs;
            pos[bs] = k;
            k = best;
        }
        ds[k] = d;
        ss[k] = slot;
        pos[slot] = k;
    }
}
