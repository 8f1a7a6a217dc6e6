package io.peregrine.runtime.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * {@link KeyedState} of {@link RocksDbStateBackend}: a column family, fronted by a write-back cache
 * of live values (a heap table per key group) so that a value read once is served from memory and
 * written once per flush, however often it changed.
 */
final class RocksDbKeyedState<V> implements KeyedState<V> {

    /** A cached value: dirty until flushed; stored once RocksDB has it. */
    private static final class Entry<V> {
        final byte[] key;
        final int keyGroup;
        V value;
        boolean dirty;
        boolean stored;
        boolean removed;

        Entry(byte[] key, int keyGroup, V value, boolean stored) {
            this.key = key;
            this.keyGroup = keyGroup;
            this.value = value;
            this.stored = stored;
        }
    }

    private final String name;
    private final ValueCodec<V> codec;
    private final KeyGroupRange range;
    private final RocksDB db;
    private final ColumnFamilyHandle family;
    private final WriteOptions writeOptions;
    private final ReadOptions readOptions;
    private final Path path;
    private final int cacheCapacity;
    private final HeapKeyedState<Entry<V>> cache;
    private final List<Entry<V>> dirty = new ArrayList<>();
    private long size;

    private byte[] keyBuf = new byte[64];
    private byte[] valueBuf = new byte[1024];
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    private final DataOutputStream bytesOut = new DataOutputStream(bytes);
    // the last key a get did not find, so that the put that usually follows needs no second read
    private byte[] lastMiss = new byte[64];
    private int lastMissLength = -1;

    RocksDbKeyedState(String name, ValueCodec<V> codec, KeyGroupRange range, RocksDB db, ColumnFamilyHandle family,
                      WriteOptions writeOptions, ReadOptions readOptions, Path path, int cacheCapacity) {
        this.name = name;
        this.codec = codec;
        this.range = range;
        this.db = db;
        this.family = family;
        this.writeOptions = writeOptions;
        this.readOptions = readOptions;
        this.path = path;
        this.cacheCapacity = cacheCapacity;
        this.cache = new HeapKeyedState<>(name, null, range);
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

    int dirtyCount() {
        return dirty.size();
    }

    long cached() {
        return cache.size();
    }

    private StateException failure(String what, Exception e) {
        return new StateException("RocksDB state '" + name + "' at " + path + ": cannot " + what + ": "
                + e.getMessage(), e);
    }

    /** Fills keyBuf with the stored form of a key: 2-byte key group, then the key; returns its length. */
    private int storeKey(int keyGroup, byte[] key, int offset, int length) {
        int n = length + 2;
        if (keyBuf.length < n) {
            keyBuf = new byte[Math.max(n, keyBuf.length * 2)];
        }
        keyBuf[0] = (byte) (keyGroup >>> 8);
        keyBuf[1] = (byte) keyGroup;
        System.arraycopy(key, offset, keyBuf, 2, length);
        return n;
    }

    /** Reads a stored value into valueBuf; returns its length or -1 when absent. */
    private int read(int keyLength) {
        try {
            int n = db.get(family, readOptions, keyBuf, 0, keyLength, valueBuf, 0, valueBuf.length);
            if (n > valueBuf.length) {
                valueBuf = new byte[Math.max(n, valueBuf.length * 2)];
                n = db.get(family, readOptions, keyBuf, 0, keyLength, valueBuf, 0, valueBuf.length);
            }
            return n;
        } catch (RocksDBException e) {
            throw failure("read", e);
        }
    }

    private V decode(byte[] b, int length) {
        try {
            return codec.read(new DataInputStream(new ByteArrayInputStream(b, 0, length)));
        } catch (IOException e) {
            throw new StateException("RocksDB state '" + name + "' at " + path + ": cannot decode a value: "
                    + e.getMessage(), e);
        }
    }

    private void checkGroup(int keyGroup) {
        if (!range.contains(keyGroup)) {
            throw new IllegalArgumentException("key group " + keyGroup + " is not in " + range + " of state '" + name + "'");
        }
    }

    @Override
    public V get(int keyGroup, int hash, byte[] key, int offset, int length) {
        Entry<V> e = cache.get(keyGroup, hash, key, offset, length);
        if (e != null) {
            return e.value;
        }
        int n = read(storeKey(keyGroup, key, offset, length));
        if (n < 0) {
            if (lastMiss.length < length) {
                lastMiss = new byte[Math.max(length, lastMiss.length * 2)];
            }
            System.arraycopy(key, offset, lastMiss, 0, length);
            lastMissLength = length;
            return null;
        }
        V v = decode(valueBuf, n);
        cache.put(keyGroup, hash, Arrays.copyOfRange(key, offset, offset + length),
                new Entry<>(Arrays.copyOfRange(key, offset, offset + length), keyGroup, v, true));
        return v;
    }

    @Override
    public void put(int keyGroup, int hash, byte[] key, V value) {
        if (value == null) {
            throw new IllegalArgumentException("null value for state '" + name + "'");
        }
        Entry<V> e = cache.get(keyGroup, hash, key, 0, key.length);
        if (e == null) {
            boolean stored;
            if (lastMissLength == key.length && Arrays.equals(lastMiss, 0, key.length, key, 0, key.length)) {
                stored = false;
            } else {
                stored = read(storeKey(keyGroup, key, 0, key.length)) >= 0;
            }
            if (!stored) {
                size++;
            }
            e = new Entry<>(key, keyGroup, value, stored);
            cache.put(keyGroup, hash, key, e);
        }
        lastMissLength = -1;
        e.value = value;
        markDirty(e);
    }

    @Override
    public void update(int keyGroup, int hash, byte[] key, V value) {
        Entry<V> e = cache.get(keyGroup, hash, key, 0, key.length);
        if (e == null) {
            put(keyGroup, hash, key, value);
            return;
        }
        e.value = value;
        markDirty(e);
    }

    private void markDirty(Entry<V> e) {
        if (!e.dirty) {
            e.dirty = true;
            dirty.add(e);
        }
    }

    @Override
    public boolean remove(int keyGroup, int hash, byte[] key, int offset, int length) {
        Entry<V> e = cache.get(keyGroup, hash, key, offset, length);
        boolean stored;
        if (e != null) {
            cache.remove(keyGroup, hash, key, offset, length);
            e.removed = true;
            stored = e.stored;
        } else {
            checkGroup(keyGroup);
            stored = read(storeKey(keyGroup, key, offset, length)) >= 0;
            if (!stored) {
                return false;
            }
        }
        if (stored) {
            try {
                db.delete(family, writeOptions, keyBuf, 0, storeKey(keyGroup, key, offset, length));
            } catch (RocksDBException ex) {
                throw failure("delete", ex);
            }
        }
        lastMissLength = -1;
        size--;
        return true;
    }

    @Override
    public long size() {
        return size;
    }

    /** Writes every changed value in one batch, then drops clean values beyond the cache's capacity. */
    void flush() {
        if (!dirty.isEmpty()) {
            try (WriteBatch batch = new WriteBatch()) {
                for (Entry<V> e : dirty) {
                    e.dirty = false;
                    if (e.removed) {
                        continue;
                    }
                    bytes.reset();
                    codec.write(e.value, bytesOut);
                    bytesOut.flush();
                    byte[] k = new byte[e.key.length + 2];
                    k[0] = (byte) (e.keyGroup >>> 8);
                    k[1] = (byte) e.keyGroup;
                    System.arraycopy(e.key, 0, k, 2, e.key.length);
                    batch.put(family, k, bytes.toByteArray());
                    e.stored = true;
                }
                db.write(writeOptions, batch);
            } catch (RocksDBException | IOException ex) {
                throw failure("write " + dirty.size() + " changed values", ex);
            }
            dirty.clear();
        }
        if (cache.size() > cacheCapacity) {
            // down to three quarters, so that the scan is not repeated at every flush
            long target = cacheCapacity - cacheCapacity / 4;
            List<byte[]> drop = new ArrayList<>();
            for (int g = range.first(); g <= range.last() && cache.size() > target; g++) {
                drop.clear();
                cache.forEach(g, (key, e) -> {
                    if (!codec.keepInMemory(e.value)) {
                        drop.add(key);
                    }
                });
                for (byte[] key : drop) {
                    cache.remove(g, KeyGroups.hash(key), key, 0, key.length);
                }
            }
        }
    }

    @Override
    public void forEach(int keyGroup, BiConsumer<byte[], V> visitor) {
        checkGroup(keyGroup);
        flush();
        byte[] prefix = {(byte) (keyGroup >>> 8), (byte) keyGroup};
        try (RocksIterator it = db.newIterator(family, readOptions)) {
            for (it.seek(prefix); it.isValid(); it.next()) {
                byte[] k = it.key();
                if (k[0] != prefix[0] || k[1] != prefix[1]) {
                    break;
                }
                byte[] key = Arrays.copyOfRange(k, 2, k.length);
                int hash = KeyGroups.hash(key);
                Entry<V> e = cache.get(keyGroup, hash, key, 0, key.length);
                if (e == null) {
                    byte[] v = it.value();
                    e = new Entry<>(key, keyGroup, decode(v, v.length), true);
                    cache.put(keyGroup, hash, key, e);
                }
                visitor.accept(e.key, e.value);
            }
        }
    }

    /** This state's part of a snapshot (after its name): its non-empty key groups, entries in key order. */
    void snapshot(DataOutput out) throws IOException {
        flush();
        snapshot(out, readOptions);
    }

    /** Writes what {@code read} sees (a pinned snapshot, from another thread) without touching the cache. */
    void snapshot(DataOutput out, ReadOptions read) throws IOException {
        List<List<KeyGroupFormat.Entry>> groups = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        try (RocksIterator it = db.newIterator(family, read)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] k = it.key();
                int g = (k[0] & 0xff) << 8 | (k[1] & 0xff);
                if (ids.isEmpty() || ids.get(ids.size() - 1) != g) {
                    ids.add(g);
                    groups.add(new ArrayList<>());
                }
                groups.get(groups.size() - 1).add(new KeyGroupFormat.Entry(Arrays.copyOfRange(k, 2, k.length), it.value()));
            }
        }
        KeyGroupFormat.writeVarint(out, ids.size());
        for (int i = 0; i < ids.size(); i++) {
            KeyGroupFormat.writeGroup(out, ids.get(i), groups.get(i));
            groups.set(i, null);
        }
    }

    /** Reads this state's part of a snapshot, keeping the entries of this state's key groups. */
    void restore(DataInput in) throws IOException {
        flush();
        int groups = KeyGroupFormat.readVarint(in);
        try (WriteBatch batch = new WriteBatch()) {
            for (int g = 0; g < groups; g++) {
                int keyGroup = KeyGroupFormat.readVarint(in);
                int entries = KeyGroupFormat.readVarint(in);
                boolean mine = range.contains(keyGroup);
                for (int e = 0; e < entries; e++) {
                    byte[] key = KeyGroupFormat.readBytes(in);
                    byte[] value = KeyGroupFormat.readBytes(in);
                    if (mine) {
                        cache.remove(keyGroup, KeyGroups.hash(key), key, 0, key.length);
                        byte[] k = new byte[key.length + 2];
                        k[0] = (byte) (keyGroup >>> 8);
                        k[1] = (byte) keyGroup;
                        System.arraycopy(key, 0, k, 2, key.length);
                        batch.put(family, k, value);
                    }
                    if (batch.getDataSize() > (8 << 20)) {
                        db.write(writeOptions, batch);
                        batch.clear();
                    }
                }
            }
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw failure("restore a snapshot", e);
        }
        // entries may replace existing ones: count what is there
        long n = 0;
        try (RocksIterator it = db.newIterator(family, readOptions)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                n++;
            }
        }
        size = n;
        lastMissLength = -1;
    }

    void closeHandle() {
        family.close();
    }
}
