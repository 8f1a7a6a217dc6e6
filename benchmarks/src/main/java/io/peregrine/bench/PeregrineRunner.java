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
 * <p>Keys live in a {@link LongObjectMap}. One global indexed (4-ary) min-heap holds at most one timer per
 * key, due at {@code min(sorter.earliestTimestamp(), state.nextTimeout())}: when the watermark
 * advances only keys with buffered events or windows closing by then are touched, never a scan of all
 * keys.
 */
public final class PeregrineRunner implements MatchCollector<Txn> {

    /** Per-key state. */
    static final class Key {
        final long id;
        final NfaState<Txn> nfa;
        final EventTimeSorter<Txn> sorter = new EventTimeSorter<>(2);
        long deadline = Long.MAX_VALUE;
        int heapIndex = -1;

        Key(long id, NfaState<Txn> nfa) {
            this.id = id;
            this.nfa = nfa;
        }
    }

    private final Nfa<Txn> nfa;
    private final NfaProcessor<Txn> processor;
    private final long boundMillis;
    private final LongObjectMap<Key> keys;
    private final EventTimeSorter.Sink<Txn> sink = this::release;

    // timer heap: keys ordered by deadline
    private Key[] heap = new Key[1024];
    private long[] heapDeadlines = new long[1024];
    private int heapSize;

    private long maxTimestamp = Long.MIN_VALUE;
    private long watermark = Long.MIN_VALUE;
    private Key current;
    private long matches;
    private long processed;

    public PeregrineRunner(Nfa<Txn> nfa, long boundMillis, int expectedKeys) {
        this.nfa = nfa;
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
            key = new Key(cardId, nfa.newState());
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
            Key key = heap[0];
            current = key;
            key.sorter.releaseUpTo(wm, sink);
            processor.advanceTime(key.nfa, wm, this);
            current = null;
            long next = Math.min(key.sorter.earliestTimestamp(), key.nfa.nextTimeout());
            if (next == Long.MAX_VALUE) {
                removeTop();
            } else if (next <= wm) {
                throw new IllegalStateException("key " + key.id + " still has work at or before watermark " + wm
                        + " after advancing to it (next " + next + ")");
            } else {
                key.deadline = next; // > wm >= old deadline: moves down
                siftDown(0, key, next);
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

    // ------------------------------------------------------------------ indexed 4-ary min-heap of keys
    //
    // Deadlines sit in a long[] parallel to the keys, so sifting compares contiguous longs instead of
    // chasing Key pointers (the heap holds a timer for every key with an open window: ~100k); 4-ary
    // halves the depth and puts a node's children in one cache line.

    private void schedule(Key key, long deadline) {
        // only ever moves a key's deadline earlier
        key.deadline = deadline;
        if (key.heapIndex < 0) {
            if (heapSize == heap.length) {
                heap = Arrays.copyOf(heap, heapSize * 2);
                heapDeadlines = Arrays.copyOf(heapDeadlines, heapSize * 2);
            }
            siftUp(heapSize++, key, deadline);
        } else {
            siftUp(key.heapIndex, key, deadline);
        }
    }

    private void removeTop() {
        Key top = heap[0];
        top.heapIndex = -1;
        top.deadline = Long.MAX_VALUE;
        int n = --heapSize;
        Key last = heap[n];
        heap[n] = null;
        if (n > 0) {
            siftDown(0, last, heapDeadlines[n]);
        }
    }

    private void siftUp(int k, Key key, long d) {
        Key[] h = heap;
        long[] ds = heapDeadlines;
        while (k > 0) {
            int parent = (k - 1) >>> 2;
            long pd = ds[parent];
            if (d >= pd) {
                break;
            }
            Key p = h[parent];
            h[k] = p;
            ds[k] = pd;
            p.heapIndex = k;
            k = parent;
        }
        h[k] = key;
        ds[k] = d;
        key.heapIndex = k;
    }

    private void siftDown(int k, Key key, long d) {
        Key[] h = heap;
        long[] ds = heapDeadlines;
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
            Key c = h[best];
            h[k] = c;
            ds[k] = bd;
            c.heapIndex = k;
            k = best;
        }
        h[k] = key;
        ds[k] = d;
        key.heapIndex = k;
    }
}
