package io.peregrine.bench;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Open-addressing hash map from primitive {@code long} keys to objects: linear probing over a
 * power-of-two table, keys and values in parallel arrays, no boxing and no entry objects. Removal
 * uses backward-shift deletion, so there are no tombstones. Not thread-safe.
 */
public final class LongObjectMap<V> {

    private static final float LOAD = 0.5f;

    private long[] keys;
    private Object[] values;
    private boolean hasZeroKey;
    private Object zeroValue;
    private int size;
    private int mask;
    private int resizeAt;

    public LongObjectMap() {
        this(16);
    }

    public LongObjectMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(4, (int) Math.ceil(expected / LOAD)) - 1) << 1;
        allocate(cap);
    }

    private void allocate(int cap) {
        keys = new long[cap];
        values = new Object[cap];
        mask = cap - 1;
        resizeAt = (int) (cap * LOAD);
    }

    /** Avalanching mix (the finalizer of MurmurHash3), so sequential ids spread. */
    private static int slot(long key, int mask) {
        long h = key;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h & mask;
    }

    @SuppressWarnings("unchecked")
    public V get(long key) {
        if (key == 0) {
            return hasZeroKey ? (V) zeroValue : null;
        }
        long[] ks = keys;
        int m = mask;
        int i = slot(key, m);
        while (true) {
            long k = ks[i];
            if (k == key) {
                return (V) values[i];
            }
            if (k == 0) {
                return null;
            }
            i = (i + 1) & m;
        }
    }

    /** Associates {@code value} (non-null) with {@code key}; returns the previous value or null. */
    @SuppressWarnings("unchecked")
    public V put(long key, V value) {
        if (value == null) {
            throw new NullPointerException("value");
        }
        if (key == 0) {
            V old = (V) zeroValue;
            if (!hasZeroKey) {
                hasZeroKey = true;
                size++;
            }
            zeroValue = value;
            return old;
        }
        int i = slot(key, mask);
        while (true) {
            long k = keys[i];
            if (k == key) {
                V old = (V) values[i];
                values[i] = value;
                return old;
            }
            if (k == 0) {
                keys[i] = key;
                values[i] = value;
                if (++size > resizeAt) {
                    rehash(keys.length * 2);
                }
                return null;
            }
            i = (i + 1) & mask;
        }
    }

    @SuppressWarnings("unchecked")
    public V remove(long key) {
        if (key == 0) {
            if (!hasZeroKey) {
                return null;
            }
            V old = (V) zeroValue;
            hasZeroKey = false;
            zeroValue = null;
            size--;
            return old;
        }
        int m = mask;
        int i = slot(key, m);
        while (true) {
            long k = keys[i];
            if (k == 0) {
                return null;
            }
            if (k == key) {
                break;
            }
            i = (i + 1) & m;
        }
        V old = (V) values[i];
        // backward-shift: move later entries of the probe run into the hole when that keeps them reachable
        int hole = i;
        int j = i;
        while (true) {
            j = (j + 1) & m;
            long k = keys[j];
            if (k == 0) {
                break;
            }
            int home = slot(k, m);
            // the entry at j may fill the hole if its home is not in the cyclic range (hole, j]
            boolean between = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
            if (!between) {
                keys[hole] = k;
                values[hole] = values[j];
                hole = j;
            }
        }
        keys[hole] = 0;
        values[hole] = null;
        size--;
        return old;
    }

    public int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    public void forEachValue(Consumer<? super V> action) {
        if (hasZeroKey) {
            action.accept((V) zeroValue);
        }
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0) {
                action.accept((V) values[i]);
            }
        }
    }

    public void clear() {
        Arrays.fill(keys, 0);
        Arrays.fill(values, null);
        hasZeroKey = false;
        zeroValue = null;
        size = 0;
    }

    private void rehash(int cap) {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        allocate(cap);
        for (int i = 0; i < oldKeys.length; i++) {
            long k = oldKeys[i];
            if (k != 0) {
                int j = slot(k, mask);
                while (keys[j] != 0) {
                    j = (j + 1) & mask;
                }
                keys[j] = k;
                values[j] = oldValues[i];
            }
        }
    }
}
