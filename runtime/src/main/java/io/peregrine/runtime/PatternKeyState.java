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
 * What the pattern operator keeps per key: the NFA state (null while the key has no partial match),
 * the events waiting for the watermark (null when none) and the MATCH_NUMBER counters, which
 * outlive the rest. The key itself and the timer slot are runtime fields, not persisted.
 */
final class PatternKeyState {

    byte[] key;
    int hash;
    int keyGroup;
    NfaState<Row> nfa;
    EventTimeSorter<Row> sorter;
    /** Matches emitted so far: the last MATCH_NUMBER. */
    long matches;
    /** Timed-out partial matches emitted so far (numbered separately). */
    long timeouts;

    // runtime only
    int slot = -1;
    long deadline = Long.MAX_VALUE;

    PatternKeyState(byte[] key, int hash, int keyGroup) {
        this.key = key;
        this.hash = hash;
        this.keyGroup = keyGroup;
    }

    /**
     * The persisted form, version 1: byte version, long matches, long timeouts, boolean has-NFA
     * (then the NFA state in {@link NfaStateSerializer}'s format), varint buffered count, then per
     * buffered event in release order its long timestamp and row.
     */
    static final class Codec implements ValueCodec<PatternKeyState> {

        static final int CURRENT_VERSION = 1;

        private final NfaStateSerializer<Row> nfaSerializer;
        private final RowSerializer rows;

        Codec(Nfa<Row> nfa, RowSerializer rows) {
            this.nfaSerializer = new NfaStateSerializer<>(nfa, rows);
            this.rows = rows;
        }

        @Override
        public void write(PatternKeyState s, DataOutput out) throws IOException {
            out.writeByte(CURRENT_VERSION);
            out.writeLong(s.matches);
            out.writeLong(s.timeouts);
            out.writeBoolean(s.nfa != null);
            if (s.nfa != null) {
                nfaSerializer.write(s.nfa, out);
            }
            // the sorter cannot be read without releasing: drain it in order and put the events back
            List<Row> held = new ArrayList<>();
            List<Long> times = new ArrayList<>();
            if (s.sorter != null) {
                s.sorter.releaseUpTo(Long.MAX_VALUE, (row, ts) -> {
                    held.add(row);
                    times.add(ts);
                });
                for (int i = 0; i < held.size(); i++) {
                    s.sorter.add(held.get(i), times.get(i));
                }
            }
            KeyGroupFormat.writeVarint(out, held.size());
            for (int i = 0; i < held.size(); i++) {
                out.writeLong(times.get(i));
                rows.write(held.get(i), out);
            }
        }

        @Override
        public PatternKeyState read(DataInput in) throws IOException {
            int version = in.readUnsignedByte();
            if (version != 1) {
                throw new IOException("unknown pattern key state version " + version + " (this build reads 1.."
                        + CURRENT_VERSION + ")");
            }
            PatternKeyState s = new PatternKeyState(null, 0, -1);
            s.matches = in.readLong();
            s.timeouts = in.readLong();
            if (in.readBoolean()) {
                s.nfa = nfaSerializer.read(in);
            }
            int held = KeyGroupFormat.readVarint(in);
            if (held > 0) {
                s.sorter = new EventTimeSorter<>(held);
                for (int i = 0; i < held; i++) {
                    long ts = in.readLong();
                    s.sorter.add(rows.read(in), ts);
                }
            }
            return s;
        }
    }
}
