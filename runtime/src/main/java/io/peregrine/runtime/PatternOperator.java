package io.peregrine.runtime;

import io.peregrine.cep.EventTimeSorter;
import io.peregrine.cep.Match;
import io.peregrine.cep.MatchCollector;
import io.peregrine.cep.Nfa;
import io.peregrine.cep.NfaProcessor;
import io.peregrine.cep.NfaState;
import io.peregrine.dsl.CompiledPattern;
import io.peregrine.dsl.MatchProjector;
import io.peregrine.dsl.schema.Row;
import io.peregrine.runtime.state.KeyGroupRange;
import io.peregrine.runtime.state.KeyGroups;
import io.peregrine.runtime.state.KeyedState;
import io.peregrine.runtime.state.RowSerializer;
import io.peregrine.runtime.state.StateBackend;
import java.util.Arrays;
import java.util.Comparator;
import java.util.function.Consumer;

/**
 * Hosts the patterns that partition one stream by the same columns, for the keys of one worker:
 * per key one {@link EventTimeSorter} holding events until the watermark passes them, and per
 * pattern an {@link NfaState} and the MATCH_NUMBER counters ({@link KeyState}). One key lookup per
 * event serves all those patterns.
 *
 * <p>Timers: a key with held events is on a pending list, checked at each watermark (held events
 * become due within the out-of-orderness bound, so a list is cheaper than a heap); a key with an NFA
 * deadline has one timer in an indexed heap at its earliest deadline.
 *
 * <p>When the watermark advances, each due key is stepped through time in order: each pattern is
 * advanced to each of its NFA deadlines before the next held timestamp, then fed the events of that
 * timestamp (in the pattern's tie order if it has one, else arrival order). A key's NFAs therefore
 * see the same calls whatever the watermarks were, and every output row gets an <em>emission
 * time</em> that depends only on the key's events: the timestamp being processed or the deadline
 * being passed. Output is ordered by that time, then by key (see {@link Emitted}), which is what
 * makes a job's output independent of arrival order within the out-of-orderness bound and of the
 * parallelism.
 */
final class PatternOperator implements MatchCollector<Row> {

    private final String name;
    private final int worker;
    /** Global pattern indexes of this operator's patterns. */
    final int[] patterns;
    private final Nfa<Row>[] nfas;
    private final NfaProcessor<Row>[] processors;
    private final MatchProjector[] projectors;
    private final MatchProjector[] timeoutProjectors;
    private final Comparator<Row>[] tieOrders;
    private final KeyedState<KeyState> states;
    /** Per local pattern: the feature sets over its rows (usually none). */
    private final FeatureOperator[][] rowFeatures;

    private final TimerHeap timers = new TimerHeap();
    private KeyState[] bySlot = new KeyState[64];
    private int[] freeSlots = new int[16];
    private int freeCount;
    private int nextSlot;
    private KeyState[] pending = new KeyState[64];
    private int pendingCount;
    private KeyState[] due = new KeyState[64];
    private KeyState[] pool = new KeyState[64];
    private int poolSize;

    private final EventTimeSorter.Sink<Row> collect = this::collect;
    private final Consumer<Row> rowOut = this::emitRow;
    private Row[] group = new Row[8];
    private Row[] ordered = new Row[8];
    private int groupSize;
    private final int[] partialsBefore;
    private final boolean[] stepped;

    private long watermark = Long.MIN_VALUE;
    private KeyState current;
    private int currentPattern;
    private long emitTime;
    private int outputIndex;
    private EpochOutput out;

    // counters per local pattern, written by the owning worker only
    final long[] matches;
    final long[] timeoutCount;
    final long[] partialMatches;

    @SuppressWarnings({"unchecked", "rawtypes"})
    PatternOperator(String name, int[] patterns, java.util.List<CompiledPattern> all, int worker, StateBackend backend) {
        this.name = name;
        this.worker = worker;
        this.patterns = patterns.clone();
        int n = patterns.length;
        this.nfas = new Nfa[n];
        this.processors = new NfaProcessor[n];
        this.projectors = new MatchProjector[n];
        this.timeoutProjectors = new MatchProjector[n];
        this.tieOrders = new Comparator[n];
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            CompiledPattern cp = all.get(patterns[i]);
            nfas[i] = cp.nfa();
            processors[i] = cp.nfa().newProcessor();
            projectors[i] = cp.projector();
            timeoutProjectors[i] = cp.timeoutProjector();
            tieOrders[i] = cp.tieOrder();
            names[i] = cp.name();
        }
        this.states = backend.keyedState(name,
                new KeyState.Codec(nfas, names, new RowSerializer(all.get(patterns[0]).input().schema())));
        this.rowFeatures = new FeatureOperator[n][0];
        this.partialsBefore = new int[n];
        this.stepped = new boolean[n];
        this.matches = new long[n];
        this.timeoutCount = new long[n];
        this.partialMatches = new long[n];
    }

    long watermark() {
        return watermark;
    }

    long keys() {
        return states.size();
    }

    /** An event of a key; its timestamp is above the watermark (the reader sent late ones elsewhere). */
    void add(int keyGroup, int hash, byte[] keyBuf, int keyOff, int keyLen, Row row, long ts) {
        if (ts <= watermark) {
            throw new OperatorException(name + " (worker " + worker + ", key group " + keyGroup
                    + ") got an event at " + ts + ", at or below its watermark " + watermark);
        }
        KeyState st = states.get(keyGroup, hash, keyBuf, keyOff, keyLen);
        if (st == null) {
            st = newKey(Arrays.copyOfRange(keyBuf, keyOff, keyOff + keyLen), hash, keyGroup);
        } else if (st.slot < 0) {
            // read back from a store that dropped it from memory (it had no timer and nothing held)
            bind(st, Arrays.copyOfRange(keyBuf, keyOff, keyOff + keyLen), keyGroup);
        }
        st.sorter.add(row, ts);
        if (!st.pending) {
            st.pending = true;
            if (pendingCount == pending.length) {
                pending = Arrays.copyOf(pending, pendingCount * 2);
            }
            pending[pendingCount++] = st;
        }
        states.update(keyGroup, hash, st.key, st);
    }

    private KeyState newKey(byte[] key, int hash, int keyGroup) {
        KeyState st;
        if (poolSize > 0) {
            st = pool[--poolSize];
            pool[poolSize] = null;
        } else {
            st = new KeyState(nfas);
        }
        st.key = key;
        st.hash = hash;
        st.keyGroup = keyGroup;
        attach(st);
        states.put(keyGroup, hash, key, st);
        return st;
    }

    /** Advances to a watermark: steps every key with a held event or an NFA deadline at or below it. */
    void advance(long wm, EpochOutput output) {
        if (wm <= watermark) {
            return;
        }
        watermark = wm;
        out = output;
        int n = 0;
        int kept = 0;
        for (int i = 0; i < pendingCount; i++) {
            KeyState st = pending[i];
            if (st.sorter.earliestTimestamp() <= wm) {
                st.pending = false;
                st.due = true;
                n = addDue(st, n);
            } else {
                pending[kept++] = st;
            }
        }
        Arrays.fill(pending, kept, pendingCount, null);
        pendingCount = kept;
        while (timers.size() > 0 && timers.peekDeadline() <= wm) {
            KeyState st = bySlot[timers.peekSlot()];
            timers.set(st.slot, Long.MAX_VALUE);
            st.deadline = Long.MAX_VALUE;
            if (!st.due) {
                st.due = true;
                n = addDue(st, n);
            }
        }
        // (reading all due keys' states first, as the cep-core benchmark runtime does, costs more than it
        // saves here: a watermark makes thousands of keys due, more than the caches hold)
        for (int i = 0; i < n; i++) {
            KeyState st = due[i];
            due[i] = null;
            st.due = false;
            try {
                step(st, wm);
            } catch (RuntimeException e) {
                throw new OperatorException(name + " failed on a key of key group " + st.keyGroup + " (worker "
                        + worker + "): " + e, e);
            }
        }
        out = null;
    }

    private int addDue(KeyState st, int n) {
        if (n == due.length) {
            due = Arrays.copyOf(due, n * 2);
        }
        due[n] = st;
        return n + 1;
    }

    private void step(KeyState st, long wm) {
        current = st;
        NfaState<Row>[] ns = st.nfas;
        long[] deadlines = st.deadlines;
        int np = ns.length;
        // only the patterns that have something to do are touched (each NFA state is a cache miss)
        boolean[] stepped = this.stepped;
        Arrays.fill(stepped, false);
        EventTimeSorter<Row> sorter = st.sorter;
        while (true) {
            // no event is ever at Long.MAX_VALUE (the reader rejects it): MAX means none
            long e = sorter.earliestTimestamp();
            long limit = Math.min(e - 1, wm);
            for (int p = 0; p < np; p++) {
                if (deadlines[p] > limit) {
                    continue;
                }
                NfaState<Row> s = ns[p];
                touch(p, s);
                long d;
                while ((d = s.nextTimeout()) <= limit) {
                    emitTime = d;
                    currentPattern = p;
                    processors[p].advanceTime(s, d, this);
                    if (s.nextTimeout() <= d) {
                        throw new IllegalStateException("NFA deadline did not move past " + d);
                    }
                }
                deadlines[p] = s.nextTimeout();
            }
            if (e > wm || e == Long.MAX_VALUE) {
                break;
            }
            emitTime = e;
            groupSize = 0;
            sorter.releaseUpTo(e, collect);
            for (int p = 0; p < np; p++) {
                currentPattern = p;
                Row[] rows = group;
                if (tieOrders[p] != null && groupSize > 1) {
                    if (ordered.length < groupSize) {
                        ordered = new Row[group.length];
                    }
                    System.arraycopy(group, 0, ordered, 0, groupSize);
                    Arrays.sort(ordered, 0, groupSize, tieOrders[p]);
                    rows = ordered;
                }
                NfaProcessor<Row> proc = processors[p];
                NfaState<Row> s = ns[p];
                touch(p, s);
                for (int i = 0; i < groupSize; i++) {
                    proc.process(s, rows[i], e, this);
                }
                deadlines[p] = s.nextTimeout();
            }
            Arrays.fill(group, 0, groupSize, null);
            Arrays.fill(ordered, 0, Math.min(groupSize, ordered.length), null);
        }
        long deadline = Long.MAX_VALUE;
        for (int p = 0; p < np; p++) {
            if (stepped[p]) {
                partialMatches[p] += ns[p].partialMatchCount() - partialsBefore[p];
            }
            deadline = Math.min(deadline, deadlines[p]);
        }
        if (deadline != st.deadline) {
            st.deadline = deadline;
            timers.set(st.slot, deadline);
        }
        if (!sorter.isEmpty() && !st.pending) {
            // (a key stepped for an NFA deadline may still be on the list with later events)
            st.pending = true;
            if (pendingCount == pending.length) {
                pending = Arrays.copyOf(pending, pendingCount * 2);
            }
            pending[pendingCount++] = st;
        }
        if (deadline == Long.MAX_VALUE && sorter.isEmpty() && st.nfasIdle() && !st.hasCounters()) {
            // nothing left for this key: drop it and keep its (idle) record for another key
            states.remove(st.keyGroup, st.hash, st.key, 0, st.key.length);
            detach(st);
            st.key = null;
            if (poolSize == pool.length) {
                pool = Arrays.copyOf(pool, poolSize * 2);
            }
            pool[poolSize++] = st;
        } else {
            if (deadline == Long.MAX_VALUE && !st.pending) {
                // no timer and nothing held: the operator lets go of the record, so that a store may
                // keep it on disk only (the next event of the key binds it again)
                detach(st);
            }
            states.update(st.keyGroup, st.hash, st.key, st);
        }
        current = null;
    }

    /** Notes that pattern p of the current key is stepped, counting its partial matches the first time. */
    private void touch(int p, NfaState<Row> s) {
        if (!stepped[p]) {
            stepped[p] = true;
            partialsBefore[p] = s.partialMatchCount();
        }
    }

    private void collect(Row row, long ts) {
        if (groupSize == group.length) {
            group = Arrays.copyOf(group, groupSize * 2);
        }
        group[groupSize++] = row;
    }

    @Override
    public void onMatch(Match<Row> match) {
        int p = currentPattern;
        matches[p]++;
        outputIndex = 2 * patterns[p];
        projectors[p].project(match, ++current.matches[p], rowOut);
    }

    @Override
    public void onTimeout(Match<Row> partialMatch, long timeoutTimestamp) {
        int p = currentPattern;
        MatchProjector projector = timeoutProjectors[p];
        if (projector == null) {
            return;
        }
        timeoutCount[p]++;
        outputIndex = 2 * patterns[p] + 1;
        projector.project(partialMatch, ++current.timeouts[p], rowOut);
    }

    private void emitRow(Row row) {
        out.add(outputIndex, new Emitted(emitTime, current.key, row));
        if ((outputIndex & 1) == 0) {
            // a match row is also an event of the feature sets over this pattern, at its emission time
            for (FeatureOperator f : rowFeatures[currentPattern]) {
                f.add(current.keyGroup, current.hash, current.key, 0, current.key.length, row, emitTime);
            }
        }
    }

    /** Feeds a pattern's match rows (by its index in this operator) to a feature set keyed like the pattern. */
    void feedFeatures(int localPattern, FeatureOperator features) {
        FeatureOperator[] fs = rowFeatures[localPattern];
        fs = Arrays.copyOf(fs, fs.length + 1);
        fs[fs.length - 1] = features;
        rowFeatures[localPattern] = fs;
    }

    private void attach(KeyState st) {
        int slot = freeCount > 0 ? freeSlots[--freeCount] : nextSlot++;
        if (slot >= bySlot.length) {
            bySlot = Arrays.copyOf(bySlot, bySlot.length * 2);
        }
        bySlot[slot] = st;
        st.slot = slot;
    }

    private void detach(KeyState st) {
        bySlot[st.slot] = null;
        if (freeCount == freeSlots.length) {
            freeSlots = Arrays.copyOf(freeSlots, freeCount * 2);
        }
        freeSlots[freeCount++] = st.slot;
        st.slot = -1;
    }

    /** Gives a key state read from the backend its runtime fields: key, timer slot, NFA deadlines. */
    private void bind(KeyState st, byte[] key, int keyGroup) {
        st.key = key;
        st.hash = KeyGroups.hash(key);
        st.keyGroup = keyGroup;
        attach(st);
        for (int p = 0; p < st.nfas.length; p++) {
            st.deadlines[p] = st.nfas[p].nextTimeout();
        }
        st.deadline = st.nextTimeout();
        timers.set(st.slot, st.deadline);
    }

    /**
     * After the backend was restored from a snapshot: binds each restored key state to its key,
     * gives it a timer slot, its NFA timer and its place on the pending list (timers are derived
     * from state, not persisted).
     */
    void rebuildAfterRestore(KeyGroupRange groups, long restoredWatermark) {
        watermark = restoredWatermark;
        for (int g = groups.first(); g <= groups.last(); g++) {
            int keyGroup = g;
            states.forEach(g, (key, st) -> {
                bind(st, key, keyGroup);
                if (!st.sorter.isEmpty()) {
                    st.pending = true;
                    if (pendingCount == pending.length) {
                        pending = Arrays.copyOf(pending, pendingCount * 2);
                    }
                    pending[pendingCount++] = st;
                } else if (st.deadline == Long.MAX_VALUE) {
                    detach(st); // nothing due: the store may keep it on disk only, as after a step
                }
                for (int p = 0; p < st.nfas.length; p++) {
                    partialMatches[p] += st.nfas[p].partialMatchCount();
                }
            });
        }
    }
}
