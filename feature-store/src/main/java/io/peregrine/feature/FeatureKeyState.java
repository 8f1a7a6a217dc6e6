package io.peregrine.feature;

import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * The features of one key of one feature set: what the runtime keeps per key (in a keyed state)
 * and what backfill keeps per spine key. Events may arrive in any order; {@link #expire} drops what
 * no read at or after the watermark minus the allowed lateness needs. Not thread-safe: the owner
 * serializes updates and reads.
 *
 * @param <E> the event type
 */
public final class FeatureKeyState<E> {

    /** Version of {@link #write}'s format. */
    public static final int CURRENT_VERSION = 1;

    /**
     * What every key of a feature set shares (made once per set, not per key): the features as an
     * array and which of them read strings.
     */
    public static final class Factory<E> {
        final FeatureSetDefinition<E> definition;
        final FeatureDefinition<E>[] features;
        final boolean[] stringInput;
        /** Per feature, its column in the key's {@link SharedLog}, or -1 for a hopping feature. */
        final int[] column;
        /** Per column, its sliding window's size, or 0 for a lifetime feature (its cutoff is the retained-from time). */
        final long[] columnSize;
        /** Per column, its slot among the lifetime features' folded partials, or -1. */
        final int[] lifetimeSlot;
        final int[] lifetimeColumn;
        final boolean hasHopping;
        /** The longest sliding window: the log keeps the rows after retained-from minus it. */
        final long longestWindow;
        final SharedLog.Layout layout;

        @SuppressWarnings("unchecked")
        Factory(FeatureSetDefinition<E> definition) {
            this.definition = definition;
            List<FeatureDefinition<E>> defs = definition.features();
            this.features = defs.toArray(new FeatureDefinition[0]);
            this.stringInput = new boolean[features.length];
            this.column = new int[features.length];
            List<Aggregate> columns = new java.util.ArrayList<>();
            List<Long> sizes = new java.util.ArrayList<>();
            List<Integer> lifetimes = new java.util.ArrayList<>();
            boolean hopping = false;
            long longest = 0;
            for (int i = 0; i < features.length; i++) {
                stringInput[i] = features[i].aggregate().input() == ValueKind.STRING;
                Window w = features[i].window();
                if (w instanceof Window.Hopping) {
                    column[i] = -1;
                    hopping = true;
                    continue;
                }
                column[i] = columns.size();
                columns.add(features[i].aggregate());
                if (w instanceof Window.Sliding sl) {
                    sizes.add(sl.sizeMillis());
                    longest = Math.max(longest, sl.sizeMillis());
                } else {
                    sizes.add(0L);
                    lifetimes.add(column[i]);
                }
            }
            this.hasHopping = hopping;
            this.longestWindow = longest;
            this.columnSize = sizes.stream().mapToLong(Long::longValue).toArray();
            this.lifetimeColumn = lifetimes.stream().mapToInt(Integer::intValue).toArray();
            this.lifetimeSlot = new int[columns.size()];
            java.util.Arrays.fill(lifetimeSlot, -1);
            for (int l = 0; l < lifetimeColumn.length; l++) {
                lifetimeSlot[lifetimeColumn[l]] = l;
            }
            this.layout = columns.isEmpty() ? null : new SharedLog.Layout(columns.toArray(new Aggregate[0]));
        }

        /** New, empty state for one key. */
        public FeatureKeyState<E> create() {
            return new FeatureKeyState<>(this);
        }

        /** Reads a state written by {@link FeatureKeyState#write}. */
        public FeatureKeyState<E> read(DataInput in) throws IOException {
            return FeatureKeyState.read(this, in);
        }
    }

    private final Factory<E> shared;
    private final FeatureSetDefinition<E> definition;
    private final FeatureDefinition<E>[] features;
    /** Hopping features' states by feature index (null for the others, which live in {@link #log}); null without any. */
    private final WindowState[] states;
    /** The sliding and lifetime features' samples; null without any. */
    private final SharedLog log;
    /** Per lifetime feature (by slot), what was folded out of the log, and up to which time. */
    private final Partial[] folded;
    private final long[] foldedThrough;
    private final boolean[] stringInput;
    private long lastEventMillis = Long.MIN_VALUE;
    private long retainedFrom = Long.MIN_VALUE;
    /** Whether nothing was left at the last expiry (and nothing added since). */
    private boolean emptied;
    /** Whether some sliding feature holds a sample it may still read (or one added since the last expiry). */
    private boolean logLive;

    FeatureKeyState(Factory<E> shared) {
        this.shared = shared;
        this.definition = shared.definition;
        this.features = shared.features;
        this.stringInput = shared.stringInput;
        if (shared.hasHopping) {
            this.states = new WindowState[features.length];
            for (int i = 0; i < states.length; i++) {
                if (shared.column[i] < 0) {
                    states[i] = WindowState.create(features[i].aggregate(), (Window.Hopping) features[i].window());
                }
            }
        } else {
            this.states = null;
        }
        this.log = shared.layout == null ? null : new SharedLog(shared.layout);
        int lifetimes = shared.lifetimeColumn.length;
        this.folded = lifetimes == 0 ? null : new Partial[lifetimes];
        this.foldedThrough = lifetimes == 0 ? null : new long[lifetimes];
        for (int l = 0; l < lifetimes; l++) {
            folded[l] = Partial.create(shared.layout.aggregates[shared.lifetimeColumn[l]]);
            foldedThrough[l] = Long.MIN_VALUE;
        }
    }

    public FeatureSetDefinition<E> definition() {
        return definition;
    }

    /** Adds one event with its event time to every feature whose filter and argument accept it. */
    public void add(E event, long timestamp) {
        if (timestamp > lastEventMillis) {
            lastEventMillis = timestamp;
        }
        emptied = false;
        FeatureDefinition<E>[] fs = features;
        int[] columns = shared.column;
        boolean rowOpen = false;
        for (int i = 0; i < fs.length; i++) {
            FeatureDefinition<E> f = fs[i];
            EventFilter<E> filter = f.filter();
            if (filter != null && !filter.test(event)) {
                continue;
            }
            EventExtractor<E> in = f.input();
            long bits = 0;
            Object object = null;
            if (in != null) {
                if (!in.present(event)) {
                    continue;
                }
                if (stringInput[i]) {
                    object = in.string(event);
                } else {
                    bits = in.bits(event);
                }
            }
            int c = columns[i];
            if (c < 0) {
                states[i].add(timestamp, bits, object);
                continue;
            }
            int l = shared.lifetimeSlot[c];
            if (l >= 0 && timestamp <= foldedThrough[l]) {
                folded[l].add(timestamp, bits, object);  // no read can exclude it any more
                continue;
            }
            if (!rowOpen) {
                log.insertRow(timestamp);
                rowOpen = true;
            }
            log.set(c, bits, object);
            if (l < 0) {
                logLive = true;
            }
        }
    }

    /**
     * Drops the state no read at or after {@code watermark - allowedLateness} needs.
     *
     * @return whether nothing is left (the key can be forgotten: reads will find no state)
     */
    public boolean expire(long watermark) {
        long from = WindowState.minus(watermark, definition.allowedLatenessMillis());
        if (from <= retainedFrom) {
            return emptied;  // nothing to do: touch no window (this runs on every event)
        }
        retainedFrom = from;
        if (log != null) {
            int[] lifetimes = shared.lifetimeColumn;
            for (int l = 0; l < lifetimes.length; l++) {
                // lifetime features fold what every read includes; the rows stay while a window needs them
                log.fold(lifetimes[l], folded[l], foldedThrough[l], from);
                foldedThrough[l] = from;
            }
            log.dropThrough(WindowState.minus(from, shared.longestWindow));
            logLive = !log.isEmpty() && lifetimes.length < shared.columnSize.length
                    && log.liveAfter(from, shared.columnSize, shared.lifetimeSlot);
        }
        if (states != null) {
            for (WindowState s : states) {
                if (s != null) {
                    s.expire(from);
                }
            }
        }
        emptied = isEmpty();
        return emptied;
    }

    public boolean isEmpty() {
        if (folded != null || logLive) {
            return false;  // a lifetime feature is never empty
        }
        if (states != null) {
            for (WindowState s : states) {
                if (s != null && !s.isEmpty()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The timestamp of the latest event added, {@link Long#MIN_VALUE} before any. */
    public long lastEventMillis() {
        return lastEventMillis;
    }

    /** The earliest time a read may ask for ({@link Long#MIN_VALUE} until the first expiry). */
    public long retainedFromMillis() {
        return retainedFrom;
    }

    /**
     * The value of feature {@code feature} (its index in the definition) as of {@code asOf}.
     *
     * @throws IllegalArgumentException when {@code asOf} is before {@link #retainedFromMillis()}: the
     *     events it needs are gone
     */
    public FeatureValue value(int feature, long asOf) {
        if (asOf < retainedFrom) {
            throw new IllegalArgumentException("as of " + asOf + " is before the retained range of feature set "
                    + definition.name() + ", which starts at " + retainedFrom);
        }
        int c = shared.column[feature];
        if (c < 0) {
            return states[feature].value(asOf);
        }
        Partial acc = Partial.create(features[feature].aggregate());
        int l = shared.lifetimeSlot[c];
        if (l >= 0) {
            acc.merge(folded[l]);
            log.aggregate(c, acc, foldedThrough[l], asOf);
        } else {
            log.aggregate(c, acc, WindowState.minus(asOf, shared.columnSize[c]), asOf);
        }
        return acc.result(asOf);
    }

    /**
     * Writes this state, version 1: byte version; long last event time; long retained-from; int
     * feature count, then per feature its UTF name, byte aggregate id, byte input kind id, byte window
     * kind (0 lifetime, 1 sliding, 2 hopping), long window size, long hop, and its state as an
     * int-length-prefixed blob. Features are matched by name and definition on reading, so a feature
     * added or changed since starts empty and one removed since is skipped.
     */
    public void write(DataOutput out) throws IOException {
        out.writeByte(CURRENT_VERSION);
        out.writeLong(lastEventMillis);
        out.writeLong(retainedFrom);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        DataOutputStream blob = new DataOutputStream(bytes);
        out.writeInt(features.length);
        for (int i = 0; i < features.length; i++) {
            FeatureDefinition<E> f = features[i];
            out.writeUTF(f.name());
            writeShape(f, out);
            bytes.reset();
            writeFeature(i, blob);
            blob.flush();
            out.writeInt(bytes.size());
            bytes.writeTo(asStream(out));
        }
    }

    /**
     * One feature's state blob: a hopping feature's tiles; a sliding feature's samples it may still
     * read; a lifetime feature's folded-through time, folded partial and samples after that time.
     */
    private void writeFeature(int feature, DataOutput out) throws IOException {
        int c = shared.column[feature];
        if (c < 0) {
            states[feature].write(out);
            return;
        }
        int l = shared.lifetimeSlot[c];
        if (l >= 0) {
            out.writeLong(foldedThrough[l]);
            folded[l].write(out);
            log.writeColumn(c, foldedThrough[l], out);
        } else {
            log.writeColumn(c, WindowState.minus(retainedFrom, shared.columnSize[c]), out);
        }
    }

    private void readFeature(int feature, DataInput in) throws IOException {
        int c = shared.column[feature];
        if (c < 0) {
            states[feature].read(in);
            return;
        }
        int l = shared.lifetimeSlot[c];
        if (l >= 0) {
            foldedThrough[l] = in.readLong();
            folded[l].read(in);
        }
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("negative sample count " + n);
        }
        boolean strings = stringInput[feature];
        for (int i = 0; i < n; i++) {
            long t = in.readLong();
            long bits = strings ? 0 : in.readLong();
            Object object = strings ? in.readUTF() : null;
            if (l >= 0 && t <= foldedThrough[l]) {
                folded[l].add(t, bits, object);
            } else {
                log.restore(c, t, bits, object);
                if (l < 0) {
                    logLive = true;
                }
            }
        }
    }

    private static java.io.OutputStream asStream(DataOutput out) {
        if (out instanceof java.io.OutputStream s) {
            return s;
        }
        return new java.io.OutputStream() {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }
        };
    }

    private static void writeShape(FeatureDefinition<?> f, DataOutput out) throws IOException {
        out.writeByte(f.aggregate().kind().id());
        out.writeByte(f.aggregate().input().id());
        Window w = f.window();
        if (w instanceof Window.Sliding s) {
            out.writeByte(1);
            out.writeLong(s.sizeMillis());
            out.writeLong(0);
        } else if (w instanceof Window.Hopping h) {
            out.writeByte(2);
            out.writeLong(h.sizeMillis());
            out.writeLong(h.hopMillis());
        } else {
            out.writeByte(0);
            out.writeLong(0);
            out.writeLong(0);
        }
        out.writeInt(f.aggregate().n());
        out.writeDouble(f.aggregate().fraction());
    }

    /** Reads a state written by {@link #write} (any version this build knows) for {@code definition}. */
    public static <E> FeatureKeyState<E> read(FeatureSetDefinition<E> definition, DataInput in) throws IOException {
        return read(new Factory<>(definition), in);
    }

    static <E> FeatureKeyState<E> read(Factory<E> factory, DataInput in) throws IOException {
        FeatureSetDefinition<E> definition = factory.definition;
        int version = in.readUnsignedByte();
        if (version != 1) {
            throw new IOException("unknown feature state version " + version + " of feature set " + definition.name()
                    + " (this build reads 1.." + CURRENT_VERSION + ")");
        }
        FeatureKeyState<E> s = new FeatureKeyState<>(factory);
        s.lastEventMillis = in.readLong();
        s.retainedFrom = in.readLong();
        int n = in.readInt();
        ByteArrayOutputStream shape = new ByteArrayOutputStream(32);
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            byte[] stored = new byte[1 + 1 + 1 + 8 + 8 + 4 + 8];
            in.readFully(stored);
            byte[] blob = new byte[in.readInt()];
            in.readFully(blob);
            int f = definition.indexOf(name);
            if (f < 0) {
                continue;
            }
            shape.reset();
            DataOutputStream so = new DataOutputStream(shape);
            writeShape(s.features[f], so);
            so.flush();
            if (!java.util.Arrays.equals(stored, shape.toByteArray())) {
                continue;
            }
            s.readFeature(f, new DataInputStream(new java.io.ByteArrayInputStream(blob)));
        }
        return s;
    }
}
