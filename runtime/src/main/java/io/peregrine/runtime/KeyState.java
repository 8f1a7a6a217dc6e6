package io.peregrine.runtime;

import io.peregrine.cep.EventTimeSorter;
import io.peregrine.cep.Nfa;
import io.peregrine.cep.NfaState;
import io.peregrine.cep.NfaStateSerializer;
import io.peregrine.dsl.schema.Row;
import io.peregrine.runtime.state.KeyGroupFormat;
import io.peregrine.runtime.state.RowSerializer;
import io.peregrine.runtime.state.ValueCodec;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the pattern operator keeps per key for the patterns that partition a stream alike: the
 * events waiting for the watermark (one sorter, shared), and per pattern the NFA state and the
 * MATCH_NUMBER counters. The key and the timer bookkeeping are runtime fields, not persisted.
 */
final class KeyState {

    byte[] key;
    int hash;
    int keyGroup;
    final EventTimeSorter<Row> sorter = new EventTimeSorter<>(2);
    final NfaState<Row>[] nfas;
    /** Per pattern: matches emitted so far, the last MATCH_NUMBER. */
    final long[] matches;
    /** Per pattern: timed-out partial matches emitted so far (numbered separately). */
    final long[] timeouts;

    // runtime only
    /** Per pattern: its NFA's next deadline as of the last call into it, so idle patterns are not read. */
    final long[] deadlines;
    int slot = -1;
    /** Due time of the key's NFA timer (earliest NFA deadline), MAX when none. */
    long deadline = Long.MAX_VALUE;
    /** On the operator's list of keys with held events. */
    boolean pending;
    boolean due;

    @SuppressWarnings({"unchecked", "rawtypes"})
    KeyState(Nfa<Row>[] patterns) {
        this.nfas = new NfaState[patterns.length];
        for (int p = 0; p < patterns.length; p++) {
            nfas[p] = patterns[p].newState();
        }
        this.matches = new long[patterns.length];
        this.timeouts = new long[patterns.length];
        this.deadlines = new long[patterns.length];
        java.util.Arrays.fill(deadlines, Long.MAX_VALUE);
    }

    boolean hasCounters() {
        for (int p = 0; p < matches.length; p++) {
            if (matches[p] != 0 || timeouts[p] != 0) {
                return true;
            }
        }
        return false;
    }

    /** Earliest NFA deadline over the patterns, MAX when none. */
    long nextTimeout() {
        long d = Long.MAX_VALUE;
        for (NfaState<Row> s : nfas) {
            d = Math.min(d, s.nextTimeout());
        }
        return d;
    }

    boolean nfasIdle() {
        for (NfaState<Row> s : nfas) {
            if (!s.isIdle()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The persisted form, version 1: byte version; varint pattern count, then per pattern its UTF
     * name, long matches, long timeouts and its NFA state ({@link NfaStateSerializer}, length-prefixed so
     * a removed pattern's state can be skipped); varint held event count, then per held event in release
     * order its long timestamp and row. Patterns are found by name on reading, so a pattern added since
     * starts empty and one removed since is dropped.
     */
    static final class Codec implements ValueCodec<KeyState> {

        static final int CURRENT_VERSION = 1;

        private final Nfa<Row>[] nfas;
        private final String[] names;
        private final List<NfaStateSerializer<Row>> serializers = new ArrayList<>();
        private final RowSerializer rows;

        Codec(Nfa<Row>[] nfas, String[] names, RowSerializer rows) {
            this.nfas = nfas;
            this.names = names;
            this.rows = rows;
            for (Nfa<Row> n : nfas) {
                serializers.add(new NfaStateSerializer<>(n, rows));
            }
        }

        @Override
        public void write(KeyState s, DataOutput out) throws IOException {
            out.writeByte(CURRENT_VERSION);
            KeyGroupFormat.writeVarint(out, nfas.length);
            for (int p = 0; p < nfas.length; p++) {
                out.writeUTF(names[p]);
                out.writeLong(s.matches[p]);
                out.writeLong(s.timeouts[p]);
                byte[] nfa = serializers.get(p).serialize(s.nfas[p]);
                KeyGroupFormat.writeVarint(out, nfa.length);
                out.write(nfa);
            }
            // EventTimeSorter cannot be read without releasing: drain it in order and put the events back
            List<Row> held = new ArrayList<>();
            List<Long> times = new ArrayList<>();
            s.sorter.releaseUpTo(Long.MAX_VALUE, (row, ts) -> {
                held.add(row);
                times.add(ts);
            });
            for (int i = 0; i < held.size(); i++) {
                s.sorter.add(held.get(i), times.get(i));
            }
            KeyGroupFormat.writeVarint(out, held.size());
            for (int i = 0; i < held.size(); i++) {
                out.writeLong(times.get(i));
                rows.write(held.get(i), out);
            }
        }

        /** The operator holds a key's record while it has a timer slot or held events: a store must not copy it then. */
        @Override
        public boolean keepInMemory(KeyState s) {
            return s.slot >= 0 || s.pending || s.due;
        }

        @Override
        public KeyState read(DataInput in) throws IOException {
            int version = in.readUnsignedByte();
            if (version != 1) {
                throw new IOException("unknown pattern key state version " + version + " (this build reads 1.."
                        + CURRENT_VERSION + ")");
            }
            KeyState s = new KeyState(nfas);
            int count = KeyGroupFormat.readVarint(in);
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                long matches = in.readLong();
                long timeouts = in.readLong();
                byte[] nfa = KeyGroupFormat.readBytes(in);
                for (int p = 0; p < names.length; p++) {
                    if (names[p].equals(name)) {
                        s.matches[p] = matches;
                        s.timeouts[p] = timeouts;
                        s.nfas[p] = serializers.get(p).deserialize(nfa);
                    }
                }
            }
            int held = KeyGroupFormat.readVarint(in);
            for (int i = 0; i < held; i++) {
                long ts = in.readLong();
                s.sorter.add(rows.read(in), ts);
            }
            return s;
        }
    }
}
