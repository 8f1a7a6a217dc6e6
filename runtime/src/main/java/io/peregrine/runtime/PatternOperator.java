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
import io.peregrine.runtime.state.KeyedState;
import io.peregrine.runtime.state.StateBackend;
import io.peregrine.runtime.state.RowSerializer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.function.Consumer;

/**
 * Hosts one compiled pattern for the keys of one worker: per key an {@link EventTimeSorter} holding
 * events until the watermark passes them, an {@link NfaState}, and the MATCH_NUMBER counters; one
 * timer per key at {@code min(earliest held event, NFA deadline)}.
 *
 * <p>When the watermark advances, each due key is stepped through time in order: it is advanced to
 * each NFA deadline before the next held event and fed the events of each timestamp (ties in the
 * pattern's tie order, else arrival order). A key's NFA therefore sees the same calls whatever the
 * watermarks were, and every output row gets an <em>emission time</em> that depends only on the
 * key's events: the timestamp being processed or the deadline being passed. Output is ordered by
 * that time, then by key (see {@link Emitted}), which is what makes a job's output independent of
 * arrival order within the out-of-orderness bound and of the parallelism.
 */
final class PatternOperator implements MatchCollector<Row> {

    final int patternIndex;
    final CompiledPattern pattern;
    private final int worker;
    private final Nfa<Row> nfa;
    private final NfaProcessor<Row> processor;
    private final KeyedState<PatternKeyState> states;
    private final MatchProjector projector;
    private final MatchProjector timeoutProjector;
    private final Comparator<Row> tieOrder;
    private final TimerHeap timers = new TimerHeap();
    private PatternKeyState[] bySlot = new PatternKeyState[64];
    private int[] freeSlots = new int[16];
    private int freeCount;
    private int nextSlot;
    private PatternKeyState[] due = new PatternKeyState[64];
    private final EventTimeSorter.Sink<Row> release = this::release;
    private final EventTimeSorter.Sink<Row> collectTie = this::collectTie;
    private final Consumer<Row> rowOut = this::emitRow;
    private Row[] ties = new Row[8];
    private int tieCount;

    private long watermark = Long.MIN_VALUE;
    private PatternKeyState current;
    private long emitTime;
    private int outputIndex;
    private EpochOutput out;

    // counters, written by the owning worker only
    long matches;
    long timeouts;
    long rows;
    long partialMatches;

    PatternOperator(int patternIndex, CompiledPattern pattern, int worker, StateBackend backend) {
        this.patternIndex = patternIndex;
        this.pattern = pattern;
        this.worker = worker;
        this.nfa = pattern.nfa();
        this.processor = nfa.newProcessor();
        this.states = backend.keyedState("pattern/" + pattern.name(),
                new PatternKeyState.Codec(nfa, new RowSerializer(pattern.input().schema())));
        this.projector = pattern.projector();
        this.timeoutProjector = pattern.timeoutProjector();
        this.tieOrder = pattern.tieOrder();
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
            throw new OperatorException("pattern " + pattern.name() + " (worker " + worker + ", key group " + keyGroup
                    + ") got an event at " + ts + ", at or below its watermark " + watermark);
        }
        PatternKeyState st = states.get(keyGroup, hash, keyBuf, keyOff, keyLen);
        if (st == null) {
            byte[] key = Arrays.copyOfRange(keyBuf, keyOff, keyOff + keyLen);
            st = new PatternKeyState(key, hash, keyGroup);
            states.put(keyGroup, hash, key, st);
            attach(st);
        }
        if (st.sorter == null) {
            st.sorter = new EventTimeSorter<>(2);
        }
        st.sorter.add(row, ts);
        if (ts < st.deadline) {
            st.deadline = ts;
            timers.set(st.slot, ts);
        }
        states.update(keyGroup, hash, st.key, st);
    }

    /** Advances to a watermark: steps every key with a held event or a deadline at or below it. */
    void advance(long wm, EpochOutput output) {
        if (wm <= watermark) {
            return;
        }
        watermark = wm;
        out = output;
        int n = 0;
        while (timers.size() > 0 && timers.peekDeadline() <= wm) {
            PatternKeyState st = bySlot[timers.peekSlot()];
            timers.set(st.slot, Long.MAX_VALUE);
            st.deadline = Long.MAX_VALUE;
            if (n == due.length) {
                due = Arrays.copyOf(due, n * 2);
            }
            due[n++] = st;
        }
        // read every due key's state first so that their cache misses overlap
        long touched = 0;
        for (int i = 0; i < n; i++) {
            PatternKeyState st = due[i];
            if (st.nfa != null) {
                touched += st.nfa.prefetch();
            }
        }
        this.touched += touched;
        for (int i = 0; i < n; i++) {
            PatternKeyState st = due[i];
            due[i] = null;
            try {
                step(st, wm);
            } catch (RuntimeException e) {
                throw new OperatorException("pattern " + pattern.name() + " failed on a key of key group " + st.keyGroup
                        + " (worker " + worker + "): " + e, e);
            }
        }
        out = null;
    }

    /** Keeps the prefetch reads from being optimized away. */
    long touched;

    private void step(PatternKeyState st, long wm) {
        current = st;
        NfaState<Row> ns = st.nfa;
        if (ns == null) {
            ns = nfa.newState();
            st.nfa = ns;
        }
        int before = ns.partialMatchCount();
        EventTimeSorter<Row> sorter = st.sorter;
        while (true) {
            // no event is ever at Long.MAX_VALUE (the reader rejects it): MAX means none
            long e = sorter == null ? Long.MAX_VALUE : sorter.earliestTimestamp();
            long d = ns.nextTimeout();
            if (d < e && d <= wm) {
                emitTime = d;
                processor.advanceTime(ns, d, this);
                if (ns.nextTimeout() <= d) {
                    throw new IllegalStateException("NFA deadline did not move past " + d);
                }
                continue;
            }
            if (e <= wm && e != Long.MAX_VALUE) {
                emitTime = e;
                if (tieOrder == null) {
                    sorter.releaseUpTo(e, release);
                } else {
                    releaseTies(sorter, e, ns);
                }
                continue;
            }
            break;
        }
        partialMatches += ns.partialMatchCount() - before;
        long next = Math.min(sorter == null ? Long.MAX_VALUE : sorter.earliestTimestamp(), ns.nextTimeout());
        st.deadline = next;
        if (next != Long.MAX_VALUE) {
            timers.set(st.slot, next);
            states.update(st.keyGroup, st.hash, st.key, st);
        } else if (ns.isIdle()) {
            // nothing pending: keep only the counters (or nothing at all)
            st.nfa = null;
            st.sorter = null;
            if (st.matches == 0 && st.timeouts == 0) {
                states.remove(st.keyGroup, st.hash, st.key, 0, st.key.length);
                detach(st);
            } else {
                states.update(st.keyGroup, st.hash, st.key, st);
            }
        } else {
            states.update(st.keyGroup, st.hash, st.key, st);
        }
        current = null;
    }

    private void releaseTies(EventTimeSorter<Row> sorter, long ts, NfaState<Row> ns) {
        tieCount = 0;
        sorter.releaseUpTo(ts, collectTie);
        if (tieCount > 1) {
            Arrays.sort(ties, 0, tieCount, tieOrder);
        }
        for (int i = 0; i < tieCount; i++) {
            Row row = ties[i];
            ties[i] = null;
            processor.process(ns, row, ts, this);
        }
    }

    private void collectTie(Row row, long ts) {
        if (tieCount == ties.length) {
            ties = Arrays.copyOf(ties, tieCount * 2);
        }
        ties[tieCount++] = row;
    }

    private void release(Row row, long ts) {
        processor.process(current.nfa, row, ts, this);
    }

    @Override
    public void onMatch(Match<Row> match) {
        PatternKeyState st = current;
        matches++;
        outputIndex = 2 * patternIndex;
        projector.project(match, ++st.matches, rowOut);
    }

    @Override
    public void onTimeout(Match<Row> partialMatch, long timeoutTimestamp) {
        if (timeoutProjector == null) {
            return;
        }
        PatternKeyState st = current;
        timeouts++;
        outputIndex = 2 * patternIndex + 1;
        timeoutProjector.project(partialMatch, ++st.timeouts, rowOut);
    }

    private void emitRow(Row row) {
        rows++;
        out.add(outputIndex, new Emitted(emitTime, current.key, row));
    }

    private void attach(PatternKeyState st) {
        int slot = freeCount > 0 ? freeSlots[--freeCount] : nextSlot++;
        if (slot >= bySlot.length) {
            bySlot = Arrays.copyOf(bySlot, bySlot.length * 2);
        }
        bySlot[slot] = st;
        st.slot = slot;
    }

    private void detach(PatternKeyState st) {
        bySlot[st.slot] = null;
        if (freeCount == freeSlots.length) {
            freeSlots = Arrays.copyOf(freeSlots, freeCount * 2);
        }
        freeSlots[freeCount++] = st.slot;
        st.slot = -1;
    }

    /**
     * After the backend was restored from a snapshot: binds each restored key state to its key,
     * gives it a timer slot and sets its timer (timers are derived from state, not persisted).
     */
    void rebuildAfterRestore(KeyGroupRange groups, long restoredWatermark) {
        watermark = restoredWatermark;
        for (int g = groups.first(); g <= groups.last(); g++) {
            int group = g;
            states.forEach(g, (key, st) -> {
                st.key = key;
                st.hash = io.peregrine.runtime.state.KeyGroups.hash(key);
                st.keyGroup = group;
                attach(st);
                long next = Math.min(st.sorter == null ? Long.MAX_VALUE : st.sorter.earliestTimestamp(),
                        st.nfa == null ? Long.MAX_VALUE : st.nfa.nextTimeout());
                st.deadline = next;
                timers.set(st.slot, next);
                if (st.nfa != null) {
                    partialMatches += st.nfa.partialMatchCount();
                }
            });
        }
    }
}
