package io.peregrine.runtime;

import java.util.Arrays;

/**
 * An indexed 4-ary min-heap of timers, at most one per key slot (dense int ids), in flat arrays: the
 * deadline and slot of each entry, and each slot's position. Sifting compares contiguous longs and
 * touches no key object; 4-ary halves the depth of a binary heap and puts a node's children in one
 * cache line. Not thread-safe.
 */
public final class TimerHeap {

    private long[] deadlines = new long[256];
    private int[] slots = new int[256];
    private int[] positions = new int[256]; // by slot; -1 when not queued
    private int size;

    public TimerHeap() {
        Arrays.fill(positions, -1);
    }

    public int size() {
        return size;
    }

    /** Earliest deadline, or Long.MAX_VALUE when empty. */
    public long peekDeadline() {
        return size == 0 ? Long.MAX_VALUE : deadlines[0];
    }

    public int peekSlot() {
        return slots[0];
    }

    /** The slot's deadline, or Long.MAX_VALUE when it has none. */
    public long deadline(int slot) {
        if (slot >= positions.length) {
            return Long.MAX_VALUE;
        }
        int at = positions[slot];
        return at < 0 ? Long.MAX_VALUE : deadlines[at];
    }

    /** Sets the slot's timer to {@code deadline}, earlier or later; Long.MAX_VALUE removes it. */
    public void set(int slot, long deadline) {
        ensureSlot(slot);
        int at = positions[slot];
        if (deadline == Long.MAX_VALUE) {
            if (at >= 0) {
                removeAt(at);
            }
            return;
        }
        if (at < 0) {
            if (size == deadlines.length) {
                deadlines = Arrays.copyOf(deadlines, size * 2);
                slots = Arrays.copyOf(slots, size * 2);
            }
            siftUp(size++, slot, deadline);
        } else if (deadline < deadlines[at]) {
            siftUp(at, slot, deadline);
        } else {
            siftDown(at, slot, deadline);
        }
    }

    private void ensureSlot(int slot) {
        if (slot >= positions.length) {
            int old = positions.length;
            positions = Arrays.copyOf(positions, Math.max(slot + 1, old * 2));
            Arrays.fill(positions, old, positions.length, -1);
        }
    }

    private void removeAt(int at) {
        positions[slots[at]] = -1;
        int n = --size;
        if (at == n) {
            return;
        }
        int lastSlot = slots[n];
        long last = deadlines[n];
        if (at > 0 && last < deadlines[(at - 1) >>> 2]) {
            siftUp(at, lastSlot, last);
        } else {
            siftDown(at, lastSlot, last);
        }
    }

    private void siftUp(int k, int slot, long d) {
        long[] ds = deadlines;
        int[] ss = slots;
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
        long[] ds = deadlines;
        int[] ss = slots;
        int[] pos = positions;
        int n = size;
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
