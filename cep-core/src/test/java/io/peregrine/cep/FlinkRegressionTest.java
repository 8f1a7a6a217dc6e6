package io.peregrine.cep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.cep.FlinkDifferentialPropertiesTest.Ev;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.cep.nfa.NFA;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.junit.jupiter.api.Test;

/**
 * Divergences from FlinkCEP 2.3.0 found by {@link FlinkDifferentialPropertiesTest}, each as a small
 * example with its exact expected output (FlinkCEP's, or, where FlinkCEP crashes, our rejection).
 */
class FlinkRegressionTest {

    // ------------------------------------------------------------------ helpers

    /** One step of a feed: an event at a timestamp, or (event null) a watermark. */
    record Step(Ev event, long time) {}

    static Step ev(int id, char type, int value, long ts) {
        return new Step(new Ev(id, type, value), ts);
    }

    static Step watermark(long time) {
        return new Step(null, time);
    }

    /** Runs ours: matches as Flink-shaped maps, then timeouts as "map@timestamp". */
    static List<String> run(Pattern<Ev> pattern, Step... steps) {
        Nfa<Ev> nfa = Nfa.compile(pattern, NfaOptions.defaults().withTimedOutMatches(true));
        NfaState<Ev> state = nfa.newState();
        Recorder<Ev> collector = new Recorder<>();
        for (Step s : steps) {
            if (s.event() == null) {
                nfa.advanceTime(state, s.time(), collector);
            } else {
                nfa.process(state, s.event(), s.time(), collector);
            }
        }
        nfa.advanceTime(state, Long.MAX_VALUE, collector);
        List<String> out = new ArrayList<>(collector.matches);
        collector.timeouts.forEach(t -> out.add("timeout " + t));
        return out;
    }

    static Condition<Ev> type(char t) {
        return (e, ctx) -> e.type() == t;
    }

    static final class FlinkType extends SimpleCondition<Ev> {
        private final char type;

        FlinkType(char type) {
            this.type = type;
        }

        @Override
        public boolean filter(Ev e) {
            return e.type() == type;
        }
    }

    // ------------------------------------------------------------------ divergences in behaviour

    /**
     * FlinkCEP's operator advances time to an event's timestamp before its events and then again to
     * the watermark, which may equal that timestamp. The second advance times out runs that the
     * events left with a gap window ending at that time. Ours ignored an advance to the time it had
     * already reached, so those runs timed out one advance later, in another order.
     * Fixed in {@code NfaProcessor.advanceTime} (only an earlier time is ignored).
     */
    @Test
    void watermarkEqualToTheLastTimestampTimesOutRunsTheEventsLeft() {
        Pattern<Ev> p = Pattern.<Ev>begin("a")
                .next("b").times(0, 1)
                .followedBy("c").where(type('a')).times(2, Duration.ofMillis(1));
        assertEquals(List.of(
                        "timeout {a=[a0#0]}@2",
                        "timeout {a=[a0#0], b=[b0#1]}@3",
                        "timeout {a=[b0#1], b=[a0#2]}@4"),
                run(p, ev(0, 'a', 0, 1), ev(1, 'b', 0, 2), watermark(2), ev(2, 'a', 0, 3)));
    }

    /**
     * With {@code skipToFirst(..).throwExceptionOnMiss()} a match without the element fails the call,
     * as in FlinkCEP. The processor's scratch heaps still held that key's runs and leaked them into
     * the next call, for any key. Fixed in {@code NfaProcessor.process/advanceTime} (cleared in finally).
     */
    @Test
    void skipStrategyFailureDoesNotLeakRunsIntoTheNextKey() {
        Pattern<Ev> p = Pattern.<Ev>begin("a", new AfterMatchSkipStrategy.SkipToFirst("b", false).throwExceptionOnMiss())
                .where(type('a'))
                .followedBy("b").where(type('b')).optional()
                .followedByAny("c").where(type('c'));
        Nfa<Ev> nfa = Nfa.compile(p);
        MatchCollector<Ev> ignore = (m) -> { };
        NfaState<Ev> first = nfa.newState();
        nfa.process(first, new Ev(0, 'a', 0), 1, ignore);
        nfa.process(first, new Ev(1, 'a', 0), 2, ignore);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> nfa.process(first, new Ev(2, 'c', 0), 3, ignore));
        assertTrue(e.getMessage().startsWith("Could not skip to first 'b'"), e.getMessage());

        NfaState<Ev> second = nfa.newState();
        Recorder<Ev> got = new Recorder<>();
        nfa.process(second, new Ev(3, 'd', 0), 4, got);
        nfa.process(second, new Ev(4, 'c', 0), 5, got);
        assertEquals(List.of(), got.matches);
        assertEquals(0, second.partialMatchCount());
    }

    // ------------------------------------------------------------------ a deliberate difference

    /**
     * Not a bug: {@code .optional().times(2)}. FlinkCEP's quantifier methods replace the quantifier
     * and so silently drop an earlier {@code optional()}; ours keeps it. (The differential test
     * therefore always applies quantifiers before {@code optional()}.)
     */
    @Test
    void optionalBeforeAQuantifierIsKeptUnlikeFlink() throws Exception {
        Pattern<Ev> ours = Pattern.<Ev>begin("x").where(type('x'))
                .followedBy("a").where(type('a')).optional().times(2)
                .followedBy("c").where(type('c'));
        assertEquals(List.of("{x=[x0#0], c=[c0#1]}"), run(ours, ev(0, 'x', 0, 1), ev(1, 'c', 0, 2)));

        org.apache.flink.cep.pattern.Pattern<Ev, Ev> flink = org.apache.flink.cep.pattern.Pattern.<Ev>begin("x")
                .where(new FlinkType('x'))
                .followedBy("a").where(new FlinkType('a')).optional().times(2)
                .followedBy("c").where(new FlinkType('c'));
        try (FlinkReference<Ev> reference = new FlinkReference<>(flink, Object::toString)) {
            reference.process(new Ev(0, 'x', 0), 1);
            reference.process(new Ev(1, 'c', 0), 2);
            reference.advanceTime(Long.MAX_VALUE);
            assertEquals(List.of(), reference.matches);
        }
    }

    // ------------------------------------------------------------------ patterns FlinkCEP accepts but cannot run

    /**
     * {@code begin(group(a.optional())).notNext(b)}: FlinkCEP rejects notNext right after an optional
     * element, but not when the optional path runs through a group; its NFA then throws a
     * NullPointerException on the first event (it releases the start state's missing buffer entry).
     * Ours used to drop its start state there and never match again; it now rejects the pattern.
     */
    @Test
    void notElementReachableFromStartThroughOptionalGroupIsRejected() throws Exception {
        MalformedPatternException e = assertThrows(MalformedPatternException.class,
                () -> Nfa.compile(Pattern.begin(Pattern.<Ev>begin("a").optional()).notNext("b")));
        assertTrue(e.getMessage().contains("'b'"), e.getMessage());

        org.apache.flink.cep.pattern.Pattern<Ev, Ev> flink = org.apache.flink.cep.pattern.Pattern
                .begin(org.apache.flink.cep.pattern.Pattern.<Ev>begin("a").optional())
                .notNext("b");
        try (FlinkReference<Ev> reference = new FlinkReference<>(flink, Object::toString)) {
            Throwable crash = assertThrows(RuntimeException.class, () -> reference.process(new Ev(0, 'a', 0), 1));
            assertTrue(crash instanceof NullPointerException || crash.getCause() instanceof NullPointerException,
                    String.valueOf(crash));
        }
    }

    /**
     * A quantified group whose elements are all optional can repeat without taking an event: a
     * cycle of PROCEED edges, on which FlinkCEP's NFA loops forever. Ours rejects it.
     */
    @Test
    void loopingGroupOfOptionalsIsRejected() {
        MalformedPatternException e = assertThrows(MalformedPatternException.class,
                () -> Nfa.compile(Pattern.begin(Pattern.<Ev>begin("a").optional()).oneOrMore()));
        assertTrue(e.getMessage().contains("can repeat without taking any event"), e.getMessage());
    }

    /**
     * The same cycle after an optional element that follows a NOT element: FlinkCEP's compiler
     * copies the states after the optional element along PROCEED edges and recurses until its stack
     * overflows. Ours recursed the same way; it now rejects the pattern.
     */
    @Test
    void loopingGroupOfOptionalsAfterOptionalAfterNotIsRejected() {
        MalformedPatternException e = assertThrows(MalformedPatternException.class,
                () -> Nfa.compile(Pattern.<Ev>begin("a")
                        .notFollowedBy("b").where(type('b'))
                        .followedBy("c").optional()
                        .followedBy(Pattern.<Ev>begin("d").optional()).oneOrMore()
                        .within(Duration.ofMillis(5))));
        assertTrue(e.getMessage().contains("'c'") && e.getMessage().contains("can repeat without taking any event"),
                e.getMessage());

        assertThrows(StackOverflowError.class, () -> NFACompiler.compileFactory(
                org.apache.flink.cep.pattern.Pattern.<Ev>begin("a")
                        .notFollowedBy("b").where(new FlinkType('b'))
                        .followedBy("c").optional()
                        .followedBy(org.apache.flink.cep.pattern.Pattern.<Ev>begin("d").optional()).oneOrMore()
                        .within(Duration.ofMillis(5)),
                true));
    }

    /**
     * An optional greedy looping element with until() right after notFollowedBy: its sink is a copy
     * without the NOT condition, and FlinkCEP looks up the until target by the original's name, so it
     * builds a PROCEED edge to no state (a NullPointerException once the until condition holds). Ours
     * failed to compile with a NullPointerException; it now rejects the pattern.
     */
    @Test
    void greedyOptionalLoopWithUntilAfterNotFollowedByIsRejected() {
        MalformedPatternException e = assertThrows(MalformedPatternException.class,
                () -> Nfa.compile(Pattern.<Ev>begin("a")
                        .notFollowedBy("b").where(type('b'))
                        .followedBy("c").oneOrMore().greedy().optional().until(type('d'))
                        .followedBy("e").where(type('e'))));
        assertTrue(e.getMessage().contains("'c'") && e.getMessage().contains("until"), e.getMessage());

        NFA<Ev> flink = NFACompiler.compileFactory(
                        org.apache.flink.cep.pattern.Pattern.<Ev>begin("a")
                                .notFollowedBy("b").where(new FlinkType('b'))
                                .followedBy("c").oneOrMore().greedy().optional().until(new FlinkType('d'))
                                .followedBy("e").where(new FlinkType('e')),
                        true)
                .createNFA();
        assertTrue(FlinkDifferentialPropertiesTest.hasEdgeToNoState(flink));
    }
}
