package io.peregrine.runtime;

import java.util.Arrays;

/**
 * One timer per key slot (dense int ids) in an indexed 4-ary min-heap over flat arrays: deadlines
 * and slots side by side, plus each slot's heap position, so moving a key's timer earlier or later
 * is a sift without allocation and a watermark step touches only due keys. Not thread-safe.
 */
final class TimerHeap {

    private long[] deadlines = new long[64];
    private int[] slots = new int[64];
    private int[] positions = new int[64];
    private int size;

    TimerHeap() {
        Arrays.fill(positions, -1);
    }

    int size() {
        return size;
    }

    /** The earliest deadline, or {@link Long#MAX_VALUE} when no timer is set. */
    long peekDeadline() {
        return size == 0 ? Long.MAX_VALUE : deadlines[0];
    }

    int peekSlot() {
        return slots[0];
    }

    /** Sets a slot's timer, earlier or later; {@link Long#MAX_VALUE} removes it. */
    void set(int slot, long deadline) {
        if (slot >= positions.length) {
            int old = positions.length;
            positions = Arrays.copyOf(positions, Math.max(slot + 1, old * 2));
            Arrays.fill(positions, old, positions.length, -1);
        }
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
        while (k > 0) {
            int parent = (k - 1) >>> 2;
            long pd = deadlines[parent];
            if (d >= pd) {
                break;
            }
            deadlines[k] = pd;
            slots[k] = slots[parent];
            positions[slots[k]] = k;
            k = parent;
        }
        deadlines[k] = d;
        slots[k] = slot;
        positions[slot] = k;
    }

    private void siftDown(int k, int slot, long d) {
        int n = size;
        while (true) {
            int first = (k << 2) + 1;
            if (first >= n) {
                break;
            }
            int best = first;
            long bd = deadlines[first];
            int end = Math.min(first + 4, n);
            for (int c = first + 1; c < end; c++) {
                if (deadlines[c] < bd) {
                    bd = deadlines[c];
                    best = c;
                }
            }
            if (d <= bd) {
                break;
            }
            deadlines[k] = bd;
            slots[k] = slots[best];
            positions[slots[k]] = k;
            k = best;
        }
        deadlines[k] = d;
        slots[k] = slot;
        positions[slot] = k;
    }
}
