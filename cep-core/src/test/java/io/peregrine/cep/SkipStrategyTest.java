package io.peregrine.cep;

import static io.peregrine.cep.CepTestKit.begin;
import static io.peregrine.cep.CepTestKit.events;
import static io.peregrine.cep.CepTestKit.expect;
import static io.peregrine.cep.CepTestKit.expectMatches;
import static io.peregrine.cep.CepTestKit.flink;
import static io.peregrine.cep.CepTestKit.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.cep.CepTestKit.Ev;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The five after-match skip strategies: what each prunes, that matches wait for earlier partial
 * matches whenever a strategy prunes, and {@code throwExceptionOnMiss}. Expected values are checked
 * against FlinkCEP 2.3.0.
 */
class SkipStrategyTest {

    private static final String A1_A2_B1_B2 = "a1 a2 b1 b2";

    private static Pattern<Ev> aAnyB(AfterMatchSkipStrategy skip) {
        return begin("a", skip).followedByAny("b").where(named("b"));
    }

    @Test
    void noSkipEmitsEveryOverlappingMatch() {
        expectMatches(aAnyB(AfterMatchSkipStrategy.noSkip()), A1_A2_B1_B2,
                "{a=[a1], b=[b1]}", "{a=[a2], b=[b1]}", "{a=[a1], b=[b2]}", "{a=[a2], b=[b2]}");
    }

    @Test
    void skipToNextDiscardsOtherMatchesStartingWithTheSameEvent() {
        expectMatches(aAnyB(AfterMatchSkipStrategy.skipToNext()), A1_A2_B1_B2,
                "{a=[a1], b=[b1]}", "{a=[a2], b=[b1]}");
    }

    @Test
    void skipPastLastEventDiscardsEverythingStartedUpToTheMatchsLastEvent() {
        expectMatches(aAnyB(AfterMatchSkipStrategy.skipPastLastEvent()), "a1 a2 b1 b2 a3 b3",
                "{a=[a1], b=[b1]}", "{a=[a3], b=[b3]}");
    }

    @Test
    void skipToFirstKeepsPartialMatchesStartingAtOrAfterTheNamedElementsFirstEvent() {
        Pattern<Ev> p = begin("a", AfterMatchSkipStrategy.skipToFirst("b")).followedBy("b").where(named("b"))
                .oneOrMore().next("c").where(named("c"));
        // a2 starts after b1, the first b of the first match: it survives
        expectMatches(p, "a1 b1 a2 b2 c", "{a=[a1], b=[b1, b2], c=[c]}", "{a=[a2], b=[b2], c=[c]}");
    }

    @Test
    void skipToFirstOfAMiddleElementResumesThere() {
        Pattern<Ev> p = Pattern.<Ev>begin("x", AfterMatchSkipStrategy.skipToFirst("y")).where(named("n"))
                .next("y").where(named("n")).next("z").where(named("n"));
        expectMatches(p, "n1 n2 n3 n4 n5",
                "{x=[n1], y=[n2], z=[n3]}", "{x=[n2], y=[n3], z=[n4]}", "{x=[n3], y=[n4], z=[n5]}");
    }

    @Test
    void skipToLastOfAMiddleElementResumesThere() {
        Pattern<Ev> p = Pattern.<Ev>begin("x", AfterMatchSkipStrategy.skipToLast("z")).where(named("n"))
                .next("y").where(named("n")).next("z").where(named("n"));
        expectMatches(p, "n1 n2 n3 n4 n5 n6 n7", "{x=[n1], y=[n2], z=[n3]}", "{x=[n3], y=[n4], z=[n5]}",
                "{x=[n5], y=[n6], z=[n7]}");
    }

    @Test
    void skipToLastDiscardsPartialMatchesStartedBeforeTheNamedElementsLastEvent() {
        Pattern<Ev> p = begin("a", AfterMatchSkipStrategy.skipToLast("b")).followedBy("b").where(named("b"))
                .oneOrMore().next("c").where(named("c"));
        expectMatches(p, "a1 b1 a2 b2 c", "{a=[a1], b=[b1, b2], c=[c]}");
    }

    // ------------------------------------------------------------------ matches wait for earlier partial matches

    /** a then a b with the same value: a later a may complete before an earlier one. */
    private static Pattern<Ev> sameValue(AfterMatchSkipStrategy skip) {
        Pattern<Ev> a = begin("a", skip);
        EventRef<Ev> first = a.firstEvent();
        return a.followedByAny("b").where((e, ctx) -> e.name().startsWith("b") && e.value() == ctx.event(first).value());
    }

    @Test
    void noSkipEmitsAMatchAsSoonAsItCompletes() {
        expectMatches(sameValue(AfterMatchSkipStrategy.noSkip()), "a1:1 a2:2 b2:2 b1:1",
                "{a=[a2], b=[b2]}", "{a=[a1], b=[b1]}");
    }

    @Test
    void skipStrategyHoldsAMatchUntilEarlierPartialMatchesResolve() {
        Nfa<Ev> nfa = Nfa.compile(sameValue(AfterMatchSkipStrategy.skipPastLastEvent()));
        NfaState<Ev> state = nfa.newState();
        Recorder<Ev> rec = new Recorder<>();
        List<Ev> evs = events("a1:1 a2:2 b2:2 b1:1");
        for (int i = 0; i < 3; i++) {
            nfa.process(state, evs.get(i), evs.get(i).ts(), rec);
        }
        // a2 b2 is complete but a1 started earlier and may still match
        assertEquals(List.of(), rec.matches);
        assertEquals(1, state.pendingMatchCount());
        nfa.process(state, evs.get(3), evs.get(3).ts(), rec);
        // a1 b1 comes first; skipping past b1 then discards the held a2 b2
        assertEquals(List.of("{a=[a1], b=[b1]}"), rec.matches);
        assertEquals(0, state.pendingMatchCount());
        assertEquals(List.of("{a=[a1], b=[b1]}"),
                flink(sameValue(AfterMatchSkipStrategy.skipPastLastEvent()), "a1:1 a2:2 b2:2 b1:1").matches());
    }

    @Test
    void heldMatchIsReleasedWhenTheEarlierPartialMatchTimesOut() {
        Pattern<Ev> p = sameValue(AfterMatchSkipStrategy.skipToNext()).within(Duration.ofMillis(10));
        expect(p, "a1@1:1 a2@2:2 b2@3:2", 11, List.of("{a=[a2], b=[b2]}"), List.of("{a=[a1]}@11"));
        expect(p, "a1@1:1 a2@2:2 b2@3:2", 10, List.of(), List.of());
    }

    @Test
    void heldMatchIsNeverEmittedWhileTheEarlierPartialMatchCanStillGrow() {
        // SKIP_TO_FIRST[b] prunes nothing here: the loop started at b1 stays open and holds back the rest
        Pattern<Ev> p = begin("b", AfterMatchSkipStrategy.skipToFirst("b")).oneOrMore().next("c").where(named("c"));
        Nfa<Ev> nfa = Nfa.compile(p);
        NfaState<Ev> state = nfa.newState();
        Recorder<Ev> rec = new Recorder<>();
        for (Ev e : events("b1 b2 b3 c")) {
            nfa.process(state, e, e.ts(), rec);
        }
        nfa.advanceTime(state, Long.MAX_VALUE, rec);
        assertEquals(List.of("{b=[b1, b2, b3], c=[c]}"), rec.matches);
        assertEquals(2, state.pendingMatchCount());
        assertTrue(state.partialMatchCount() > 0);
    }

    // ------------------------------------------------------------------ throwExceptionOnMiss

    private static Pattern<Ev> optionalB(AfterMatchSkipStrategy skip) {
        return begin("a", skip).followedBy("b").where(named("b")).optional().followedBy("c").where(named("c"));
    }

    @Test
    void skipToFirstWithoutThrowPrunesNothingAfterAMatchLackingTheElement() {
        // a1 c1 has no b: nothing is pruned, so a1 goes on to a1 b2 c2, whose b2 then prunes a2's runs
        expectMatches(optionalB(AfterMatchSkipStrategy.skipToFirst("b")), "a1 c1 a2 b2 c2",
                "{a=[a1], c=[c1]}", "{a=[a1], b=[b2], c=[c2]}");
    }

    @Test
    void skipToFirstWithThrowFailsOnAMatchLackingTheElement() {
        AfterMatchSkipStrategy skip = new AfterMatchSkipStrategy.SkipToFirst("b", false).throwExceptionOnMiss();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> CepTestKit.run(optionalB(skip), "a1 c1"));
        assertTrue(e.getMessage().contains("'b'"), e.getMessage());
        assertThrows(RuntimeException.class, () -> flink(optionalB(skip), "a1 c1"));
    }

    @Test
    void skipToLastWithThrowFailsOnAMatchLackingTheElement() {
        AfterMatchSkipStrategy skip = new AfterMatchSkipStrategy.SkipToLast("b", false).throwExceptionOnMiss();
        assertThrows(IllegalStateException.class, () -> CepTestKit.run(optionalB(skip), "a1 c1"));
        assertThrows(RuntimeException.class, () -> flink(optionalB(skip), "a1 c1"));
    }

    @Test
    void skipToFirstWithThrowFailsWhenItWouldSkipToTheMatchsOwnFirstEvent() {
        AfterMatchSkipStrategy skip = new AfterMatchSkipStrategy.SkipToFirst("a", false).throwExceptionOnMiss();
        Pattern<Ev> p = begin("a", skip).followedBy("b").where(named("b"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CepTestKit.run(p, "a1 b1"));
        assertTrue(e.getMessage().contains("'a'"), e.getMessage());
        assertThrows(RuntimeException.class, () -> flink(p, "a1 b1"));
    }

    @Test
    void skipToFirstWithoutThrowToTheMatchsOwnFirstEventBehavesLikeNoSkip() {
        Pattern<Ev> p = begin("a", AfterMatchSkipStrategy.skipToFirst("a")).followedByAny("b").where(named("b"));
        expectMatches(p, "a1 b1 b2", "{a=[a1], b=[b1]}", "{a=[a1], b=[b2]}");
    }

    @Test
    void skipToLastWithThrowSucceedsWhenTheElementIsPresentAndLater() {
        AfterMatchSkipStrategy skip = new AfterMatchSkipStrategy.SkipToLast("b", false).throwExceptionOnMiss();
        expectMatches(optionalB(skip), "a1 b1 c1", "{a=[a1], b=[b1], c=[c1]}");
    }
}
