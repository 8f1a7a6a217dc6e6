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

        @SuppressWarnings("unchecked")
        Factory(FeatureSetDefinition<E> definition) {
            this.definition = definition;
            List<FeatureDefinition<E>> defs = definition.features();
            this.features = defs.toArray(new FeatureDefinition[0]);
            this.stringInput = new boolean[features.length];
            for (int i = 0; i < features.length; i++) {
                stringInput[i] = features[i].aggregate().input() == ValueKind.STRING;
            }
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

    private final FeatureSetDefinition<E> definition;
    private final FeatureDefinition<E>[] features;
    private final WindowState[] states;
    private final boolean[] stringInput;
    private long lastEventMillis = Long.MIN_VALUE;
    private long retainedFrom = Long.MIN_VALUE;
    /** Whether nothing was left at the last expiry (and nothing added since). */
    private boolean emptied;

    FeatureKeyState(Factory<E> shared) {
        this.definition = shared.definition;
        this.features = shared.features;
        this.stringInput = shared.stringInput;
        this.states = new WindowState[features.length];
        for (int i = 0; i < states.length; i++) {
            states[i] = WindowState.create(features[i].aggregate(), features[i].window());
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
        for (int i = 0; i < fs.length; i++) {
            FeatureDefinition<E> f = fs[i];
            EventFilter<E> filter = f.filter();
            if (filter != null && !filter.test(event)) {
                continue;
            }
            EventExtractor<E> in = f.input();
            if (in == null) {
                states[i].add(timestamp, 0, null);
            } else if (in.present(event)) {
                if (stringInput[i]) {
                    states[i].add(timestamp, 0, in.string(event));
                } else {
                    states[i].add(timestamp, in.bits(event), null);
                }
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
        for (WindowState s : states) {
            s.expire(from);
        }
        emptied = isEmpty();
        return emptied;
    }

    public boolean isEmpty() {
        for (WindowState s : states) {
            if (!s.isEmpty()) {
                return false;
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
        return states[feature].value(asOf);
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
        out.writeInt(states.length);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        DataOutputStream blob = new DataOutputStream(bytes);
        for (int i = 0; i < states.length; i++) {
            FeatureDefinition<E> f = features[i];
            out.writeUTF(f.name());
            writeShape(f, out);
            bytes.reset();
            states[i].write(blob);
            blob.flush();
            out.writeInt(bytes.size());
            bytes.writeTo(asStream(out));
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
            s.states[f].read(new DataInputStream(new java.io.ByteArrayInputStream(blob)));
        }
        return s;
    }
}
