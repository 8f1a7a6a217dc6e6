package io.peregrine.cep;

import io.peregrine.cep.CompiledState.Action;
import io.peregrine.cep.CompiledState.Transition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a compiled {@link Nfa} over per-key {@link NfaState}s. Holds only scratch buffers, so one
 * processor per thread serves any number of keys; it is not thread-safe.
 *
 * <p>The step function is FlinkCEP's (the same runs, Dewey versions, shared-buffer reference counts,
 * skip-strategy pruning and queue order), so answers agree with FlinkCEP match for match. What
 * differs is the cost: no state serialization, no per-event queues or maps, runs that do not change
 * are kept as they are, aggregates are carried along a run instead of recomputed, and a key whose
 * windows cannot close yet skips {@link #advanceTime} entirely.
 */
public final class NfaProcessor<E> {

    private final Nfa<E> nfa;
    private final RunHeap<E> newPartials = new RunHeap<>();
    private final RunHeap<E> potential = new RunHeap<>();
    private final ContextImpl context = new ContextImpl();
    private final Match<E> match;
    private NfaTracer<E> tracer;

    // decision graph scratch
    @SuppressWarnings("unchecked")
    private Transition<E>[] edges = new Transition[8];
    private int edgeCount;
    @SuppressWarnings("unchecked")
    private CompiledState<E>[] stateStack = new CompiledState[8];
    @SuppressWarnings("unchecked")
    private ComputationState<E>[] results = new ComputationState[8];
    private int resultCount;
    @SuppressWarnings("unchecked")
    private ComputationState<E>[] retained = new ComputationState[8];

    // leaf condition results for the current run and event (conditions are pure)
    @SuppressWarnings("unchecked")
    private Condition<E>[] memoConditions = new Condition[8];
    private boolean[] memoResults = new boolean[8];
    private int memoSize;
    /** Keeps the reads of {@link #touchRuns} from being optimized away. */
    long touched;
    /** Whether the run being stepped kept its object and skipped the lock/release pair. */
    private boolean keptWithoutLock;

    // the event being processed
    private NfaState<E> state;
    private E event;
    private long timestamp;
    private EventEntry<E> entry;
    private final BufferNode<E>[] eventNodes;

    // release scratch
    @SuppressWarnings("unchecked")
    private BufferNode<E>[] releaseNodes = new BufferNode[16];
    private int[][] releaseVersions = new int[16][];

    // extraction scratch: DFS frames and the paths found
    @SuppressWarnings("unchecked")
    private BufferNode<E>[] frameNodes = new BufferNode[16];
    private int[][] frameVersions = new int[16][];
    private int[] frameDepths = new int[16];
    @SuppressWarnings("unchecked")
    private BufferNode<E>[] path = new BufferNode[16];
    @SuppressWarnings("unchecked")
    private BufferNode<E>[] pathStore = new BufferNode[16];
    private int[] pathStarts = new int[4];
    private int pathCount;
    private int pathStoreSize;
    private boolean[] pruneFlags = new boolean[16];

    @SuppressWarnings("unchecked")
    NfaProcessor(Nfa<E> nfa) {
        this.nfa = nfa;
        this.match = new Match<>(nfa.elementNames, 8);
        this.eventNodes = new BufferNode[nfa.elementNames.length];
    }

    public Nfa<E> nfa() {
        return nfa;
    }

    /** Reports every step to {@code tracer} from now on; null stops reporting. For explain and debugging. */
    public void setTracer(NfaTracer<E> tracer) {
        this.tracer = tracer;
    }

    /**
     * Feeds one event of the key that {@code state} belongs to. Events must come in timestamp order
     * (see {@link EventTimeSorter}); windows are first advanced to {@code timestamp}, so runs whose
     * window has passed cannot take it.
     */
    public void process(NfaState<E> state, E event, long timestamp, MatchCollector<E> collector) {
        if (timestamp > state.lastAdvance) {
            advanceTime(state, timestamp, collector);
        }
        this.state = state;
        this.event = event;
        this.timestamp = timestamp;
        this.entry = null;
        try {
            doProcess(collector);
            // only now: every condition for this event saw the history before it
            state.processed(event, timestamp);
        } finally {
            this.state = null;
            this.event = null;
            this.entry = null;
            // after an exception (a collector's, or a skip strategy's throwExceptionOnMiss) the
            // scratch heaps may still hold runs of this key: never let them leak into the next call
            newPartials.clear();
            potential.clear();
        }
    }

    /**
     * Advances the key's event time: partial matches whose window (or gap window) has passed are
     * dropped (emitted as timeouts when enabled), trailing {@code notFollowedBy} runs become matches.
     * Time never goes back: an earlier {@code time} is ignored. The same time again is not: events
     * processed since may have left runs whose window closes at that time (FlinkCEP's operator
     * advances to a timestamp before its events and again to a watermark equal to it).
     */
    public void advanceTime(NfaState<E> state, long time, MatchCollector<E> collector) {
        if (time < state.lastAdvance) {
            return;
        }
        state.lastAdvance = time;
        if (time < state.nextDeadline) {
            return;
        }
        try {
            doAdvanceTime(state, time, collector);
        } finally {
            newPartials.clear();
            potential.clear();
        }
    }

    private void doAdvanceTime(NfaState<E> state, long time, MatchCollector<E> collector) {
        RunHeap<E> partials = state.partialMatches;
        touchRuns(partials);
        long window = nfa.windowTime;
        for (int i = 0; i < partials.size(); i++) {
            ComputationState<E> run = partials.get(i);
            long gap = run.state.gapWindow;
            boolean start = run.isStart();
            boolean timeoutPrevious = !start && gap > 0 && time - run.previousTimestamp >= gap;
            boolean timeoutFirst = !start && window > 0 && time - run.startTimestamp >= window;
            if (timeoutPrevious || timeoutFirst) {
                if (run.state.isPending()) {
                    potential.offer(run);
                    continue;
                }
                if (nfa.options.timedOutMatches()) {
                    extractPaths(run.node, run.version);
                    fillMatch(0);
                    collector.onTimeout(match, timeoutPrevious ? run.previousTimestamp + gap : run.startTimestamp + window);
                }
                releaseNode(run.node, run.version);
            } else {
                newPartials.offer(run);
            }
        }
        processMatches(state, collector);
        partials.copyFrom(newPartials);
        newPartials.clear();
        potential.clear();
        state.nextDeadline = computeDeadline(partials);
    }

    // ------------------------------------------------------------------ one event

    private void doProcess(MatchCollector<E> collector) {
        NfaState<E> st = state;
        RunHeap<E> partials = st.partialMatches;
        touchRuns(partials);
        // a lower bound is enough: pruning and eviction only remove runs, and advanceTime rechecks
        long deadline = Long.MAX_VALUE;
        for (int i = 0; i < partials.size(); i++) {
            ComputationState<E> run = partials.get(i);
            computeNextStates(run);
            int retainedCount = 0;
            boolean discard = false;
            for (int r = 0; r < resultCount; r++) {
                ComputationState<E> next = results[r];
                if (next.state.isFinal()) {
                    potential.offer(next);
                } else if (next.state.isStop()) {
                    discard = true;
                    releaseNode(next.node, next.version);
                } else {
                    if (retainedCount == retained.length) {
                        retained = Arrays.copyOf(retained, retainedCount * 2);
                    }
                    retained[retainedCount++] = next;
                }
            }
            if (discard) {
                for (int r = 0; r < retainedCount; r++) {
                    releaseNode(retained[r].node, retained[r].version);
                }
            } else {
                for (int r = 0; r < retainedCount; r++) {
                    ComputationState<E> next = retained[r];
                    newPartials.offer(next);
                    deadline = Math.min(deadline, deadlineOf(next));
                }
            }
        }
        processMatches(st, collector);
        partials.copyFrom(newPartials);
        newPartials.clear();
        potential.clear();
        evictOverCap(st);
        st.nextDeadline = deadline;
    }

    private long deadlineOf(ComputationState<E> run) {
        if (run.isStart()) {
            return Long.MAX_VALUE;
        }
        long d = Long.MAX_VALUE;
        long window = nfa.windowTime;
        if (window > 0) {
            d = saturatedAdd(run.startTimestamp, window);
        }
        long gap = run.state.gapWindow;
        if (gap > 0) {
            d = Math.min(d, saturatedAdd(run.previousTimestamp, gap));
        }
        return d;
    }

    /**
     * Reads each run, its node and its event reference before stepping any of them. With many keys
     * these are cache misses; loaded in one tight loop of independent reads the CPU overlaps them,
     * where stepping run by run would wait for each in turn. The sum is kept so the reads stay.
     */
    private void touchRuns(RunHeap<E> partials) {
        int n = partials.size();
        if (n < 2) {
            return;
        }
        long sum = 0;
        for (int i = 0; i < n; i++) {
            ComputationState<E> run = partials.get(i);
            BufferNode<E> node = run.node;
            Object refs = run.eventRefs;
            sum += run.previousTimestamp;
            if (node != null) {
                sum += node.refCount;
            }
            if (refs != null) {
                sum += refs.getClass().hashCode();
            }
        }
        touched = sum;
    }

    private void computeNextStates(ComputationState<E> run) {
        context.run = run;
        resultCount = 0;
        keptWithoutLock = false;
        // stale entries in the scratch arrays are overwritten before they are read again
        memoSize = 0;
        CompiledState<E> current = run.state;
        edgeCount = 0;
        int totalTake = 0;
        int totalIgnore = 0;
        int sp = 0;
        stateStack[sp++] = current;
        NfaTracer<E> trace = tracer;
        if (trace != null) {
            trace.onRun(event, current.id, run.isStart() ? Long.MIN_VALUE : run.startTimestamp);
        }
        while (sp > 0) {
            CompiledState<E> s = stateStack[--sp];
            Transition<E>[] transitions = s.transitions;
            for (int ti = 0; ti < transitions.length; ti++) {
                Transition<E> t = transitions[ti];
                boolean passed = check(t.condition);
                if (trace != null) {
                    trace.onEdge(s.id, ti, passed);
                }
                if (!passed) {
                    continue;
                }
                if (t.action == Action.PROCEED) {
                    if (sp == stateStack.length) {
                        stateStack = Arrays.copyOf(stateStack, sp * 2);
                    }
                    stateStack[sp++] = t.target;
                } else {
                    if (edgeCount == edges.length) {
                        edges = Arrays.copyOf(edges, edgeCount * 2);
                    }
                    edges[edgeCount++] = t;
                    if (!(t.action == Action.IGNORE && t.target == current)) {
                        if (t.action == Action.IGNORE) {
                            totalIgnore++;
                        } else {
                            totalTake++;
                        }
                    }
                }
            }
        }

        boolean isStart = run.isStart();
        int takeBranchesToVisit = Math.max(0, totalTake - 1);
        int ignoreBranchesToVisit = totalIgnore;
        int totalTakeToSkip = Math.max(0, totalTake - 1);
        for (int e = 0; e < edgeCount; e++) {
            Transition<E> edge = edges[e];
            if (edge.action == Action.IGNORE) {
                if (isStart) {
                    continue;
                }
                int[] version;
                if (edge.target == current) {
                    version = Dewey.increase(run.version, selfIncrease(totalIgnore, totalTake));
                } else {
                    version = Dewey.increaseAndAddStage(run.version, totalTakeToSkip + ignoreBranchesToVisit);
                    ignoreBranchesToVisit--;
                }
                if (edge.target == current && version == run.version) {
                    // the run goes on unchanged: FlinkCEP locks its node again and releases the old
                    // lock at the end, which cancels out unless a count is already at zero
                    if (lockReleaseCancels(run.node, run.version)) {
                        keptWithoutLock = true;
                        addResultWithoutLock(run);
                    } else {
                        addResult(run);
                    }
                } else {
                    addResult(new ComputationState<>(edge.target, run.node, version, run.startTimestamp,
                            run.previousTimestamp, run.startEvent, run.aggregates, run.eventRefs));
                }
            } else {
                CompiledState<E> nextState = edge.target;
                CompiledState<E> taking = edge.source;
                int[] currentVersion = Dewey.increase(run.version, takeBranchesToVisit);
                int[] nextVersion = Dewey.addStage(currentVersion);
                takeBranchesToVisit--;
                EventEntry<E> ev = entry();
                BufferNode<E> newNode = put(taking.elementId, ev, run.node, currentVersion);
                long startTs;
                EventEntry<E> startEvent;
                if (isStart) {
                    startTs = timestamp;
                    startEvent = ev;
                } else {
                    startTs = run.startTimestamp;
                    startEvent = run.startEvent;
                }
                double[] aggs = takeAggregates(run.aggregates, taking.elementId);
                Object refs = takeEventRefs(run.eventRefs, taking.elementId);
                addResult(new ComputationState<>(nextState, newNode, nextVersion, startTs, timestamp, startEvent, aggs, refs));
                CompiledState<E> fin = findFinalStateAfterProceed(nextState);
                if (fin != null) {
                    addResult(new ComputationState<>(fin, newNode, nextVersion, startTs, timestamp, startEvent, aggs, refs));
                }
            }
        }

        if (isStart) {
            int[] startVersion = Dewey.increase(run.version, selfIncrease(totalIgnore, totalTake));
            // the start run holds no node: nothing to lock
            if (resultCount == results.length) {
                results = Arrays.copyOf(results, resultCount * 2);
            }
            results[resultCount++] = startVersion == run.version ? run : ComputationState.start(run.state, startVersion);
        }
        if (run.node != null && !keptWithoutLock) {
            releaseNode(run.node, run.version);
        }
        context.run = null;
    }

    private void addResultWithoutLock(ComputationState<E> next) {
        if (resultCount == results.length) {
            results = Arrays.copyOf(results, resultCount * 2);
        }
        results[resultCount++] = next;
    }

    /**
     * Whether locking {@code node} for {@code version} and releasing it again later in the same step
     * leaves every count as it was: true when the node and each edge the version follows hold at
     * least one lock already (locks taken in between only raise counts).
     */
    private static <E> boolean lockReleaseCancels(BufferNode<E> node, int[] version) {
        // conservative: any edge at zero, compatible or not, takes the exact path
        return node != null && !node.removed && node.refCount >= 1 && node.zeroEdges == 0;
    }

    private void addResult(ComputationState<E> next) {
        if (resultCount == results.length) {
            results = Arrays.copyOf(results, resultCount * 2);
        }
        results[resultCount++] = next;
        if (next.node != null) {
            lockNode(next.node, next.version);
        }
    }

    private static int selfIncrease(int ignoreBranches, int takeBranches) {
        return takeBranches == 0 && ignoreBranches == 0 ? 0 : ignoreBranches + Math.max(1, takeBranches);
    }

    private CompiledState<E> findFinalStateAfterProceed(CompiledState<E> from) {
        int sp = 0;
        stateStack[sp++] = from;
        while (sp > 0) {
            CompiledState<E> s = stateStack[--sp];
            for (Transition<E> t : s.transitions) {
                if (t.action == Action.PROCEED && check(t.condition)) {
                    if (t.target.isFinal()) {
                        return t.target;
                    }
                    if (sp == stateStack.length) {
                        stateStack = Arrays.copyOf(stateStack, sp * 2);
                    }
                    stateStack[sp++] = t.target;
                }
            }
        }
        return null;
    }

    @SuppressWarnings("rawtypes")
    private boolean check(Condition<E> condition) {
        if (condition == null || condition == (Condition) Conditions.TRUE) {
            return true;
        }
        if (condition == (Condition) Conditions.FALSE) {
            return false;
        }
        // the compiler derives ignore and until edges as combinations of the take conditions:
        // evaluate each user condition once per run and event
        if (condition instanceof Conditions.Not<E> not) {
            return !check(not.inner());
        }
        if (condition instanceof Conditions.And<E> and) {
            return check(and.left()) && check(and.right());
        }
        for (int i = 0; i < memoSize; i++) {
            if (memoConditions[i] == condition) {
                return memoResults[i];
            }
        }
        boolean result = condition.test(event, context);
        if (tracer != null) {
            tracer.onCondition(condition, result);
        }
        if (memoSize == memoConditions.length) {
            memoConditions = Arrays.copyOf(memoConditions, memoSize * 2);
            memoResults = Arrays.copyOf(memoResults, memoSize * 2);
        }
        memoConditions[memoSize] = condition;
        memoResults[memoSize++] = result;
        return result;
    }

    private EventEntry<E> entry() {
        EventEntry<E> e = entry;
        if (e == null) {
            e = new EventEntry<>(event, timestamp, state.nextSeq++);
            entry = e;
        }
        return e;
    }

    // ------------------------------------------------------------------ running aggregates

    private double[] takeAggregates(double[] old, int elementId) {
        int[] slots = nfa.aggregateSlotsByElement[elementId];
        if (slots == null) {
            return old;
        }
        double[] a = old == null ? nfa.initialAggregates.clone() : old.clone();
        for (int slot : slots) {
            Aggregate<E> agg = nfa.aggregates[slot];
            double v = agg.valueOf(event);
            int i = 2 * slot;
            switch (agg.kind()) {
                case SUM, AVG -> a[i] += v;
                case MIN -> a[i] = Math.min(a[i], v);
                case MAX -> a[i] = Math.max(a[i], v);
                case FIRST -> {
                    if (a[i + 1] == 0) {
                        a[i] = v;
                    }
                }
                case LAST -> a[i] = v;
                case COUNT -> { }
            }
            a[i + 1] += 1;
        }
        return a;
    }

    private Object takeEventRefs(Object old, int elementId) {
        int[] slots = nfa.eventRefSlotsByElement[elementId];
        if (slots == null) {
            return old;
        }
        if (nfa.eventRefs.length == 1) {
            return nfa.eventRefs[0].first() && old != null ? old : event;
        }
        Object[] r = old == null ? new Object[nfa.eventRefs.length] : ((Object[]) old).clone();
        for (int slot : slots) {
            if (!nfa.eventRefs[slot].first() || r[slot] == null) {
                r[slot] = event;
            }
        }
        return r;
    }

    static double readAggregate(AggregateKind kind, double[] values, int slot) {
        int i = 2 * slot;
        double count = values == null ? 0 : values[i + 1];
        switch (kind) {
            case COUNT:
                return count;
            case SUM:
                return values == null ? 0.0 : values[i];
            case AVG:
                return count == 0 ? Double.NaN : values[i] / count;
            default:
                return count == 0 ? Double.NaN : values[i];
        }
    }

    // ------------------------------------------------------------------ matches and skipping

    private void processMatches(NfaState<E> st, MatchCollector<E> collector) {
        if (potential.isEmpty() && st.heldMatches == 0) {
            return; // nothing completed now or before: leave the held-match heap untouched (cold)
        }
        try {
            emitMatches(st, collector);
        } finally {
            st.heldMatches = st.completedMatches.size();
        }
    }

    private void emitMatches(NfaState<E> st, MatchCollector<E> collector) {
        RunHeap<E> completed = st.completedMatches;
        for (int i = 0; i < potential.size(); i++) {
            completed.offer(potential.get(i));
        }
        AfterMatchSkipStrategy skip = nfa.skipStrategy;
        boolean skipping = skip.isSkipStrategy();
        ComputationState<E> earliest;
        while ((earliest = completed.peek()) != null) {
            if (skipping) {
                ComputationState<E> earliestPartial = newPartials.peek();
                if (earliestPartial != null && ComputationState.compare(earliest, earliestPartial) > 0) {
                    break;
                }
            }
            completed.poll();
            extractPaths(earliest.node, earliest.version);
            if (pathCount == 0) {
                throw new IllegalStateException("match of " + earliest + " has no path in the shared buffer");
            }
            if (skipping) {
                EventEntry<E> pruningId = pruningId(skip);
                if (pruningId != null) {
                    prune(newPartials, skip, pruningId);
                    prune(completed, skip, pruningId);
                }
            }
            fillMatch(0);
            collector.onMatch(match);
            releaseNode(earliest.node, earliest.version);
        }
    }

    private EventEntry<E> pruningId(AfterMatchSkipStrategy skip) {
        EventEntry<E> id = null;
        for (int p = 0; p < pathCount; p++) {
            int from = pathStarts[p];
            int to = p + 1 < pathCount ? pathStarts[p + 1] : pathStoreSize;
            // a path is stored from its last event back to its first
            EventEntry<E> last = pathStore[from].event;
            EventEntry<E> first = pathStore[to - 1].event;
            if (skip instanceof AfterMatchSkipStrategy.SkipToNext) {
                id = min(id, first);
            } else if (skip instanceof AfterMatchSkipStrategy.SkipPastLastEvent) {
                id = max(id, last);
            } else if (skip instanceof AfterMatchSkipStrategy.SkipToFirst s) {
                EventEntry<E> target = elementEvent(from, to, true);
                id = checkedElementTarget(id, target, first, s.name(), s.throwOnMiss(), "first");
            } else if (skip instanceof AfterMatchSkipStrategy.SkipToLast s) {
                EventEntry<E> target = elementEvent(from, to, false);
                id = checkedElementTarget(id, target, first, s.name(), s.throwOnMiss(), "last");
            }
        }
        return id;
    }

    private EventEntry<E> checkedElementTarget(
            EventEntry<E> id, EventEntry<E> target, EventEntry<E> first, String name, boolean throwOnMiss, String which) {
        if (target == null) {
            if (throwOnMiss) {
                throw new IllegalStateException("Could not skip to " + which + " '" + name
                        + "': the match has no such element");
            }
        } else {
            id = max(id, target);
        }
        if (throwOnMiss && id != null && id == first) {
            throw new IllegalStateException("Could not skip to " + which + " '" + name
                    + "': it is the first event of the match, so matching would never advance");
        }
        return id;
    }

    private EventEntry<E> elementEvent(int from, int to, boolean first) {
        EventEntry<E> found = null;
        int target = nfa.skipElementId;
        // walk oldest to newest
        for (int i = to - 1; i >= from; i--) {
            BufferNode<E> n = pathStore[i];
            if (n.elementId == target) {
                found = n.event;
                if (first) {
                    return found;
                }
            }
        }
        return found;
    }

    private static <E> EventEntry<E> min(EventEntry<E> a, EventEntry<E> b) {
        if (b == null) {
            return a;
        }
        if (a == null) {
            return b;
        }
        return EventEntry.compare(a, b) <= 0 ? a : b;
    }

    private static <E> EventEntry<E> max(EventEntry<E> a, EventEntry<E> b) {
        if (b == null) {
            return a;
        }
        if (a == null) {
            return b;
        }
        return EventEntry.compare(a, b) >= 0 ? a : b;
    }

    private void prune(RunHeap<E> heap, AfterMatchSkipStrategy skip, EventEntry<E> pruningId) {
        int n = heap.size();
        if (pruneFlags.length < n) {
            pruneFlags = new boolean[Math.max(n, pruneFlags.length * 2)];
        }
        boolean strict = skip instanceof AfterMatchSkipStrategy.SkipToFirst
                || skip instanceof AfterMatchSkipStrategy.SkipToLast;
        boolean any = false;
        for (int i = 0; i < n; i++) {
            ComputationState<E> run = heap.get(i);
            boolean prune = false;
            if (run.startEvent != null) {
                int c = EventEntry.compare(run.startEvent, pruningId);
                prune = strict ? c < 0 : c <= 0;
            }
            pruneFlags[i] = prune;
            if (prune) {
                any = true;
                releaseNode(run.node, run.version);
            }
        }
        if (any) {
            heap.removeFlagged(pruneFlags);
        }
        Arrays.fill(pruneFlags, 0, n, false);
    }

    private void evictOverCap(NfaState<E> st) {
        int max = nfa.options.maxPartialMatches();
        RunHeap<E> partials = st.partialMatches;
        // the start run sorts last, so polling takes the partial match with the oldest first event
        while (partials.size() - 1 > max) {
            ComputationState<E> oldest = partials.poll();
            releaseNode(oldest.node, oldest.version);
            st.evicted++;
        }
    }

    private long computeDeadline(RunHeap<E> partials) {
        long deadline = Long.MAX_VALUE;
        for (int i = 0; i < partials.size(); i++) {
            deadline = Math.min(deadline, deadlineOf(partials.get(i)));
        }
        return deadline;
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    // ------------------------------------------------------------------ shared buffer

    private BufferNode<E> put(int elementId, EventEntry<E> ev, BufferNode<E> previous, int[] version) {
        if (previous != null) {
            lockNode(previous, version);
        }
        BufferNode<E> node = eventNodes[elementId];
        if (node == null || node.event != ev || node.removed) {
            node = new BufferNode<>(ev, elementId);
            eventNodes[elementId] = node;
        }
        node.addEdge(previous, version);
        return node;
    }

    private static <E> void lockNode(BufferNode<E> node, int[] version) {
        if (node.removed) {
            return;
        }
        node.refCount++;
        for (int i = 0, n = node.edgeCount(); i < n; i++) {
            if (Dewey.isCompatible(version, node.edgeVersion(i))) {
                node.lockEdge(i);
            }
        }
    }

    private void releaseNode(BufferNode<E> node, int[] version) {
        if (node == null) {
            return;
        }
        int sp = 0;
        releaseNodes[sp] = node;
        releaseVersions[sp] = version;
        sp++;
        while (sp > 0) {
            sp--;
            BufferNode<E> cur = releaseNodes[sp];
            int[] v = releaseVersions[sp];
            releaseNodes[sp] = null;
            releaseVersions[sp] = null;
            if (cur.removed) {
                // FlinkCEP stops the whole release walk at a node that is already gone
                for (int i = 0; i < sp; i++) {
                    releaseNodes[i] = null;
                    releaseVersions[i] = null;
                }
                break;
            }
            for (int i = 0; i < cur.edgeCount(); i++) {
                int[] edgeVersion = cur.edgeVersion(i);
                BufferNode<E> edgeTarget = cur.edgeTarget(i);
                if (Dewey.isCompatible(v, edgeVersion) && cur.releaseEdgeAt(i)) {
                    i--;
                    if (edgeTarget != null) {
                        if (sp == releaseNodes.length) {
                            releaseNodes = Arrays.copyOf(releaseNodes, sp * 2);
                            releaseVersions = Arrays.copyOf(releaseVersions, sp * 2);
                        }
                        releaseNodes[sp] = edgeTarget;
                        releaseVersions[sp] = edgeVersion;
                        sp++;
                    }
                }
            }
            if (cur.release()) {
                cur.removed = true;
            }
        }
    }

    /**
     * Finds every path from {@code node} back to a run's first event that {@code version} may follow,
     * depth first, visiting the last compatible edge first (FlinkCEP's order: path 0 is the match).
     */
    private void extractPaths(BufferNode<E> node, int[] version) {
        pathCount = 0;
        pathStoreSize = 0;
        if (node == null || node.removed) {
            return;
        }
        int sp = 0;
        frameNodes[sp] = node;
        frameVersions[sp] = version;
        frameDepths[sp] = 0;
        sp++;
        while (sp > 0) {
            sp--;
            BufferNode<E> cur = frameNodes[sp];
            int[] v = frameVersions[sp];
            int depth = frameDepths[sp];
            frameNodes[sp] = null;
            frameVersions[sp] = null;
            if (cur == null) {
                recordPath(depth);
                continue;
            }
            if (cur.removed) {
                throw new IllegalStateException("shared buffer edge points at a released node " + cur);
            }
            if (depth == path.length) {
                path = Arrays.copyOf(path, depth * 2);
            }
            path[depth] = cur;
            for (int i = 0; i < cur.edgeCount(); i++) {
                int[] edgeVersion = cur.edgeVersion(i);
                if (Dewey.isCompatible(v, edgeVersion)) {
                    if (sp == frameNodes.length) {
                        frameNodes = Arrays.copyOf(frameNodes, sp * 2);
                        frameVersions = Arrays.copyOf(frameVersions, sp * 2);
                        frameDepths = Arrays.copyOf(frameDepths, sp * 2);
                    }
                    frameNodes[sp] = cur.edgeTarget(i);
                    frameVersions[sp] = edgeVersion;
                    frameDepths[sp] = depth + 1;
                    sp++;
                }
            }
        }
    }

    private void recordPath(int length) {
        if (pathCount == pathStarts.length) {
            pathStarts = Arrays.copyOf(pathStarts, pathCount * 2);
        }
        pathStarts[pathCount++] = pathStoreSize;
        if (pathStoreSize + length > pathStore.length) {
            pathStore = Arrays.copyOf(pathStore, Math.max(pathStore.length * 2, pathStoreSize + length));
        }
        System.arraycopy(path, 0, pathStore, pathStoreSize, length);
        pathStoreSize += length;
    }

    /** Fills the match view from path {@code p}, oldest event first. */
    private void fillMatch(int p) {
        if (pathCount == 0) {
            match.reset(0);
            return;
        }
        int from = pathStarts[p];
        int to = p + 1 < pathCount ? pathStarts[p + 1] : pathStoreSize;
        int n = to - from;
        match.reset(n);
        for (int i = 0; i < n; i++) {
            BufferNode<E> node = pathStore[to - 1 - i];
            match.set(i, node.event.event, node.event.timestamp, node.elementId);
        }
        Arrays.fill(pathStore, 0, pathStoreSize, null);
    }

    // ------------------------------------------------------------------ condition context

    private final class ContextImpl implements Context<E> {
        ComputationState<E> run;

        @Override
        public double aggregate(Aggregate<E> aggregate) {
            int slot = nfa.aggregateSlot(aggregate);
            return readAggregate(aggregate.kind(), run.aggregates, slot);
        }

        @Override
        @SuppressWarnings("unchecked")
        public E event(EventRef<E> ref) {
            int slot = nfa.eventRefSlot(ref);
            Object refs = run.eventRefs;
            if (refs == null) {
                return null;
            }
            return (E) (nfa.eventRefs.length == 1 ? refs : ((Object[]) refs)[slot]);
        }

        @Override
        public Iterable<E> eventsOf(String element) {
            // a separate walk: the processor's own path buffers may be in use by the caller
            List<E> out = new ArrayList<>();
            if (run.node == null) {
                return out;
            }
            List<BufferNode<E>> nodes = firstPath(run.node, run.version);
            for (int i = nodes.size() - 1; i >= 0; i--) {
                BufferNode<E> n = nodes.get(i);
                if (nfa.elementNames[n.elementId].equals(element)) {
                    out.add(n.event.event);
                }
            }
            return out;
        }

        @Override
        public long timestamp() {
            return timestamp;
        }

        @Override
        @SuppressWarnings("unchecked")
        public E previous(int n) {
            NfaState<E> st = state;
            checkHistoryOffset(st, n, "previous");
            return n > st.historySize ? null : (E) st.historyEvents[st.historySlot(n)];
        }

        @Override
        public long previousTimestamp(int n) {
            NfaState<E> st = state;
            checkHistoryOffset(st, n, "previousTimestamp");
            return n > st.historySize ? Long.MIN_VALUE : st.historyTimestamps[st.historySlot(n)];
        }

        @Override
        public long position() {
            return state.position;
        }
    }

    private static void checkHistoryOffset(NfaState<?> st, int n, String method) {
        Object[] ring = st.historyEvents;
        int depth = ring == null ? 0 : ring.length;
        if (n < 1 || n > depth) {
            throw new IllegalArgumentException(method + "(" + n + ") is outside 1.." + depth + ", the history depth"
                    + (depth == 0 ? ": history is off (turn it on with NfaOptions.withHistory(depth))"
                            : " set with NfaOptions.withHistory(" + depth + ")"));
        }
    }

    /** Path 0 of {@link #extractPaths} (same depth-first order), without touching the shared scratch. */
    private static <E> List<BufferNode<E>> firstPath(BufferNode<E> node, int[] version) {
        java.util.ArrayDeque<Object[]> frames = new java.util.ArrayDeque<>();
        List<BufferNode<E>> path = new ArrayList<>();
        frames.push(new Object[] {node, version, 0});
        while (!frames.isEmpty()) {
            Object[] f = frames.pop();
            @SuppressWarnings("unchecked")
            BufferNode<E> cur = (BufferNode<E>) f[0];
            int depth = (Integer) f[2];
            while (path.size() > depth) {
                path.remove(path.size() - 1);
            }
            if (cur == null) {
                return path;
            }
            path.add(cur);
            for (int i = 0; i < cur.edgeCount(); i++) {
                if (Dewey.isCompatible((int[]) f[1], cur.edgeVersion(i))) {
                    frames.push(new Object[] {cur.edgeTarget(i), cur.edgeVersion(i), depth + 1});
                }
            }
        }
        return List.of();
    }
}
