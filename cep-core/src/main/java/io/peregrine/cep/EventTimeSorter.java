package io.peregrine.cep;

import java.util.Arrays;

/**
 * Holds one key's events until the watermark passes them, then releases them ordered by timestamp
 * and, for equal timestamps, by arrival: what an NFA needs to give the same answer for any arrival
 * order within the out-of-orderness bound.
 *
 * <p>A binary heap over parallel arrays (timestamps, arrival numbers, events): adding and releasing
 * allocate nothing once the arrays have grown to the key's backlog.
 */
public final class EventTimeSorter<E> {

    /** Receives released events in order. */
    @FunctionalInterface
    public interface Sink<E> {
        void accept(E event, long timestamp);
    }

    private long[] timestamps;
    private long[] arrivals;
    private Object[] events;
    private int size;
    private long nextArrival;

    public EventTimeSorter() {
        this(4);
    }

    public EventTimeSorter(int initialCapacity) {
        int cap = Math.max(1, initialCapacity);
        timestamps = new long[cap];
        arrivals = new long[cap];
        events = new Object[cap];
    }

    public void add(E event, long timestamp) {
        if (size == events.length) {
            int cap = size + (size >> 1) + 1;
            timestamps = Arrays.copyOf(timestamps, cap);
            arrivals = Arrays.copyOf(arrivals, cap);
            events = Arrays.copyOf(events, cap);
        }
        long arrival = nextArrival++;
        int k = size++;
        while (k > 0) {
            int parent = (k - 1) >>> 1;
            if (!less(timestamp, arrival, timestamps[parent], arrivals[parent])) {
                break;
            }
            move(parent, k);
            k = parent;
        }
        timestamps[k] = timestamp;
        arrivals[k] = arrival;
        events[k] = event;
    }

    /**
     * Releases, in order, every event with a timestamp at or below {@code watermark}.
     *
     * @return the number released
     */
    public int releaseUpTo(long watermark, Sink<? super E> sink) {
        int released = 0;
        while (size > 0 && timestamps[0] <= watermark) {
            @SuppressWarnings("unchecked")
            E event = (E) events[0];
            long ts = timestamps[0];
            removeTop();
            released++;
            sink.accept(event, ts);
        }
        return released;
    }

    /** Timestamp of the earliest held event, or {@code Long.MAX_VALUE} when empty. */
    public long earliestTimestamp() {
        return size == 0 ? Long.MAX_VALUE : timestamps[0];
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    private void removeTop() {
        int n = --size;
        long ts = timestamps[n];
        long ar = arrivals[n];
        Object ev = events[n];
        events[n] = null;
        if (n == 0) {
            events[0] = null;
            return;
        }
        int k = 0;
        int half = n >>> 1;
        while (k < half) {
            int child = 2 * k + 1;
            int right = child + 1;
            if (right < n && less(timestamps[right], arrivals[right], timestamps[child], arrivals[child])) {
                child = right;
            }
            if (!less(timestamps[child], arrivals[child], ts, ar)) {
                break;
            }
            move(child, k);
            k = child;
        }
        timestamps[k] = ts;
        arrivals[k] = ar;
        events[k] = ev;
    }

    private void move(int from, int to) {
        timestamps[to] = timestamps[from];
        arrivals[to] = arrivals[from];
        events[to] = events[from];
    }

    private static boolean less(long ts1, long ar1, long ts2, long ar2) {
        return ts1 < ts2 || (ts1 == ts2 && ar1 < ar2);
    }
}
