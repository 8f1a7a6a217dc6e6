package io.peregrine.cep;

import java.util.Arrays;

/**
 * Holds one key's events until the watermark passes them, then releases them ordered by timestamp
 * and, for equal timestamps, by arrival: what an NFA needs to give the same answer for any arrival
 * order within the out-of-orderness bound.
 *
 * <p>A binary heap over two arrays: the sort keys (timestamp and arrival number side by side, so a
 * comparison reads one cache line) and the events. Adding and releasing allocate nothing once the
 * arrays have grown to the key's backlog.
 */
public final class EventTimeSorter<E> {

    /** Receives released events in order. */
    @FunctionalInterface
    public interface Sink<E> {
        void accept(E event, long timestamp);
    }

    /** Entry i's timestamp at [2i], its arrival number at [2i + 1]. */
    private long[] keys;
    private Object[] events;
    private int size;
    private long nextArrival;

    public EventTimeSorter() {
        this(4);
    }

    public EventTimeSorter(int initialCapacity) {
        int cap = Math.max(1, initialCapacity);
        keys = new long[2 * cap];
        events = new Object[cap];
    }

    public void add(E event, long timestamp) {
        if (size == events.length) {
            int cap = size + (size >> 1) + 1;
            keys = Arrays.copyOf(keys, 2 * cap);
            events = Arrays.copyOf(events, cap);
        }
        long arrival = nextArrival++;
        long[] k = keys;
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!less(timestamp, arrival, k[2 * parent], k[2 * parent + 1])) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        k[2 * i] = timestamp;
        k[2 * i + 1] = arrival;
        events[i] = event;
    }

    /**
     * Releases, in order, every event with a timestamp at or below {@code watermark}.
     *
     * @return the number released
     */
    public int releaseUpTo(long watermark, Sink<? super E> sink) {
        int released = 0;
        while (size > 0 && keys[0] <= watermark) {
            @SuppressWarnings("unchecked")
            E event = (E) events[0];
            long ts = keys[0];
            removeTop();
            released++;
            sink.accept(event, ts);
        }
        return released;
    }

    /** Timestamp of the earliest held event, or {@code Long.MAX_VALUE} when empty. */
    public long earliestTimestamp() {
        return size == 0 ? Long.MAX_VALUE : keys[0];
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    private void removeTop() {
        int n = --size;
        long[] k = keys;
        long ts = k[2 * n];
        long ar = k[2 * n + 1];
        Object ev = events[n];
        events[n] = null;
        if (n == 0) {
            events[0] = null;
            return;
        }
        int i = 0;
        int half = n >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < n && less(k[2 * right], k[2 * right + 1], k[2 * child], k[2 * child + 1])) {
                child = right;
            }
            if (!less(k[2 * child], k[2 * child + 1], ts, ar)) {
                break;
            }
            move(child, i);
            i = child;
        }
        k[2 * i] = ts;
        k[2 * i + 1] = ar;
        events[i] = ev;
    }

    private void move(int from, int to) {
        keys[2 * to] = keys[2 * from];
        keys[2 * to + 1] = keys[2 * from + 1];
        events[to] = events[from];
    }

    private static boolean less(long ts1, long ar1, long ts2, long ar2) {
        return ts1 < ts2 || (ts1 == ts2 && ar1 < ar2);
    }
}
