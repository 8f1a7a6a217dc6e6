package io.peregrine.runtime.state;

import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/** {@link KeyedState} of {@link HeapStateBackend}: a linear-probing table per key group. */
final class HeapKeyedState<V> implements KeyedState<V> {

    private final String name;
    private final ValueCodec<V> codec;
    private final KeyGroupRange range;
    private final Table[] tables;
    private long size;

    HeapKeyedState(String name, ValueCodec<V> codec, KeyGroupRange range) {
        this.name = name;
        this.codec = codec;
        this.range = range;
        this.tables = new Table[range.size()];
    }

    ValueCodec<V> codec() {
        return codec;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public KeyGroupRange keyGroups() {
        return range;
    }

    private Table table(int keyGroup, boolean create) {
        int i = keyGroup - range.first();
        if (i < 0 || i >= tables.length) {
            throw new IllegalArgumentException(
                    "key group " + keyGroup + " is not in " + range + " of state '" + name + "'");
        }
        Table t = tables[i];
        if (t == null && create) {
            t = new Table();
            tables[i] = t;
        }
        return t;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(int keyGroup, int hash, byte[] key, int offset, int length) {
        Table t = table(keyGroup, false);
        return t == null ? null : (V) t.get(hash, key, offset, length);
    }

    @Override
    public void put(int keyGroup, int hash, byte[] key, V value) {
        if (value == null) {
            throw new IllegalArgumentException("null value for state '" + name + "'");
        }
        if (table(keyGroup, true).put(hash, key, value)) {
            size++;
        }
    }

    @Override
    public void update(int keyGroup, int hash, byte[] key, V value) {
        // the table holds the object itself: nothing to do
    }

    @Override
    public boolean remove(int keyGroup, int hash, byte[] key, int offset, int length) {
        Table t = table(keyGroup, false);
        if (t != null && t.remove(hash, key, offset, length)) {
            size--;
            return true;
        }
        return false;
    }

    @Override
    public long size() {
        return size;
    }

    int groupSize(int keyGroup) {
        Table t = table(keyGroup, false);
        return t == null ? 0 : t.size;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void forEach(int keyGroup, BiConsumer<byte[], V> visitor) {
        Table t = table(keyGroup, false);
        if (t == null) {
            return;
        }
        for (int i = 0; i < t.keys.length; i++) {
            if (t.keys[i] != null) {
                visitor.accept(t.keys[i], (V) t.values[i]);
            }
        }
    }

    List<KeyGroupFormat.Entry> entries(int keyGroup, ByteArrayOutputStream bytes, DataOutputStream out)
            throws IOException {
        List<KeyGroupFormat.Entry> entries = new ArrayList<>();
        Table t = table(keyGroup, false);
        if (t == null) {
            return entries;
        }
        for (int i = 0; i < t.keys.length; i++) {
            if (t.keys[i] != null) {
                bytes.reset();
                @SuppressWarnings("unchecked")
                V v = (V) t.values[i];
                codec.write(v, out);
                out.flush();
                entries.add(new KeyGroupFormat.Entry(t.keys[i], bytes.toByteArray()));
            }
        }
        return entries;
    }

    void restoreEntry(int keyGroup, byte[] key, DataInput value) throws IOException {
        put(keyGroup, KeyGroups.hash(key), key, codec.read(value));
    }

    /**
     * Linear probing over parallel arrays, indexed by Fibonacci hashing of the key's murmur hash
     * (its low bits are the key group, the same for every key of a table, so they cannot be used).
     */
    private static final class Table {
        int[] hashes = new int[8];
        byte[][] keys = new byte[8][];
        Object[] values = new Object[8];
        int size;
        int shift = 32 - 3;

        private int slot(int hash) {
            return (hash * 0x9E3779B9) >>> shift;
        }

        Object get(int hash, byte[] key, int offset, int length) {
            byte[][] ks = keys;
            int mask = ks.length - 1;
            for (int i = slot(hash); ; i = (i + 1) & mask) {
                byte[] k = ks[i];
                if (k == null) {
                    return null;
                }
                if (hashes[i] == hash && Arrays.equals(k, 0, k.length, key, offset, offset + length)) {
                    return values[i];
                }
            }
        }

        /** @return true when the key is new */
        boolean put(int hash, byte[] key, Object value) {
            int mask = keys.length - 1;
            for (int i = slot(hash); ; i = (i + 1) & mask) {
                byte[] k = keys[i];
                if (k == null) {
                    keys[i] = key;
                    hashes[i] = hash;
                    values[i] = value;
                    if (++size * 4 > keys.length * 3) {
                        grow();
                    }
                    return true;
                }
                if (hashes[i] == hash && Arrays.equals(k, key)) {
                    keys[i] = key;
                    values[i] = value;
                    return false;
                }
            }
        }

        boolean remove(int hash, byte[] key, int offset, int length) {
            int mask = keys.length - 1;
            int i = slot(hash);
            while (true) {
                byte[] k = keys[i];
                if (k == null) {
                    return false;
                }
                if (hashes[i] == hash && Arrays.equals(k, 0, k.length, key, offset, offset + length)) {
                    break;
                }
                i = (i + 1) & mask;
            }
            // backward-shift deletion keeps every probe chain unbroken without tombstones
            int hole = i;
            for (int j = (hole + 1) & mask; keys[j] != null; j = (j + 1) & mask) {
                int home = slot(hashes[j]);
                boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
                if (movable) {
                    keys[hole] = keys[j];
                    hashes[hole] = hashes[j];
                    values[hole] = values[j];
                    hole = j;
                }
            }
            keys[hole] = null;
            values[hole] = null;
            size--;
            return true;
        }

        private void grow() {
            int[] oh = hashes;
            byte[][] ok = keys;
            Object[] ov = values;
            int cap = ok.length * 2;
            hashes = new int[cap];
            keys = new byte[cap][];
            values = new Object[cap];
            shift--;
            int mask = cap - 1;
            for (int j = 0; j < ok.length; j++) {
                if (ok[j] != null) {
                    int i = slot(oh[j]);
                    while (keys[i] != null) {
                        i = (i + 1) & mask;
                    }
                    keys[i] = ok[j];
                    hashes[i] = oh[j];
                    values[i] = ov[j];
                }
            }
        }
    }
}
