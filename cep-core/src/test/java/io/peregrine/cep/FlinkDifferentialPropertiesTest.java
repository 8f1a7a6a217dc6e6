package io.peregrine.cep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import org.apache.flink.cep.nfa.NFA;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;

/**
 * Differential properties: random patterns over the whole operator set and random event streams are
 * run through FlinkCEP 2.3.0's {@code NFA} (driven directly, the way its {@code CepOperator} does in
 * event time) and through ours; matches and timed-out partial matches must be identical, in order.
 * Patterns that Flink rejects while building or compiling must be rejected by ours too.
 *
 * <p>One generated {@link PatD description} is built into both APIs. Quantifiers are always applied
 * before {@code optional()}: Flink's {@code Pattern} silently drops an earlier {@code optional()}
 * when a quantifier follows it ({@code .optional().times(2)}), ours keeps it (a deliberate
 * difference), so that order is not generated.
 */
class FlinkDifferentialPropertiesTest {

    // ================================================================== events

    /** A test event: a type letter a..d and a value 0..9; {@code id} makes every event distinct. */
    record Ev(int id, char type, int value) implements java.io.Serializable {
        @Override
        public String toString() {
            return "" + type + value + "#" + id;
        }
    }

    /**
     * One event of a generated stream: {@code dt} after the previous one; when {@code watermarkBack > 0}
     * and {@code dt > 0}, a watermark at the event's timestamp - min(watermarkBack, dt) is passed first:
     * anywhere from the previous event's timestamp to just below this one's (Flink's operator would
     * drop an event at or below the watermark as late).
     */
    record Timed(char type, int value, int dt, int watermarkBack) {}

    // ================================================================== pattern description

    enum Contig { BEGIN, NEXT, FOLLOWED_BY, FOLLOWED_BY_ANY, NOT_NEXT, NOT_FOLLOWED_BY }

    enum QKind { NONE, TIMES, RANGE, ONE_OR_MORE, TIMES_OR_MORE }

    enum Inner { DEFAULT, CONSECUTIVE, COMBINATIONS }

    enum SkipKind { NO_SKIP, TO_NEXT, PAST_LAST, TO_FIRST, TO_LAST }

    /** A condition atom. Element references are indexes resolved modulo the pattern's element names. */
    sealed interface Atom extends java.io.Serializable {}

    record TypeIs(char type) implements Atom {}

    record ValueAtMost(int max) implements Atom {}

    record ValueAtLeast(int min) implements Atom {}

    /** Iterative: value greater than the last value the element took (eventsOf / getEventsForPattern). */
    record GtLast(int ref) implements Atom {}

    /** Iterative: value at least the element's last event (our EventRef lastEvent). */
    record GeLastRef(int ref) implements Atom {}

    /** Iterative: value greater than the element's first event (our EventRef firstEvent). */
    record GtFirstRef(int ref) implements Atom {}

    /** Iterative: the sum of the element's values so far is below a bound (our SUM aggregate). */
    record SumBelow(int ref, int bound) implements Atom {}

    /** Iterative: the element took fewer than n events so far (our COUNT aggregate). */
    record CountBelow(int ref, int n) implements Atom {}

    /**
     * Iterative: a running aggregate (MIN, MAX, AVG, FIRST or LAST) of the element's values so far is
     * below a bound; false while the element took nothing (ours gives NaN then).
     */
    record AggBelow(int ref, AggregateKind kind, int bound) implements Atom {}

    /** One where(atom) or or(atom) call. */
    record CondOp(boolean or, Atom atom) {}

    /** The where/or calls on an element, in order (none: no condition, always true). */
    record CondD(List<CondOp> ops) {}

    record QuantD(QKind kind, int a, int b, Integer gap) {}

    record ElemD(
            Contig contig,
            CondD cond,
            PatD group,
            QuantD quant,
            Inner inner,
            boolean greedy,
            boolean optional,
            Atom until,
            Integer withinGap,
            Integer within,
            int order) {}

    /** A skip strategy; for TO_FIRST/TO_LAST, {@code throwOnMiss} adds throwExceptionOnMiss(). */
    record SkipD(SkipKind kind, int ref, boolean throwOnMiss) {}

    /** A pattern; {@code duplicateName} (top level only) gives its last plain element the first one's name. */
    record PatD(List<ElemD> elems, SkipD skip, boolean duplicateName) {}

    // ================================================================== generators

    static final int MAX_REF = 8;

    static Arbitrary<Atom> simpleAtoms() {
        return Arbitraries.oneOf(
                Arbitraries.of('a', 'b', 'c', 'd').map(TypeIs::new),
                Arbitraries.integers().between(0, 9).map(ValueAtMost::new),
                Arbitraries.integers().between(0, 9).map(ValueAtLeast::new));
    }

    static Arbitrary<Atom> atoms() {
        Arbitrary<Integer> ref = Arbitraries.integers().between(0, MAX_REF);
        Arbitrary<Atom> iterative = Arbitraries.oneOf(
                ref.map(GtLast::new),
                ref.map(GeLastRef::new),
                ref.map(GtFirstRef::new),
                Combinators.combine(ref, Arbitraries.integers().between(1, 15)).as(SumBelow::new),
                Combinators.combine(ref, Arbitraries.integers().between(1, 3)).as(CountBelow::new),
                Combinators.combine(ref, Arbitraries.of(AggregateKind.MIN, AggregateKind.MAX, AggregateKind.AVG,
                                AggregateKind.FIRST, AggregateKind.LAST), Arbitraries.integers().between(1, 9))
                        .as(AggBelow::new));
        return Arbitraries.frequencyOf(Tuple.of(5, simpleAtoms()), Tuple.of(1, iterative));
    }

    static Arbitrary<CondD> conds() {
        Arbitrary<CondOp> op = Combinators.combine(
                        Arbitraries.frequency(Tuple.of(3, false), Tuple.of(1, true)), atoms())
                .as(CondOp::new);
        return op.list().ofMaxSize(3).map(CondD::new);
    }

    static Arbitrary<QuantD> quants() {
        Arbitrary<Integer> gap = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.just(null)), Tuple.of(1, Arbitraries.integers().between(1, 4)));
        Arbitrary<QKind> kind = Arbitraries.frequency(
                Tuple.of(6, QKind.NONE), Tuple.of(2, QKind.TIMES), Tuple.of(2, QKind.RANGE),
                Tuple.of(2, QKind.ONE_OR_MORE), Tuple.of(1, QKind.TIMES_OR_MORE));
        return Combinators.combine(kind, Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 3), gap)
                .as(QuantD::new)
                .filter(q -> q.kind() != QKind.NONE || (q.a() == 0 && q.b() == 0 && q.gap() == null));
    }

    static Arbitrary<Integer> windows() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(null)), Tuple.of(1, Arbitraries.integers().between(1, 8)));
    }

    static Arbitrary<ElemD> elems(int depth) {
        Arbitrary<Contig> contig = Arbitraries.frequency(
                Tuple.of(3, Contig.NEXT), Tuple.of(4, Contig.FOLLOWED_BY), Tuple.of(2, Contig.FOLLOWED_BY_ANY),
                Tuple.of(1, Contig.NOT_NEXT), Tuple.of(1, Contig.NOT_FOLLOWED_BY));
        Arbitrary<PatD> group = depth <= 0
                ? Arbitraries.just(null)
                : Arbitraries.frequencyOf(
                        Tuple.of(6, Arbitraries.just(null)),
                        Tuple.of(1, Arbitraries.lazy(() -> patterns(depth - 1, 3))));
        Arbitrary<Inner> inner = Arbitraries.frequency(
                Tuple.of(5, Inner.DEFAULT), Tuple.of(1, Inner.CONSECUTIVE), Tuple.of(1, Inner.COMBINATIONS));
        Arbitrary<Boolean> greedy = Arbitraries.frequency(Tuple.of(6, false), Tuple.of(1, true));
        Arbitrary<Boolean> optional = Arbitraries.frequency(Tuple.of(4, false), Tuple.of(1, true));
        Arbitrary<Atom> until = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.just(null)), Tuple.of(2, simpleAtoms()), Tuple.of(1, atoms()));
        Arbitrary<Tuple.Tuple4<Inner, Boolean, Boolean, Atom>> flags =
                Combinators.combine(inner, greedy, optional, until).as(Tuple::of);
        Arbitrary<Tuple.Tuple2<Integer, Integer>> wins = Combinators.combine(windows(), windows()).as(Tuple::of);
        // most elements are made legal (so that most patterns compile); one in eight keeps whatever
        // combination was drawn, so that the rejection rules are exercised too
        // (those also call the modifiers in a random order, see opOrder)
        Arbitrary<Integer> order = Arbitraries.frequencyOf(
                Tuple.of(7, Arbitraries.just(0)), Tuple.of(1, Arbitraries.integers().between(0, 719)));
        return Combinators.combine(contig, conds(), group, quants(), flags, wins, order)
                .as((c, cond, g, q, f, w, o) -> {
                    ElemD e = new ElemD(c, cond, g, q, f.get1(), f.get2(), f.get3(), f.get4(),
                            w.get1(), w.get2(), o);
                    return o == 0 ? legalized(e) : e;
                });
    }

    static ElemD legalized(ElemD e) {
        boolean not = e.contig() == Contig.NOT_NEXT || e.contig() == Contig.NOT_FOLLOWED_BY;
        Contig contig = e.group() != null && not ? Contig.FOLLOWED_BY : e.contig();
        QuantD q = e.quant();
        if (not && e.group() == null) {
            q = new QuantD(QKind.NONE, 0, 0, null);
        }
        switch (q.kind()) {
            case TIMES:
            case TIMES_OR_MORE:
                q = new QuantD(q.kind(), Math.max(1, q.a()), 0, q.gap());
                break;
            case RANGE:
                q = new QuantD(q.kind(), q.a(), Math.max(Math.max(1, q.a()), q.b()), q.gap());
                break;
            default:
        }
        boolean quantified = q.kind() != QKind.NONE;
        boolean looping = q.kind() == QKind.ONE_OR_MORE || q.kind() == QKind.TIMES_OR_MORE;
        Inner inner = quantified ? e.inner() : Inner.DEFAULT;
        boolean greedy = quantified && e.greedy() && inner != Inner.COMBINATIONS && e.group() == null;
        boolean optional = e.optional() && !(not && e.group() == null) && !(q.kind() == QKind.RANGE && q.a() == 0);
        Atom until = looping ? e.until() : null;
        return new ElemD(contig, e.group() == null ? e.cond() : null, e.group(), q, inner, greedy, optional, until,
                e.withinGap(), e.within(), 0);
    }

    static final int QUANT = 0;
    static final int INNER = 1;
    static final int GREEDY = 2;
    static final int OPTIONAL = 3;
    static final int UNTIL = 4;
    static final int WITHIN = 5;

    /**
     * The order in which an element's modifiers are called: permutation number {@code order} of
     * quantifier, consecutive/allowCombinations, greedy, optional, until, within (0: that order).
     * The quantifier always comes before optional(): Flink drops an earlier optional() when a
     * quantifier follows, ours keeps it (a deliberate difference).
     */
    static int[] opOrder(int order) {
        List<Integer> left = new ArrayList<>(List.of(QUANT, INNER, GREEDY, OPTIONAL, UNTIL, WITHIN));
        int[] out = new int[6];
        int code = order;
        for (int i = 0; i < 6; i++) {
            int f = factorial(5 - i);
            out[i] = left.remove(code / f);
            code %= f;
        }
        int q = -1;
        int o = -1;
        for (int i = 0; i < 6; i++) {
            if (out[i] == QUANT) {
                q = i;
            } else if (out[i] == OPTIONAL) {
                o = i;
            }
        }
        if (o < q) {
            out[o] = QUANT;
            out[q] = OPTIONAL;
        }
        return out;
    }

    private static int factorial(int n) {
        return n <= 1 ? 1 : n * factorial(n - 1);
    }

    static Arbitrary<PatD> patterns(int depth, int maxElems) {
        Arbitrary<SkipD> skip = Combinators.combine(
                        Arbitraries.of(SkipKind.values()), Arbitraries.integers().between(0, MAX_REF),
                        Arbitraries.frequency(Tuple.of(4, false), Tuple.of(1, true)))
                .as(SkipD::new);
        return Combinators.combine(elems(depth).list().ofMinSize(1).ofMaxSize(maxElems), skip,
                        Arbitraries.frequency(Tuple.of(30, false), Tuple.of(1, true)))
                .as(PatD::new);
    }

    static Arbitrary<List<Timed>> streams() {
        Arbitrary<Timed> ev = Combinators.combine(
                        Arbitraries.of('a', 'b', 'c', 'd'),
                        Arbitraries.integers().between(0, 9),
                        Arbitraries.frequency(Tuple.of(3, 0), Tuple.of(3, 1), Tuple.of(1, 2), Tuple.of(1, 3)),
                        Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(0)),
                                Tuple.of(1, Arbitraries.integers().between(1, 3))))
                .as(Timed::new);
        return ev.list().ofMaxSize(15);
    }

    @Provide
    Arbitrary<PatD> patterns() {
        return patterns(2, 5);
    }

    @Provide
    Arbitrary<List<Timed>> stream() {
        return streams();
    }

    // ================================================================== the property

    // The seed is fixed so that every CI run checks the same 8000 cases and a red build always
    // reproduces. To hunt for new divergences, change the seed (or drop it) and raise the tries:
    // 600,000 random cases agreed when this test was written.
    @Property(tries = 8000, seed = "20261125", shrinking = ShrinkingMode.BOUNDED)
    void sameMatchesAndTimeoutsAsFlink(@ForAll("patterns") PatD pattern, @ForAll("stream") List<Timed> stream,
            @ForAll("finalWatermark") Integer finalWatermark) throws Exception {
        check(pattern, stream, finalWatermark);
    }

    /** The last watermark: null for Long.MAX_VALUE, else this much after the last event. */
    @Provide
    Arbitrary<Integer> finalWatermark() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(null)), Tuple.of(1, Arbitraries.integers().between(0, 6)));
    }

    /** Runs one case: compares rejection, or matches and timeouts. */
    static void check(PatD pattern, List<Timed> stream, Integer finalWatermark) throws Exception {
        List<String> names = new ArrayList<>();
        collectNames(pattern, names);
        if (pattern.duplicateName() && names.size() >= 2) {
            names.set(names.size() - 1, names.get(0));
        }
        List<Ev> events = new ArrayList<>();
        long[] ts = new long[stream.size()];
        long[] watermarks = new long[stream.size()];
        long t = 1;
        for (int i = 0; i < stream.size(); i++) {
            Timed e = stream.get(i);
            t += e.dt();
            ts[i] = t;
            watermarks[i] = e.watermarkBack() > 0 && e.dt() > 0 ? t - Math.min(e.watermarkBack(), e.dt()) : Long.MIN_VALUE;
            events.add(new Ev(i, e.type(), e.value()));
        }
        long last = finalWatermark == null ? Long.MAX_VALUE : t + finalWatermark;
        Feed feed = new Feed(events, ts, watermarks, last);

        Throwable flinkRejection = null; // any exception (or crash) while building or compiling
        org.apache.flink.cep.pattern.Pattern<Ev, Ev> flinkPattern = null;
        NFA<Ev> flinkNfa = null;
        try {
            flinkPattern = new FlinkBuilder(names).build(pattern);
            flinkNfa = NFACompiler.compileFactory(flinkPattern, true).createNFA();
            if (hasEdgeToNoState(flinkNfa)) {
                // Flink builds a PROCEED edge to no state for an optional greedy looping element with
                // until() that follows notFollowedBy (originalStateMap is keyed by the copied sink's
                // name); its NFA then fails with a NullPointerException when the until condition
                // first holds. A broken NFA: ours must reject the pattern instead.
                throw new IllegalStateException("Flink compiled an edge to a null state");
            }
        } catch (Exception e) {
            flinkRejection = e;
        } catch (StackOverflowError e) {
            // Flink's compiler recurses forever in copyWithoutTransitiveNots when a quantified group
            // that can repeat without taking an event follows an optional element after a NOT
            // element: a compile-time crash, which ours must turn into a rejection
            flinkRejection = e;
        }

        Nfa<Ev> ours = null;
        RuntimeException ourRejection = null;
        try {
            ours = Nfa.compile(new OurBuilder(names).build(pattern), NfaOptions.defaults().withTimedOutMatches(true));
        } catch (RuntimeException e) {
            ourRejection = e;
        }

        if (flinkRejection == null && hasProceedCycle(flinkNfa)) {
            // Flink accepts a pattern whose NFA has a cycle of PROCEED edges (a quantified group
            // whose elements are all optional) and then loops forever in createDecisionGraph on the
            // first event that satisfies the cycle; ours rejects it at compile time instead.
            // Excluded from the comparison (see FlinkRegressionTest#loopingGroupOfOptionalsIsRejected).
            assertTrue(ourRejection instanceof MalformedPatternException,
                    "ours must reject a pattern whose NFA can loop without taking an event, got " + ourRejection);
            net.jqwik.api.statistics.Statistics.label("outcome").collect("excluded: proceed cycle");
            return;
        }
        if (flinkRejection == null && startProceedsToStop(flinkNfa)) {
            // Flink accepts a NOT element that the start state reaches through optional elements
            // only when the optional path runs through a group (begin(group(a.optional())).notNext(b));
            // its NFA then throws a NullPointerException on the first event that hits the NOT
            // condition (doProcess releases the start state's null buffer entry). Ours rejects the
            // pattern like Flink's direct case. Excluded from the comparison (see
            // FlinkRegressionTest#notElementReachableFromStartThroughOptionalGroupIsRejected).
            assertTrue(ourRejection instanceof MalformedPatternException,
                    "ours must reject a NOT element reachable from the start, got " + ourRejection);
            net.jqwik.api.statistics.Statistics.label("outcome").collect("excluded: start proceeds to NOT");
            return;
        }
        if (flinkRejection != null) {
            if (ourRejection == null) {
                fail("Flink rejects the pattern (" + flinkRejection + ") but ours accepts it");
            }
            assertTrue(ourRejection instanceof MalformedPatternException,
                    "ours must reject with MalformedPatternException, got " + ourRejection);
            assertTrue(ourRejection.getMessage().matches("(?s).*'[^']+'.*"),
                    "the rejection must name the element: " + ourRejection.getMessage());
            String rule = sameRule(flinkRejection);
            if (rule != null) {
                assertTrue(ourRejection.getMessage().contains(rule),
                        "Flink rejects with \"" + flinkRejection.getMessage() + "\", so ours must name the same rule ("
                                + rule + "), got: " + ourRejection.getMessage());
            }
            net.jqwik.api.statistics.Statistics.label("outcome").collect("rejected");
            String msg = String.valueOf(flinkRejection.getMessage());
            net.jqwik.api.statistics.Statistics.label("rejection").collect(msg.substring(0, Math.min(40, msg.length())));
            return;
        }
        if (ourRejection != null) {
            throw new AssertionError("ours rejects a pattern Flink accepts: " + ourRejection, ourRejection);
        }

        Result expected;
        try {
            expected = runFlink(flinkNfa, flinkPattern, feed);
        } catch (TooLarge e) {
            // followedByAny/allowCombinations can make the number of partial matches exponential in
            // the stream length; such cases are cut short to keep every try fast
            net.jqwik.api.statistics.Statistics.label("outcome").collect("excluded: too many partial matches");
            return;
        }
        Result actual = runOurs(ours, feed, pattern.skip().throwOnMiss());
        net.jqwik.api.statistics.Statistics.label("outcome").collect(
                expected.matches.isEmpty() ? (expected.timeouts.isEmpty() ? "nothing" : "timeouts only")
                        : expected.timeouts.isEmpty() ? "matches" : "matches and timeouts");
        net.jqwik.api.statistics.Statistics.label("matches").collect(Math.min(expected.matches.size(), 5));
        assertEquals(expected.matches, actual.matches, "matches");
        assertEquals(expected.timeouts, actual.timeouts, "timed-out partial matches");
        assertEquals(expected.error, actual.error, "skip strategy failure (throwExceptionOnMiss)");
    }

    /** Flink's rejection messages (by prefix) and the words of ours that state the same rule. */
    static final String[][] RULES = {
        {"The to should be a number greater than", "times("},
        {"The from should be a positive number", "timesOrMore("},
        {"You should give a positive number", "times("},
        {"Option not applicable to NOT pattern", "not applicable to a NOT element"},
        {"NOT pattern cannot be optional", "a NOT element cannot be optional"},
        {"The until condition is only applicable", "until applies only to looping elements"},
        {"Only one until condition", "only one until condition"},
        {"Specifying a pattern with an optional path to NOT", "cannot follow the optional element"},
        {"NotFollowedBy is not supported without windowTime", "needs a window"},
        {"The window length between the previous and current", "gap window"},
        {"The pattern name specified in AfterMatchSkipStrategy", "Skip strategy"},
        {"Optional pattern cannot be preceded by greedy", "cannot follow the greedy element"},
        {"Optional already applied", "optional is already applied"},
        {"Option not applicable to FollowedByAny", "greedy is not applicable together with allowCombinations"},
        {"Option not applicable to group pattern", "not applicable to a group element"},
        {"Option not applicable to singleton", "greedy applies only to quantified elements"},
        {"Combinations not applicable", "allowCombinations applies only to quantified elements"},
        {"Consecutive not applicable", "consecutive applies only to quantified elements"},
        {"You can apply either combinations or consecutive", "either allowCombinations or consecutive"},
        {"Combinations already applied", "allowCombinations is already applied"},
        {"Consecutive already applied", "consecutive is already applied"},
        {"Already applied quantifier", "a quantifier is already applied"},
        {"Duplicate pattern name", "duplicate name"},
        {"GroupPattern does not support where", "where is not applicable to a group element"},
        {"GroupPattern does not support or", "or is not applicable to a group element"},
    };

    static String sameRule(Throwable flinkRejection) {
        String m = String.valueOf(flinkRejection.getMessage());
        for (String[] r : RULES) {
            if (m.startsWith(r[0])) {
                return r[1];
            }
        }
        return null;
    }

    /**
     * What an engine emitted; {@code error} when a skip strategy with throwExceptionOnMiss failed
     * (then the outputs of the failing call are dropped, as Flink returns none from it).
     */
    record Result(List<String> matches, List<String> timeouts, boolean error) {}

    /** Events with their timestamps, the watermark before each (MIN_VALUE: none) and the last watermark. */
    record Feed(List<Ev> events, long[] ts, long[] watermarks, long lastWatermark) {}

    static final int MAX_RUNS = 300;

    static final class TooLarge extends Exception {}

    /** Whether the start state of Flink's compiled NFA reaches a stop state through PROCEED edges only. */
    static boolean startProceedsToStop(NFA<Ev> nfa) {
        java.util.Deque<org.apache.flink.cep.nfa.State<Ev>> todo = new java.util.ArrayDeque<>();
        java.util.Set<org.apache.flink.cep.nfa.State<Ev>> seen = new java.util.HashSet<>();
        for (org.apache.flink.cep.nfa.State<Ev> s : nfa.getStates()) {
            if (s.isStart()) {
                todo.push(s);
                seen.add(s);
            }
        }
        while (!todo.isEmpty()) {
            for (org.apache.flink.cep.nfa.StateTransition<Ev> t : todo.pop().getStateTransitions()) {
                if (t.getAction() == org.apache.flink.cep.nfa.StateTransitionAction.PROCEED
                        && seen.add(t.getTargetState())) {
                    if (t.getTargetState().isStop()) {
                        return true;
                    }
                    todo.push(t.getTargetState());
                }
            }
        }
        return false;
    }

    static boolean hasEdgeToNoState(NFA<Ev> nfa) {
        for (org.apache.flink.cep.nfa.State<Ev> s : nfa.getStates()) {
            for (org.apache.flink.cep.nfa.StateTransition<Ev> t : s.getStateTransitions()) {
                if (t.getTargetState() == null) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether Flink's compiled NFA has a cycle of PROCEED (epsilon) edges. */
    static boolean hasProceedCycle(NFA<Ev> nfa) {
        Map<org.apache.flink.cep.nfa.State<Ev>, Integer> mark = new HashMap<>();
        for (org.apache.flink.cep.nfa.State<Ev> s : nfa.getStates()) {
            if (!mark.containsKey(s) && proceedCycleFrom(s, mark)) {
                return true;
            }
        }
        return false;
    }

    private static boolean proceedCycleFrom(org.apache.flink.cep.nfa.State<Ev> s,
            Map<org.apache.flink.cep.nfa.State<Ev>, Integer> mark) {
        mark.put(s, 1);
        for (org.apache.flink.cep.nfa.StateTransition<Ev> t : s.getStateTransitions()) {
            if (t.getAction() != org.apache.flink.cep.nfa.StateTransitionAction.PROCEED) {
                continue;
            }
            Integer m = mark.get(t.getTargetState());
            if ((m != null && m == 1) || (m == null && proceedCycleFrom(t.getTargetState(), mark))) {
                return true;
            }
        }
        mark.put(s, 2);
        return false;
    }

    /**
     * Feeds Flink's NFA as its CepOperator does in event time (see {@link FlinkReference}): the
     * watermark before an event, the event, and at the end the last watermark.
     */
    static Result runFlink(NFA<Ev> nfa, org.apache.flink.cep.pattern.Pattern<Ev, Ev> pattern, Feed feed)
            throws Exception {
        FlinkReference<Ev> flink = new FlinkReference<>(nfa, pattern.getAfterMatchSkipStrategy(), Map::toString);
        try {
            for (int i = 0; i < feed.events().size(); i++) {
                if (feed.watermarks()[i] != Long.MIN_VALUE) {
                    flink.advanceTime(feed.watermarks()[i]);
                }
                flink.process(feed.events().get(i), feed.ts()[i]);
                if (flink.runs() > MAX_RUNS || flink.matches.size() > MAX_RUNS) {
                    throw new TooLarge();
                }
            }
            flink.advanceTime(feed.lastWatermark());
        } catch (org.apache.flink.util.FlinkRuntimeException e) {
            if (!String.valueOf(e.getMessage()).startsWith("Could not skip")) {
                throw e;
            }
            net.jqwik.api.statistics.Statistics.label("skip failure").collect(true);
            return new Result(flink.matches, flink.timeouts, true);
        } finally {
            flink.close();
        }
        return new Result(flink.matches, flink.timeouts, false);
    }

    /**
     * Feeds ours; {@code process} advances time itself. With {@code separateAdvance} the advance to
     * each new timestamp is a call of its own, as in Flink's operator, so that when a skip strategy
     * throws in {@code process}, the timeouts of that advance are kept like Flink's.
     */
    static Result runOurs(Nfa<Ev> nfa, Feed feed, boolean separateAdvance) {
        List<Ev> events = feed.events();
        long[] ts = feed.ts();
        Recorder<Ev> rec = new Recorder<>();
        NfaState<Ev> state = nfa.newState();
        int matches = 0; // what the calls that returned emitted (a failing call's output is dropped)
        int timeouts = 0;
        try {
            for (int i = 0; i < events.size(); i++) {
                if (feed.watermarks()[i] != Long.MIN_VALUE) {
                    nfa.advanceTime(state, feed.watermarks()[i], rec);
                    matches = rec.matches.size();
                    timeouts = rec.timeouts.size();
                }
                if (separateAdvance && (i == 0 || ts[i] != ts[i - 1])) {
                    nfa.advanceTime(state, ts[i], rec);
                    matches = rec.matches.size();
                    timeouts = rec.timeouts.size();
                }
                nfa.process(state, events.get(i), ts[i], rec);
                matches = rec.matches.size();
                timeouts = rec.timeouts.size();
            }
            nfa.advanceTime(state, feed.lastWatermark(), rec);
        } catch (IllegalStateException e) {
            if (!String.valueOf(e.getMessage()).startsWith("Could not skip")) {
                throw e;
            }
            return new Result(rec.matches.subList(0, matches), rec.timeouts.subList(0, timeouts), true);
        }
        return new Result(rec.matches, rec.timeouts, false);
    }

    // ================================================================== names

    /** Plain (non-group) element names in building order: e0, e1, ... */
    static void collectNames(PatD p, List<String> out) {
        for (ElemD e : p.elems()) {
            if (e.group() != null) {
                collectNames(e.group(), out);
            } else {
                out.add("e" + out.size());
            }
        }
    }

    // ================================================================== building both patterns

    /**
     * Builds a description with one API, Flink's or ours. Their {@code Pattern}s (and skip strategies)
     * have the same methods under the same names (begin, next, followedBy, where, times, optional,
     * within, skipToFirst, ...) but no common type, so the walk calls them by name: both patterns are
     * built by the very same sequence of calls. An API gives its classes, conditions and gap window type.
     */
    abstract static class Builder<P> {
        private static final SkipD NO_SKIP = new SkipD(SkipKind.NO_SKIP, 0, false);
        final List<String> names;
        private final Class<?> patternApi;
        private final Class<?> skipApi;
        private final Object previousAndCurrent;
        private int next;

        Builder(List<String> names, Class<?> patternApi, Class<?> skipApi, Object previousAndCurrent) {
            this.names = names;
            this.patternApi = patternApi;
            this.skipApi = skipApi;
            this.previousAndCurrent = previousAndCurrent;
        }

        /** The API's condition for an atom. */
        abstract Object condition(Atom atom);

        /** Called when a plain element was appended, before its conditions. */
        void declared(P p, String name) {}

        String ref(int r) {
            return names.get(r % names.size());
        }

        P build(PatD d) {
            return build(d, d.skip());
        }

        private P build(PatD d, SkipD skip) {
            P p = null;
            for (int i = 0; i < d.elems().size(); i++) {
                ElemD e = d.elems().get(i);
                boolean group = e.group() != null;
                Object element = group ? build(e.group(), NO_SKIP) : names.get(next++);
                p = i == 0 ? callStatic(patternApi, "begin", element, skip(skip))
                        : call(p, contiguity(e.contig(), group), element);
                if (!group) {
                    declared(p, (String) element);
                }
                if (e.cond() != null) {
                    for (CondOp op : e.cond().ops()) {
                        p = call(p, op.or() ? "or" : "where", condition(op.atom()));
                    }
                }
                p = decorate(p, e);
            }
            return p;
        }

        /** A group can only be appended by next, followedBy or followedByAny (followedBy for a NOT). */
        private static String contiguity(Contig c, boolean group) {
            switch (c) {
                case NEXT:
                    return "next";
                case FOLLOWED_BY_ANY:
                    return "followedByAny";
                case NOT_NEXT:
                    return group ? "followedBy" : "notNext";
                case NOT_FOLLOWED_BY:
                    return group ? "followedBy" : "notFollowedBy";
                default:
                    return "followedBy";
            }
        }

        private Object skip(SkipD s) {
            switch (s.kind()) {
                case TO_NEXT:
                    return callStatic(skipApi, "skipToNext");
                case PAST_LAST:
                    return callStatic(skipApi, "skipPastLastEvent");
                case TO_FIRST:
                case TO_LAST:
                    Object skip = callStatic(skipApi, s.kind() == SkipKind.TO_FIRST ? "skipToFirst" : "skipToLast",
                            ref(s.ref()));
                    return s.throwOnMiss() ? call(skip, "throwExceptionOnMiss") : skip;
                default:
                    return callStatic(skipApi, "noSkip");
            }
        }

        private P decorate(P p, ElemD e) {
            QuantD q = e.quant();
            Duration gap = q.gap() == null ? null : Duration.ofMillis(q.gap());
            for (int op : opOrder(e.order())) {
                switch (op) {
                    case QUANT:
                        switch (q.kind()) {
                            case TIMES:
                                p = call(p, "times", q.a(), gap);
                                break;
                            case RANGE:
                                p = call(p, "times", q.a(), q.b(), gap);
                                break;
                            case ONE_OR_MORE:
                                p = call(p, "oneOrMore", gap);
                                break;
                            case TIMES_OR_MORE:
                                p = call(p, "timesOrMore", q.a(), gap);
                                break;
                            default:
                        }
                        break;
                    case INNER:
                        if (e.inner() == Inner.CONSECUTIVE) {
                            p = call(p, "consecutive");
                        } else if (e.inner() == Inner.COMBINATIONS) {
                            p = call(p, "allowCombinations");
                        }
                        break;
                    case GREEDY:
                        if (e.greedy()) {
                            p = call(p, "greedy");
                        }
                        break;
                    case OPTIONAL:
                        if (e.optional()) {
                            p = call(p, "optional");
                        }
                        break;
                    case UNTIL:
                        if (e.until() != null) {
                            p = call(p, "until", condition(e.until()));
                        }
                        break;
                    default:
                        if (e.withinGap() != null) {
                            p = call(p, "within", Duration.ofMillis(e.withinGap()), previousAndCurrent);
                        }
                        if (e.within() != null) {
                            p = call(p, "within", Duration.ofMillis(e.within()));
                        }
                }
            }
            return p;
        }

        private static <R> R call(Object target, String method, Object... args) {
            return invoke(target.getClass(), target, method, args);
        }

        private static <R> R callStatic(Class<?> type, String method, Object... args) {
            return invoke(type, null, method, args);
        }

        /**
         * Calls the public method {@code method} of {@code type} (static when {@code target} is null)
         * whose parameters take {@code args}; what it throws is thrown as it is.
         */
        @SuppressWarnings("unchecked")
        private static <R> R invoke(Class<?> type, Object target, String method, Object[] args) {
            for (java.lang.reflect.Method m : METHODS.get(type)) {
                if (m.getName().equals(method)
                        && java.lang.reflect.Modifier.isStatic(m.getModifiers()) == (target == null)
                        && accepts(m.getParameterTypes(), args)) {
                    try {
                        return (R) m.invoke(target, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        if (e.getCause() instanceof RuntimeException r) {
                            throw r;
                        }
                        if (e.getCause() instanceof Error r) {
                            throw r;
                        }
                        throw new IllegalStateException(e.getCause());
                    } catch (IllegalAccessException e) {
                        throw new AssertionError(e);
                    }
                }
            }
            throw new AssertionError("no " + type.getName() + "." + method + java.util.Arrays.toString(args));
        }

        /** Class.getMethods() copies every Method on each call: this is looked up for every call made. */
        private static final ClassValue<java.lang.reflect.Method[]> METHODS = new ClassValue<>() {
            @Override
            protected java.lang.reflect.Method[] computeValue(Class<?> type) {
                return type.getMethods();
            }
        };

        private static boolean accepts(Class<?>[] parameters, Object[] args) {
            if (parameters.length != args.length) {
                return false;
            }
            for (int i = 0; i < args.length; i++) {
                // null fits no primitive: check that before boxing, or times(n, null) could pick
                // times(int, int) over times(int, Duration), depending on getMethods() order
                Class<?> p = parameters[i];
                if (args[i] == null ? p.isPrimitive() : !(p == int.class ? Integer.class : p).isInstance(args[i])) {
                    return false;
                }
            }
            return true;
        }
    }

    static final class FlinkBuilder extends Builder<org.apache.flink.cep.pattern.Pattern<Ev, Ev>> {
        FlinkBuilder(List<String> names) {
            super(names, org.apache.flink.cep.pattern.Pattern.class,
                    org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy.class,
                    org.apache.flink.cep.pattern.WithinType.PREVIOUS_AND_CURRENT);
        }

        @Override
        Object condition(Atom atom) {
            return new FlinkCond(atom, names);
        }
    }

    /** The Flink side of a condition atom (serializable, as Flink's Pattern requires). */
    static final class FlinkCond extends IterativeCondition<Ev> {
        private static final long serialVersionUID = 1L;
        private final Atom atom;
        private final ArrayList<String> names;

        FlinkCond(Atom atom, List<String> names) {
            this.atom = atom;
            this.names = new ArrayList<>(names);
        }

        private String ref(int r) {
            return names.get(r % names.size());
        }

        private List<Ev> eventsOf(int r, Context<Ev> ctx) throws Exception {
            List<Ev> out = new ArrayList<>();
            for (Ev e : ctx.getEventsForPattern(ref(r))) {
                out.add(e);
            }
            return out;
        }

        @Override
        public boolean filter(Ev e, Context<Ev> ctx) throws Exception {
            if (atom instanceof TypeIs a) {
                return e.type() == a.type();
            } else if (atom instanceof ValueAtMost a) {
                return e.value() <= a.max();
            } else if (atom instanceof ValueAtLeast a) {
                return e.value() >= a.min();
            } else if (atom instanceof GtLast a) {
                List<Ev> es = eventsOf(a.ref(), ctx);
                return es.isEmpty() || e.value() > es.get(es.size() - 1).value();
            } else if (atom instanceof GeLastRef a) {
                List<Ev> es = eventsOf(a.ref(), ctx);
                return es.isEmpty() || e.value() >= es.get(es.size() - 1).value();
            } else if (atom instanceof GtFirstRef a) {
                List<Ev> es = eventsOf(a.ref(), ctx);
                return es.isEmpty() || e.value() > es.get(0).value();
            } else if (atom instanceof SumBelow a) {
                int sum = 0;
                for (Ev x : eventsOf(a.ref(), ctx)) {
                    sum += x.value();
                }
                return sum < a.bound();
            } else if (atom instanceof CountBelow a) {
                return eventsOf(a.ref(), ctx).size() < a.n();
            } else if (atom instanceof AggBelow a) {
                List<Ev> es = eventsOf(a.ref(), ctx);
                if (es.isEmpty()) {
                    return false;
                }
                double v;
                switch (a.kind()) {
                    case MIN:
                        v = es.stream().mapToInt(Ev::value).min().getAsInt();
                        break;
                    case MAX:
                        v = es.stream().mapToInt(Ev::value).max().getAsInt();
                        break;
                    case AVG:
                        v = es.stream().mapToInt(Ev::value).sum() / (double) es.size();
                        break;
                    case FIRST:
                        v = es.get(0).value();
                        break;
                    default:
                        v = es.get(es.size() - 1).value();
                }
                return v < a.bound();
            }
            throw new IllegalStateException(String.valueOf(atom));
        }
    }

    // ================================================================== our conditions

    static final class OurBuilder extends Builder<Pattern<Ev>> {
        private final Map<String, Aggregate<Ev>> sums = new HashMap<>();
        private final Map<String, Aggregate<Ev>> counts = new HashMap<>();
        private final Map<String, Aggregate<Ev>> others = new HashMap<>();
        private final Map<String, EventRef<Ev>> firsts = new HashMap<>();
        private final Map<String, EventRef<Ev>> lasts = new HashMap<>();

        OurBuilder(List<String> names) {
            super(names, Pattern.class, AfterMatchSkipStrategy.class, WithinType.PREVIOUS_AND_CURRENT);
        }

        /** Declares the aggregates and event references the iterative atoms use. */
        @Override
        void declared(Pattern<Ev> p, String name) {
            sums.put(name, p.aggregate(AggregateKind.SUM, Ev::value));
            counts.put(name, p.aggregate(AggregateKind.COUNT, Ev::value));
            for (AggregateKind k : List.of(AggregateKind.MIN, AggregateKind.MAX, AggregateKind.AVG,
                    AggregateKind.FIRST, AggregateKind.LAST)) {
                others.put(name + "/" + k, p.aggregate(k, Ev::value));
            }
            firsts.put(name, p.firstEvent());
            lasts.put(name, p.lastEvent());
        }

        @Override
        Condition<Ev> condition(Atom atom) {
            if (atom instanceof TypeIs a) {
                return (e, ctx) -> e.type() == a.type();
            } else if (atom instanceof ValueAtMost a) {
                return (e, ctx) -> e.value() <= a.max();
            } else if (atom instanceof ValueAtLeast a) {
                return (e, ctx) -> e.value() >= a.min();
            } else if (atom instanceof GtLast a) {
                String name = ref(a.ref());
                return (e, ctx) -> {
                    Ev last = null;
                    for (Ev x : ctx.eventsOf(name)) {
                        last = x;
                    }
                    return last == null || e.value() > last.value();
                };
            } else if (atom instanceof GeLastRef a) {
                String name = ref(a.ref());
                return (e, ctx) -> {
                    Ev last = ctx.event(lasts.get(name));
                    return last == null || e.value() >= last.value();
                };
            } else if (atom instanceof GtFirstRef a) {
                String name = ref(a.ref());
                return (e, ctx) -> {
                    Ev first = ctx.event(firsts.get(name));
                    return first == null || e.value() > first.value();
                };
            } else if (atom instanceof SumBelow a) {
                String name = ref(a.ref());
                return (e, ctx) -> ctx.aggregate(sums.get(name)) < a.bound();
            } else if (atom instanceof CountBelow a) {
                String name = ref(a.ref());
                return (e, ctx) -> ctx.aggregate(counts.get(name)) < a.n();
            } else if (atom instanceof AggBelow a) {
                String name = ref(a.ref());
                return (e, ctx) -> ctx.aggregate(others.get(name + "/" + a.kind())) < a.bound();
            }
            throw new IllegalStateException(String.valueOf(atom));
        }
    }
}
