package io.peregrine.cep;

import static io.peregrine.cep.CepTestKit.begin;
import static io.peregrine.cep.CepTestKit.events;
import static io.peregrine.cep.CepTestKit.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.cep.CepTestKit.Ev;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-key state: counters, idleness, the partial-match cap and independence of keys. */
class NfaStateTest {

    private static final Pattern<Ev> A_THEN_B = begin("a").followedByAny("b").where(named("b"));

    private static Recorder<Ev> feed(Nfa<Ev> nfa, NfaState<Ev> state, String spec) {
        Recorder<Ev> rec = new Recorder<>();
        for (Ev e : events(spec)) {
            nfa.process(state, e, e.ts(), rec);
        }
        return rec;
    }

    @Test
    void shouldEvictTheOldestPartialMatchBeyondTheCapAndCountIt() {
        Nfa<Ev> nfa = Nfa.compile(A_THEN_B, NfaOptions.defaults().withMaxPartialMatches(2));
        NfaState<Ev> state = nfa.newState();
        Recorder<Ev> rec = feed(nfa, state, "a1 a2 a3");
        assertEquals(2, state.partialMatchCount());
        assertEquals(1, state.evictedPartialMatches());
        Ev b = new Ev("b", 4, 0);
        nfa.process(state, b, b.ts(), rec);
        // a1 was the oldest: only a2 and a3 survive to match
        assertEquals(List.of("{a=[a2], b=[b]}", "{a=[a3], b=[b]}"), rec.matches);
    }

    @Test
    void shouldKeepCountingEvictionsAcrossEvents() {
        Nfa<Ev> nfa = Nfa.compile(A_THEN_B, NfaOptions.defaults().withMaxPartialMatches(2));
        NfaState<Ev> state = nfa.newState();
        Recorder<Ev> rec = feed(nfa, state, "a1 a2 a3 a4 a5 b");
        assertEquals(3, state.evictedPartialMatches());
        assertEquals(List.of("{a=[a4], b=[b]}", "{a=[a5], b=[b]}"), rec.matches);
    }

    @Test
    void shouldNotEvictWithinTheCap() {
        Nfa<Ev> nfa = Nfa.compile(A_THEN_B, NfaOptions.defaults().withMaxPartialMatches(3));
        NfaState<Ev> state = nfa.newState();
        feed(nfa, state, "a1 a2 a3");
        assertEquals(3, state.partialMatchCount());
        assertEquals(0, state.evictedPartialMatches());
    }

    @Test
    void shouldRejectACapBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> NfaOptions.defaults().withMaxPartialMatches(0));
    }

    @Test
    void defaultOptionsHaveTimeoutsOffAndTheDefaultCap() {
        NfaOptions o = NfaOptions.defaults();
        assertFalse(o.timedOutMatches());
        assertEquals(NfaOptions.DEFAULT_MAX_PARTIAL_MATCHES, o.maxPartialMatches());
        assertTrue(o.withTimedOutMatches(true).timedOutMatches());
        assertEquals(7, o.withTimedOutMatches(true).withMaxPartialMatches(7).maxPartialMatches());
    }

    @Test
    void newStateIsIdleAndBecomesIdleAgainOnceItsMatchesComplete() {
        Nfa<Ev> nfa = Nfa.compile(begin("a").followedBy("b").where(named("b")));
        NfaState<Ev> state = nfa.newState();
        assertTrue(state.isIdle());
        assertEquals(0, state.partialMatchCount());
        assertEquals(0, state.pendingMatchCount());
        Recorder<Ev> rec = feed(nfa, state, "a");
        assertFalse(state.isIdle());
        assertEquals(1, state.partialMatchCount());
        nfa.process(state, new Ev("b", 2, 0), 2, rec);
        assertEquals(List.of("{a=[a], b=[b]}"), rec.matches);
        assertTrue(state.isIdle());
    }

    @Test
    void nonMatchingEventsLeaveTheStateIdle() {
        Nfa<Ev> nfa = Nfa.compile(begin("a").followedBy("b").where(named("b")));
        NfaState<Ev> state = nfa.newState();
        feed(nfa, state, "x y z");
        assertTrue(state.isIdle());
    }

    @Test
    void statesOfDifferentKeysAreIndependent() {
        Nfa<Ev> nfa = Nfa.compile(begin("a").followedBy("b").where(named("b")));
        NfaState<Ev> k1 = nfa.newState();
        NfaState<Ev> k2 = nfa.newState();
        Recorder<Ev> r1 = feed(nfa, k1, "a1");
        Recorder<Ev> r2 = feed(nfa, k2, "x");
        nfa.process(k2, new Ev("b2", 3, 0), 3, r2);
        nfa.process(k1, new Ev("b1", 4, 0), 4, r1);
        assertEquals(List.of(), r2.matches);
        assertEquals(List.of("{a=[a1], b=[b1]}"), r1.matches);
    }

    @Test
    void processorOfTheSameNfaGivesTheSameAnswer() {
        Nfa<Ev> nfa = Nfa.compile(A_THEN_B);
        NfaProcessor<Ev> processor = nfa.newProcessor();
        NfaState<Ev> state = nfa.newState();
        Recorder<Ev> rec = new Recorder<>();
        for (Ev e : events("a1 b1 a2 b2")) {
            processor.process(state, e, e.ts(), rec);
        }
        assertEquals(List.of("{a=[a1], b=[b1]}", "{a=[a1], b=[b2]}", "{a=[a2], b=[b2]}"), rec.matches);
    }

    @Test
    void compiledNfaReportsItsWindowSkipStrategyAndElementNames() {
        Nfa<Ev> nfa = Nfa.compile(begin("a", AfterMatchSkipStrategy.skipPastLastEvent()).followedBy("b")
                .within(java.time.Duration.ofSeconds(2)));
        assertEquals(2000, nfa.windowMillis());
        assertEquals(AfterMatchSkipStrategy.skipPastLastEvent(), nfa.skipStrategy());
        assertEquals(List.of("a", "b"), nfa.elementNames());
        assertEquals(0, Nfa.compile(A_THEN_B).windowMillis());
    }

    @Test
    void shouldNotChangeAnythingWhenPrefetched() {
        Nfa<Ev> nfa = Nfa.compile(A_THEN_B, NfaOptions.defaults());
        NfaState<Ev> plain = nfa.newState();
        NfaState<Ev> prefetched = nfa.newState();
        Recorder<Ev> expected = new Recorder<>();
        Recorder<Ev> actual = new Recorder<>();
        for (Ev e : events("a1 x a2 b1 a3 b2")) {
            nfa.process(plain, e, e.ts(), expected);
            prefetched.prefetch();
            nfa.process(prefetched, e, e.ts(), actual);
        }
        assertEquals(expected.matches, actual.matches);
        assertEquals(List.of("{a=[a1], b=[b1]}", "{a=[a2], b=[b1]}", "{a=[a1], b=[b2]}", "{a=[a2], b=[b2]}",
                "{a=[a3], b=[b2]}"), actual.matches);
        assertEquals(plain.partialMatchCount(), prefetched.partialMatchCount());
    }
}
