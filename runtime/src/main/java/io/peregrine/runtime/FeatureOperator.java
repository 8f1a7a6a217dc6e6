package io.peregrine.runtime;

import io.peregrine.dsl.schema.Row;
import io.peregrine.feature.FeatureKeyState;
import io.peregrine.feature.FeatureSetDefinition;
import io.peregrine.feature.Window;
import io.peregrine.runtime.state.KeyGroupRange;
import io.peregrine.runtime.state.KeyGroups;
import io.peregrine.runtime.state.KeyedState;
import io.peregrine.runtime.state.StateBackend;
import io.peregrine.runtime.state.ValueCodec;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hosts one feature set for the keys of one worker: per key a {@link FeatureKeyState} in a keyed
 * state named {@code features/<set>} (so checkpoints cover it), updated as events arrive in any
 * order. Readers on other threads find a key's cell in a concurrent index and lock the cell while
 * they read it; the worker locks it for one event's update, so a read never sees a torn state and
 * holds the worker up for at most one key's read.
 *
 * <p>Expiry: a key is expired when it gets an event, and every key is swept when the watermark has
 * moved by half the shortest window (at least 1 s, at most 10 min) since the last sweep; a key left
 * with nothing is forgotten.
 */
final class FeatureOperator {

    /** A key's state and its key, shared by the worker and readers; guarded by its own monitor. */
    static final class Cell {
        final byte[] key;
        final String keyText;
        final FeatureKeyState<Row> state;

        Cell(byte[] key, String keyText, FeatureKeyState<Row> state) {
            this.key = key;
            this.keyText = keyText;
            this.state = state;
        }
    }

    /**
     * A key's bytes as a map key. Stored keys own their array; the worker's one probe is re-pointed
     * at each event's key bytes, so finding a key's cell allocates nothing.
     */
    static final class KeyBytes {
        private byte[] bytes;
        private int offset;
        private int length;
        private int hash;

        /** A stored key; its hash is the key-group hash ({@link KeyGroups#hash}), which events carry already. */
        KeyBytes(byte[] bytes) {
            this(bytes, KeyGroups.hash(bytes, 0, bytes.length));
        }

        KeyBytes(byte[] bytes, int keyHash) {
            set(bytes, 0, bytes.length, keyHash);
        }

        KeyBytes set(byte[] b, int off, int len, int keyHash) {
            bytes = b;
            offset = off;
            length = len;
            hash = keyHash;
            return this;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof KeyBytes k && k.hash == hash
                    && Arrays.equals(bytes, offset, offset + length, k.bytes, k.offset, k.offset + k.length);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    final FeatureSetDefinition<Row> definition;
    private final FeatureKeyState.Factory<Row> factory;
    private final int keyColumn;
    private final int maxParallelism;
    private final KeyGroupRange keyGroups;
    private final KeyedState<Cell> states;
    /**
     * Every key's live cell: what readers and the worker use. The keyed state is where cells are
     * persisted and checkpointed from; with a backend that returns copies (RocksDB) it is written
     * through after each change, and read back only on restore.
     */
    final ConcurrentHashMap<KeyBytes, Cell> readable = new ConcurrentHashMap<>();
    private final KeyBytes probe = new KeyBytes(new byte[0]);
    private final long sweepEvery;
    /** See {@link #expiredAsOf}; Long.MAX_VALUE when some feature has no window. */
    private final long retentionMillis;

    private long localWatermark = Long.MIN_VALUE;
    private long localMaxEventTime = Long.MIN_VALUE;
    private long lastSweep = Long.MIN_VALUE;
    /** For readers: the watermark this operator advanced to, and the latest event time it was sent. */
    volatile long watermark = Long.MIN_VALUE;
    volatile long maxEventTime = Long.MIN_VALUE;
    /**
     * The last watermark below the end of input, published for readers: state may be expired up to
     * it, so a default read time is never before it (a set over a pattern's rows sees its stream's
     * time move on between rows).
     */
    volatile long finiteWatermark = Long.MIN_VALUE;

    FeatureOperator(FeatureSetDefinition<Row> definition, int keyColumn, int maxParallelism, KeyGroupRange keyGroups,
                    StateBackend backend) {
        this.definition = definition;
        this.factory = definition.keyStates();
        this.keyColumn = keyColumn;
        this.maxParallelism = maxParallelism;
        this.keyGroups = keyGroups;
        this.states = backend.keyedState("features/" + definition.name(), new CellCodec(definition, factory));
        // sweeping visits every key: do it once per half of the shortest window (keys that get
        // events are expired as they do), every 10 minutes of event time when all are lifetime
        long shortest = 20 * 60_000;
        for (var f : definition.features()) {
            if (f.window() instanceof Window.Sliding s) {
                shortest = Math.min(shortest, s.sizeMillis());
            } else if (f.window() instanceof Window.Hopping h) {
                shortest = Math.min(shortest, h.hopMillis());
            }
        }
        this.sweepEvery = Math.max(1000, shortest / 2);
        long retention = 0;
        for (var f : definition.features()) {
            if (f.window() instanceof Window.Sliding sl) {
                retention = Math.max(retention, sl.sizeMillis());
            } else if (f.window() instanceof Window.Hopping h) {
                retention = Math.max(retention, h.sizeMillis() + h.hopMillis());
            } else {
                retention = Long.MAX_VALUE; // a lifetime feature: the key is kept for good
                break;
            }
        }
        this.retentionMillis = retention == Long.MAX_VALUE ? Long.MAX_VALUE
                : retention + definition.allowedLatenessMillis();
    }

    /**
     * Whether a key has outlived every window as of {@code time}: its last event is at least the
     * longest window (plus a hop, plus the allowed lateness) old. Such a key reads as not found
     * whether or not a sweep dropped it yet, so what a read sees depends on the events only, not on
     * when sweeps ran.
     */
    boolean expiredAsOf(Cell cell, long time) {
        return retentionMillis != Long.MAX_VALUE && cell.state.lastEventMillis() <= time - retentionMillis;
    }

    long keys() {
        return states.size();
    }

    void add(int keyGroup, int hash, byte[] keys, int start, int length, Row row, long ts) {
        Cell cell = readable.get(probe.set(keys, start, length, hash));
        if (cell == null) {
            byte[] key = Arrays.copyOfRange(keys, start, start + length);
            cell = new Cell(key, String.valueOf(row.get(keyColumn)), factory.create());
            states.put(keyGroup, hash, key, cell);
            readable.put(new KeyBytes(key), cell);
        }
        synchronized (cell) {
            cell.state.add(row, ts);
            cell.state.expire(localWatermark);
        }
        states.update(keyGroup, hash, cell.key, cell);
        if (ts > localMaxEventTime) {
            localMaxEventTime = ts;
            maxEventTime = ts;
        }
    }

    void advance(long wm) {
        if (wm == Long.MAX_VALUE) {
            // the end of the input: keep the state, so reads as of its end (--features-out) still see every window
            watermark = wm;
            return;
        }
        localWatermark = wm;
        finiteWatermark = wm;
        // Sweeps happen at multiples of sweepEvery, whatever watermarks the arrival order gave: which
        // keys were dropped as expired (and so read as not found) then depends only on the events.
        long boundary = Math.floorDiv(wm, sweepEvery) * sweepEvery;
        if (boundary > lastSweep) {
            lastSweep = boundary;
            sweep(boundary);
        }
        watermark = wm;
    }

    private void sweep(long wm) {
        // The live cells, not the keyed state: a copying backend would hand out copies. A store
        // keeps a key's expired samples until its next event writes it through; values as of any
        // readable time are the same either way.
        List<Cell> empty = new ArrayList<>();
        for (Cell cell : readable.values()) {
            synchronized (cell) {
                cell.state.expire(wm);
            }
            if (expiredAsOf(cell, wm)) {
                empty.add(cell);
            }
        }
        for (Cell c : empty) {
            int hash = KeyGroups.hash(c.key);
            readable.remove(new KeyBytes(c.key));
            states.remove(KeyGroups.keyGroup(hash, maxParallelism), hash, c.key, 0, c.key.length);
        }
    }

    /** After a restore: the readers' index from the restored state. */
    void rebuildAfterRestore(long wm) {
        readable.clear();
        for (int kg = keyGroups.first(); kg <= keyGroups.last(); kg++) {
            states.forEach(kg, (key, cell) -> {
                readable.put(new KeyBytes(cell.key), cell);
                if (cell.state.lastEventMillis() > localMaxEventTime) {
                    localMaxEventTime = cell.state.lastEventMillis();
                }
            });
        }
        maxEventTime = localMaxEventTime;
        localWatermark = wm;
        if (wm != Long.MAX_VALUE) {
            finiteWatermark = wm;
        }
        watermark = wm;
    }

    /**
     * A cell's persisted form, version 1: byte version, UTF key text, int length and the key's
     * bytes, then its {@link FeatureKeyState#write feature state}.
     */
    static final class CellCodec implements ValueCodec<Cell> {
        static final int CURRENT_VERSION = 1;
        private final FeatureSetDefinition<Row> definition;
        private final FeatureKeyState.Factory<Row> factory;

        CellCodec(FeatureSetDefinition<Row> definition, FeatureKeyState.Factory<Row> factory) {
            this.definition = definition;
            this.factory = factory;
        }

        @Override
        public void write(Cell cell, DataOutput out) throws IOException {
            out.writeByte(CURRENT_VERSION);
            out.writeUTF(cell.keyText);
            out.writeInt(cell.key.length);
            out.write(cell.key);
            synchronized (cell) {
                cell.state.write(out);
            }
        }

        @Override
        public Cell read(DataInput in) throws IOException {
            int version = in.readUnsignedByte();
            if (version != 1) {
                throw new IOException("unknown feature cell version " + version + " of feature set " + definition.name()
                        + " (this build reads 1.." + CURRENT_VERSION + ")");
            }
            String text = in.readUTF();
            byte[] key = new byte[in.readInt()];
            in.readFully(key);
            return new Cell(key, text, factory.read(in));
        }
    }
}
