package io.peregrine.feature;

import java.util.function.LongConsumer;

/** An open-addressing set of longs (linear probing, no boxing), for exact COUNT(DISTINCT). */
final class LongHashSet {

    private long[] slots = new long[8];
    private boolean[] used = new boolean[8];
    private int size;

    int size() {
        return size;
    }

    void clear() {
        if (size > 0) {
            java.util.Arrays.fill(used, false);
            size = 0;
        }
    }

    boolean add(long v) {
        if ((size + 1) * 4 > slots.length * 3) {
            grow();
        }
        int mask = slots.length - 1;
        int i = mix(v) & mask;
        while (used[i]) {
            if (slots[i] == v) {
                return false;
            }
            i = (i + 1) & mask;
        }
        used[i] = true;
        slots[i] = v;
        size++;
        return true;
    }

    void addAll(LongHashSet other) {
        for (int i = 0; i < other.slots.length; i++) {
            if (other.used[i]) {
                add(other.slots[i]);
            }
        }
    }

    void forEach(LongConsumer consumer) {
        for (int i = 0; i < slots.length; i++) {
            if (used[i]) {
                consumer.accept(slots[i]);
            }
        }
    }

    private void grow() {
        long[] oldSlots = slots;
        boolean[] oldUsed = used;
        slots = new long[oldSlots.length * 2];
        used = new boolean[oldSlots.length * 2];
        size = 0;
        for (int i = 0; i < oldSlots.length; i++) {
            if (oldUsed[i]) {
                add(oldSlots[i]);
            }
        }
    }

    private static int mix(long v) {
        long h = v * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
