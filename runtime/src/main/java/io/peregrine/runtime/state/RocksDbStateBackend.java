package io.peregrine.runtime.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * Keeps state in an embedded RocksDB, one database per worker in a fresh directory under the state
 * directory (deleted on close: durability comes from checkpoints, so the write-ahead log is off).
 * Each named state is a column family; a key is stored as its 2-byte big-endian key group followed
 * by the key bytes, so RocksDB's bytewise order is the portable snapshot's order (group, then key)
 * and a key group is one contiguous range.
 *
 * <p>Values are cached as live objects and written back in batches ({@link #flush}, called by the
 * worker between epochs, and before every snapshot): the hot path reads RocksDB only for a key not
 * in memory and never serializes per event. When the cache holds more than its capacity, a flush
 * drops the clean values that their codec does not {@linkplain ValueCodec#keepInMemory keep}.
 * Tuning: a shared LRU block cache, bloom filters on every column family, LZ4.
 */
public final class RocksDbStateBackend implements StateBackend {

    static {
        RocksDB.loadLibrary();
    }

    /** Values held in memory per state before a flush drops the ones it may. */
    public static final int DEFAULT_CACHE_CAPACITY = 200_000;
    /**
     * Changed values that make the worker's next between-epochs flush write them out: small enough
     * that a flush (and the one a checkpoint starts with) is a short pause, large enough that a
     * busy key is written once for many changes.
     */
    static final int FLUSH_THRESHOLD = 2_048;

    private final KeyGroupRange keyGroups;
    private final Path path;
    private final int cacheCapacity;
    private final int flushThreshold;
    private final LRUCache blockCache;
    private final BloomFilter bloom;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final WriteOptions writeOptions;
    private final ReadOptions readOptions;
    private final RocksDB db;
    private final ColumnFamilyHandle defaultFamily;
    private final Map<String, RocksDbKeyedState<?>> states = new TreeMap<>();
    private boolean closed;
    /** Snapshots being written on other threads: close waits for them. */
    private int openSnapshots;

    /**
     * Opens a new, empty store in a fresh directory under {@code parent} (created if missing).
     *
     * @throws StateException when the directory or the store cannot be created (the message names the path)
     */
    public RocksDbStateBackend(Path parent, String prefix, KeyGroupRange keyGroups, int cacheCapacity) {
        this.keyGroups = keyGroups;
        if (cacheCapacity < 1) {
            throw new IllegalArgumentException("cache capacity must be positive, was " + cacheCapacity);
        }
        this.cacheCapacity = cacheCapacity;
        this.flushThreshold = Math.max(1, Math.min(FLUSH_THRESHOLD, cacheCapacity / 4));
        try {
            Files.createDirectories(parent);
            this.path = Files.createTempDirectory(parent, prefix);
        } catch (IOException e) {
            throw new StateException("cannot create a RocksDB state directory in " + parent + ": " + e, e);
        }
        blockCache = new LRUCache(64L << 20);
        bloom = new BloomFilter(10, false);
        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setBlockCache(blockCache)
                .setFilterPolicy(bloom)
                .setCacheIndexAndFilterBlocks(true)
                .setBlockSize(16 * 1024);
        cfOptions = new ColumnFamilyOptions()
                .setTableFormatConfig(table)
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setWriteBufferSize(32L << 20)
                .setMaxWriteBufferNumber(3);
        dbOptions = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setMaxBackgroundJobs(2)
                .setInfoLogLevel(org.rocksdb.InfoLogLevel.WARN_LEVEL)
                .setKeepLogFileNum(2);
        writeOptions = new WriteOptions().setDisableWAL(true);
        readOptions = new ReadOptions();
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try {
            db = RocksDB.open(dbOptions, path.toString(),
                    List.of(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions)), handles);
        } catch (RocksDBException e) {
            closeOptions();
            deleteDirectory(path);
            throw new StateException("cannot open RocksDB state store at " + path + ": " + e.getMessage(), e);
        }
        defaultFamily = handles.get(0);
    }

    /** A backend per worker in {@code dir/worker-N-*}, each caching up to the default number of values per state. */
    public static StateBackendFactory factory(Path dir) {
        return (worker, groups) -> new RocksDbStateBackend(dir, "worker-" + worker + "-", groups, DEFAULT_CACHE_CAPACITY);
    }

    /** The store's directory (for messages and tests). */
    public Path path() {
        return path;
    }

    @Override
    public KeyGroupRange keyGroups() {
        return keyGroups;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V> KeyedState<V> keyedState(String name, ValueCodec<V> codec) {
        checkOpen();
        RocksDbKeyedState<?> s = states.get(name);
        if (s != null) {
            if (s.codec() != codec) {
                throw new StateException("state '" + name + "' is already registered with another codec");
            }
            return (KeyedState<V>) s;
        }
        ColumnFamilyHandle handle;
        try {
            handle = db.createColumnFamily(new ColumnFamilyDescriptor(
                    name.getBytes(java.nio.charset.StandardCharsets.UTF_8), cfOptions));
        } catch (RocksDBException e) {
            throw new StateException("cannot create state '" + name + "' in RocksDB store " + path + ": "
                    + e.getMessage(), e);
        }
        RocksDbKeyedState<V> created = new RocksDbKeyedState<>(name, codec, keyGroups, db, handle, writeOptions,
                readOptions, path, cacheCapacity);
        states.put(name, created);
        return created;
    }

    @Override
    public void flush() {
        checkOpen();
        for (RocksDbKeyedState<?> s : states.values()) {
            if (s.dirtyCount() >= flushThreshold || s.cached() > cacheCapacity + flushThreshold) {
                s.flush();
            }
        }
    }

    @Override
    public void snapshot(DataOutput out) throws IOException {
        checkOpen();
        KeyGroupFormat.writeHeader(out, states.size());
        for (RocksDbKeyedState<?> s : states.values()) {
            out.writeUTF(s.name());
            s.snapshot(out);
        }
    }

    /**
     * Writes every changed value out and pins a RocksDB snapshot (a consistent view, no copying): the
     * returned writer reads that view on another thread while the worker goes on.
     */
    @Override
    public SnapshotWriter startSnapshot() {
        checkOpen();
        List<RocksDbKeyedState<?>> list = new ArrayList<>(states.values());
        for (RocksDbKeyedState<?> s : list) {
            s.flush();
        }
        org.rocksdb.Snapshot view = db.getSnapshot();
        synchronized (this) {
            openSnapshots++;
        }
        return out -> {
            try (ReadOptions read = new ReadOptions().setSnapshot(view)) {
                KeyGroupFormat.writeHeader(out, list.size());
                for (RocksDbKeyedState<?> s : list) {
                    out.writeUTF(s.name());
                    s.snapshot(out, read);
                }
            } finally {
                synchronized (this) {
                    db.releaseSnapshot(view);
                    openSnapshots--;
                    notifyAll();
                }
            }
        };
    }

    @Override
    public void restore(DataInput in) throws IOException {
        checkOpen();
        int stateCount = KeyGroupFormat.readHeader(in);
        for (int i = 0; i < stateCount; i++) {
            String name = in.readUTF();
            RocksDbKeyedState<?> s = states.get(name);
            if (s == null) {
                throw new StateException("cannot restore state '" + name + "' into RocksDB store " + path
                        + ": no operator registered it (registered: " + states.keySet() + ")");
            }
            s.restore(in);
        }
    }

    /** Closes in dependency order: column families, then the database, then the options and caches they use. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (this) {
            boolean interrupted = false;
            while (openSnapshots > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        for (RocksDbKeyedState<?> s : states.values()) {
            s.closeHandle();
        }
        states.clear();
        defaultFamily.close();
        db.close();
        closeOptions();
        deleteDirectory(path);
    }

    private void closeOptions() {
        writeOptions.close();
        readOptions.close();
        dbOptions.close();
        cfOptions.close();
        bloom.close();
        blockCache.close();
    }

    private void checkOpen() {
        if (closed) {
            throw new StateException("RocksDB state store " + path + " for key groups " + keyGroups + " is closed");
        }
    }

    private static void deleteDirectory(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            org.slf4j.LoggerFactory.getLogger(RocksDbStateBackend.class)
                    .warn("cannot delete RocksDB state directory {}: {}", dir, e.toString());
        }
    }
}
