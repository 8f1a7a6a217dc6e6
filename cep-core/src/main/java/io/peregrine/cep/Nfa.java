package io.peregrine.cep;

import io.peregrine.cep.CompiledState.Action;
import io.peregrine.cep.CompiledState.Transition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A compiled pattern: an immutable NFA shared by all keys and threads. Per-key state lives in
 * {@link NfaState}; the work is done by an {@link NfaProcessor} (one per thread). The convenience
 * methods here use a processor per calling thread.
 *
 * <pre>{@code
 * Nfa<Txn> nfa = Nfa.compile(pattern);
 * NfaState<Txn> state = nfa.newState();          // one per key
 * nfa.process(state, txn, txn.ts(), collector);  // events of that key, in timestamp order
 * nfa.advanceTime(state, watermark, collector);  // fires window timeouts and trailing notFollowedBy
 * }</pre>
 */
public final class Nfa<E> {

    final CompiledState<E>[] states;
    final CompiledState<E> startState;
    final long windowTime;
    final AfterMatchSkipStrategy skipStrategy;
    final NfaOptions options;
    final String[] elementNames;
    final int userElementCount;
    final Aggregate<E>[] aggregates;
    final EventRef<E>[] eventRefs;
    /** Per element id: the aggregate slots fed by that element (null when none). */
    final int[][] aggregateSlotsByElement;
    /** Per element id: the event-ref slots fed by that element (null when none). */
    final int[][] eventRefSlotsByElement;
    final double[] initialAggregates;
    final ComputationState<E> initialRun;
    /** Element id named by a SKIP TO FIRST/LAST strategy, or -1. */
    final int skipElementId;
    /** The elements as written, for {@link #description()}. */
    private final List<NfaDescription.Element> elementDescriptions;
    private final ThreadLocal<NfaProcessor<E>> processors;

    @SuppressWarnings("unchecked")
    private Nfa(NfaCompiler<E> compiler, Pattern<E> pattern, NfaOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.skipStrategy = compiler.skipStrategy();
        this.windowTime = compiler.windowTime();

        List<String> names = new ArrayList<>();
        collectElementNames(pattern, names);
        List<NfaDescription.Element> described = new ArrayList<>();
        describeElements(pattern, described);
        this.elementDescriptions = List.copyOf(described);
        this.userElementCount = names.size();
        List<CompiledState<E>> all = compiler.states();
        for (CompiledState<E> s : all) {
            if (!names.contains(s.elementName)) {
                names.add(s.elementName);
            }
        }
        this.elementNames = names.toArray(new String[0]);
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < elementNames.length; i++) {
            ids.put(elementNames[i], i);
        }

        this.states = all.toArray(new CompiledState[0]);
        CompiledState<E> start = null;
        for (int i = 0; i < states.length; i++) {
            CompiledState<E> s = states[i];
            s.id = i;
            s.elementId = ids.get(s.elementName);
            s.transitions = s.transitionList.toArray(new Transition[0]);
            if (s.start) {
                start = s;
            }
        }
        if (start == null) {
            throw new IllegalStateException("compiler produced no start state for " + pattern);
        }
        this.startState = start;
        checkNoProceedCycle();
        checkStartCannotProceedToStop();

        List<Aggregate<E>> aggs = new ArrayList<>();
        List<EventRef<E>> refs = new ArrayList<>();
        collectHandles(pattern, aggs, refs);
        this.aggregates = aggs.toArray(new Aggregate[0]);
        this.eventRefs = refs.toArray(new EventRef[0]);
        for (int i = 0; i < aggregates.length; i++) {
            aggregates[i].slotHint = i;
        }
        for (int i = 0; i < eventRefs.length; i++) {
            eventRefs[i].slotHint = i;
        }
        this.aggregateSlotsByElement = slotsByElement(elementNames.length, aggs.size(), i -> ids.get(aggs.get(i).element()));
        this.eventRefSlotsByElement = slotsByElement(elementNames.length, refs.size(), i -> ids.get(refs.get(i).element()));
        this.initialAggregates = new double[aggregates.length * 2];
        for (int i = 0; i < aggregates.length; i++) {
            AggregateKind k = aggregates[i].kind();
            initialAggregates[2 * i] = k == AggregateKind.MIN ? Double.POSITIVE_INFINITY
                    : k == AggregateKind.MAX ? Double.NEGATIVE_INFINITY : 0.0;
        }
        this.initialRun = ComputationState.start(startState, Dewey.INITIAL);
        this.skipElementId = skipStrategy.element().map(ids::get).orElse(-1);
        this.processors = ThreadLocal.withInitial(() -> new NfaProcessor<>(this));
    }

    /** Compiles with {@link NfaOptions#defaults()}. */
    public static <E> Nfa<E> compile(Pattern<E> pattern) {
        return compile(pattern, NfaOptions.defaults());
    }

    /**
     * Compiles {@code pattern} (any element of it: the last one is found from the chain it ends).
     *
     * @throws MalformedPatternException naming the element and the rule when the pattern cannot work
     */
    public static <E> Nfa<E> compile(Pattern<E> pattern, NfaOptions options) {
        Objects.requireNonNull(pattern, "pattern");
        NfaCompiler<E> compiler = new NfaCompiler<>(pattern);
        compiler.compile();
        return new Nfa<>(compiler, pattern, options);
    }

    public NfaState<E> newState() {
        NfaState<E> state = new NfaState<>(options.historyDepth());
        state.partialMatches.offer(initialRun);
        return state;
    }

    /** A processor for the calling thread's exclusive use: the hot-path entry point. */
    public NfaProcessor<E> newProcessor() {
        return new NfaProcessor<>(this);
    }

    /** See {@link NfaProcessor#process}. */
    public void process(NfaState<E> state, E event, long timestamp, MatchCollector<E> collector) {
        processors.get().process(state, event, timestamp, collector);
    }

    /** See {@link NfaProcessor#advanceTime}. */
    public void advanceTime(NfaState<E> state, long time, MatchCollector<E> collector) {
        processors.get().advanceTime(state, time, collector);
    }

    /** The whole-match window in milliseconds, 0 when none. */
    public long windowMillis() {
        return windowTime;
    }

    public AfterMatchSkipStrategy skipStrategy() {
        return skipStrategy;
    }

    public NfaOptions options() {
        return options;
    }

    /** Element names by element id, as used in {@link Match#elementId(int)}; the pattern's elements first. */
    public List<String> elementNames() {
        return List.of(Arrays.copyOf(elementNames, userElementCount));
    }

    /** Number of NFA states, for diagnostics. */
    public int stateCount() {
        return states.length;
    }

    /** The compiled graph and the elements it came from, with the text of every condition (for {@code explain}). */
    public NfaDescription description() {
        List<NfaDescription.State> out = new ArrayList<>(states.length);
        for (CompiledState<E> s : states) {
            List<NfaDescription.Edge> edges = new ArrayList<>(s.transitions.length);
            for (Transition<E> t : s.transitions) {
                edges.add(new NfaDescription.Edge(NfaDescription.Action.valueOf(t.action.name()), t.target.id,
                        Conditions.text(t.condition)));
            }
            out.add(new NfaDescription.State(s.id, s.name, s.elementName, NfaDescription.Kind.valueOf(s.kind.name()),
                    s.start, s.gapWindow, edges));
        }
        return new NfaDescription(elementDescriptions, out, startState.id, windowTime, skipStrategy);
    }

    int aggregateSlot(Aggregate<E> aggregate) {
        Aggregate<E>[] a = aggregates;
        int hint = aggregate.slotHint;
        if (hint >= 0 && hint < a.length && a[hint] == aggregate) {
            return hint;
        }
        for (int i = 0; i < a.length; i++) {
            if (a[i] == aggregate) {
                return i;
            }
        }
        throw new IllegalArgumentException("aggregate " + aggregate + " was not declared on this pattern");
    }

    int eventRefSlot(EventRef<E> ref) {
        EventRef<E>[] r = eventRefs;
        int hint = ref.slotHint;
        if (hint >= 0 && hint < r.length && r[hint] == ref) {
            return hint;
        }
        for (int i = 0; i < r.length; i++) {
            if (r[i] == ref) {
                return i;
            }
        }
        throw new IllegalArgumentException("event reference " + ref + " was not declared on this pattern");
    }

    private void checkNoProceedCycle() {
        // a cycle of PROCEED edges means a loop that can repeat without taking any event
        // (e.g. a looping group whose elements are all optional); FlinkCEP would spin forever
        int n = states.length;
        byte[] mark = new byte[n];
        for (int i = 0; i < n; i++) {
            if (mark[i] == 0) {
                visitProceeds(states[i], mark);
            }
        }
    }

    private void checkStartCannotProceedToStop() {
        // a NOT element reachable from the start state without taking an event: FlinkCEP rejects
        // this when the optional element right before the NOT element makes it so, but not when
        // the optional path runs through a group (begin(group(a.optional())).notNext("b")); there
        // its NFA fails on the first event with a NullPointerException (the start state has no
        // buffer entry to release when the path is discarded). Reject it like the direct case.
        boolean[] seen = new boolean[states.length];
        java.util.ArrayDeque<CompiledState<E>> todo = new java.util.ArrayDeque<>();
        todo.push(startState);
        seen[startState.id] = true;
        while (!todo.isEmpty()) {
            CompiledState<E> s = todo.pop();
            for (Transition<E> t : s.transitions) {
                if (t.action != Action.PROCEED || seen[t.target.id]) {
                    continue;
                }
                if (t.target.isStop()) {
                    throw new MalformedPatternException("Pattern element '" + t.target.elementName
                            + "': a NOT element (notNext/notFollowedBy) cannot be reached from the start of the"
                            + " pattern through optional elements only (here through a group or an alternation's"
                            + " branch); write two"
                            + " patterns, one with and one without the optional part");
                }
                seen[t.target.id] = true;
                todo.push(t.target);
            }
        }
    }

    private void visitProceeds(CompiledState<E> s, byte[] mark) {
        mark[s.id] = 1;
        for (Transition<E> t : s.transitions) {
            if (t.action != Action.PROCEED) {
                continue;
            }
            int m = mark[t.target.id];
            if (m == 1) {
                throw new MalformedPatternException("Pattern element '" + s.elementName
                        + "': a quantified group can repeat without taking any event; make at least one"
                        + " of its elements mandatory");
            }
            if (m == 0) {
                visitProceeds(t.target, mark);
            }
        }
        mark[s.id] = 2;
    }

    private static <E> void collectElementNames(Pattern<E> last, List<String> out) {
        List<Pattern<E>> chain = new ArrayList<>();
        for (Pattern<E> p = last; p != null; p = p.previous()) {
            chain.add(p);
        }
        for (int i = chain.size() - 1; i >= 0; i--) {
            Pattern<E> p = chain.get(i);
            if (p.isGroup()) {
                collectElementNames(p.group(), out);
            } else if (p.isAlternation()) {
                for (Pattern<E> branch : p.branches()) {
                    collectElementNames(branch, out);
                }
            } else if (!out.contains(p.name())) {
                out.add(p.name());
            }
        }
    }

    private static <E> void describeElements(Pattern<E> last, List<NfaDescription.Element> out) {
        List<Pattern<E>> chain = new ArrayList<>();
        for (Pattern<E> p = last; p != null; p = p.previous()) {
            chain.add(p);
        }
        for (int i = chain.size() - 1; i >= 0; i--) {
            Pattern<E> p = chain.get(i);
            if (p.isGroup()) {
                describeElements(p.group(), out);
            } else if (p.isAlternation()) {
                for (Pattern<E> branch : p.branches()) {
                    describeElements(branch, out);
                }
            } else {
                String quantifier;
                if (p.isLooping()) {
                    quantifier = p.timesFrom() <= 1 ? "oneOrMore" : "timesOrMore(" + p.timesFrom() + ")";
                } else if (p.isTimes()) {
                    quantifier = p.timesFrom() == p.timesTo() ? "times(" + p.timesFrom() + ")"
                            : "times(" + p.timesFrom() + ", " + p.timesTo() + ")";
                } else {
                    quantifier = "";
                }
                if (p.isOptional()) {
                    quantifier = quantifier.isEmpty() ? "optional" : quantifier + ".optional";
                }
                out.add(new NfaDescription.Element(p.name(), p.consumingStrategy(), quantifier,
                        p.isLooping() || p.isTimes() ? p.innerConsumingStrategy() : null, p.isGreedy(),
                        Conditions.text(p.condition()), p.untilCondition() == null ? null : Conditions.text(p.untilCondition()),
                        Math.max(0, p.gapWindowMillis())));
            }
        }
    }

    private static <E> void collectHandles(Pattern<E> last, List<Aggregate<E>> aggs, List<EventRef<E>> refs) {
        List<Pattern<E>> chain = new ArrayList<>();
        for (Pattern<E> p = last; p != null; p = p.previous()) {
            chain.add(p);
        }
        for (int i = chain.size() - 1; i >= 0; i--) {
            Pattern<E> p = chain.get(i);
            if (p.isGroup()) {
                collectHandles(p.group(), aggs, refs);
            } else if (p.isAlternation()) {
                for (Pattern<E> branch : p.branches()) {
                    collectHandles(branch, aggs, refs);
                }
            } else {
                aggs.addAll(p.aggregates());
                refs.addAll(p.eventRefs());
            }
        }
    }

    private static int[][] slotsByElement(int elements, int slots, java.util.function.IntUnaryOperator elementOf) {
        if (slots == 0) {
            return new int[elements][];
        }
        List<List<Integer>> by = new ArrayList<>();
        for (int i = 0; i < elements; i++) {
            by.add(new ArrayList<>());
        }
        for (int i = 0; i < slots; i++) {
            by.get(elementOf.applyAsInt(i)).add(i);
        }
        int[][] out = new int[elements][];
        for (int i = 0; i < elements; i++) {
            if (!by.get(i).isEmpty()) {
                out[i] = by.get(i).stream().mapToInt(Integer::intValue).toArray();
            }
        }
        return out;
    }
}
