package io.peregrine.cep;

import static io.peregrine.cep.CepTestKit.begin;
import static io.peregrine.cep.CepTestKit.events;
import static io.peregrine.cep.CepTestKit.expect;
import static io.peregrine.cep.CepTestKit.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.cep.CepTestKit.Ev;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Whole-pattern windows, gap windows (PREVIOUS_AND_CURRENT), quantifier gaps, timed-out partial
 * matches and their timestamps, trailing notFollowedBy, and time bookkeeping of {@link NfaState}.
 * Output expectations are checked against FlinkCEP 2.3.0 driven up to the same watermark.
 */
class WindowsAndTimeoutsTest {

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    private static Pattern<Ev> abWithin(long window) {
        return begin("a").followedBy("b").where(named("b")).within(ms(window));
    }

    // ------------------------------------------------------------------ whole-pattern window

    @Test
    void shouldMatchWhenTheMatchIsShorterThanTheWindow() {
        expect(abWithin(10), "a@1 b@10", Long.MAX_VALUE, List.of("{a=[a], b=[b]}"), List.of());
    }

    @Test
    void shouldExcludeAMatchExactlyAsLongAsTheWindow() {
        // last.ts - first.ts must be < within: 11 - 1 = 10 is too long
        expect(abWithin(10), "a@1 b@11", Long.MAX_VALUE, List.of(), List.of("{a=[a]}@11"));
    }

    @Test
    void shouldEmitTimedOutMatchWithFirstEventPlusWindowAsItsTimestamp() {
        expect(abWithin(10), "a1@1 a2@5 c@12 b@14", Long.MAX_VALUE,
                List.of("{a=[a2], b=[b]}"), List.of("{a=[a1]}@11"));
    }

    @Test
    void shouldEmitTimedOutMatchWhenWatermarkPassesWindow() {
        expect(abWithin(10), "a@1", 10, List.of(), List.of());
        expect(abWithin(10), "a@1", 11, List.of(), List.of("{a=[a]}@11"));
    }

    @Test
    void shouldTimeOutEveryPartialMatchOfALoopWithItsEvents() {
        Pattern<Ev> p = begin("a").followedBy("b").where(named("b")).oneOrMore().followedBy("c").where(named("c"))
                .within(ms(10));
        expect(p, "a@1 b1@2 b2@3", 100, List.of(),
                List.of("{a=[a], b=[b1, b2]}@11", "{a=[a], b=[b1]}@11"));
    }

    @Test
    void shouldUseTheSmallestWindowDeclaredOnAnyElement() {
        Pattern<Ev> p = begin("a").within(ms(50)).followedBy("b").where(named("b")).within(ms(10));
        expect(p, "a@1 b@12", Long.MAX_VALUE, List.of(), List.of("{a=[a]}@11"));
    }

    @Test
    void shouldEmitNothingOnTimeoutWhenTimedOutMatchesAreOff() {
        Nfa<Ev> nfa = Nfa.compile(abWithin(10), NfaOptions.defaults());
        NfaState<Ev> state = nfa.newState();
        Recorder<Ev> rec = new Recorder<>();
        nfa.process(state, new Ev("a", 1, 0), 1, rec);
        assertEquals(1, state.partialMatchCount());
        nfa.advanceTime(state, 100, rec);
        assertEquals(List.of(), rec.timeouts);
        assertEquals(List.of(), rec.matches);
        assertEquals(0, state.partialMatchCount());
        assertTrue(state.isIdle());
    }

    @Test
    void shouldIgnoreAdvanceTimeToAnEarlierTime() {
        Nfa<Ev> nfa = Nfa.compile(abWithin(10), NfaOptions.defaults().withTimedOutMatches(true));
        NfaState<Ev> state = nfa.newState();
        Recorder<Ev> rec = new Recorder<>();
        nfa.process(state, new Ev("a", 1, 0), 1, rec);
        nfa.advanceTime(state, 5, rec);
        nfa.advanceTime(state, 3, rec);
        nfa.advanceTime(state, Long.MIN_VALUE, rec);
        assertEquals(1, state.partialMatchCount());
        assertEquals(List.of(), rec.timeouts);
        nfa.process(state, new Ev("b", 6, 0), 6, rec);
        assertEquals(List.of("{a=[a], b=[b]}"), rec.matches);
    }

    @Test
    void shouldNotTimeOutAgainAfterTimeHasAlreadyPassed() {
        Nfa<Ev> nfa = Nfa.compile(abWithin(10), NfaOptions.defaults().withTimedOutMatches(true));
        NfaState<Ev> state = nfa.newState();
        Recorder<Ev> rec = new Recorder<>();
        nfa.process(state, new Ev("a", 1, 0), 1, rec);
        nfa.advanceTime(state, 20, rec);
        nfa.advanceTime(state, 11, rec);
        nfa.advanceTime(state, 30, rec);
        assertEquals(List.of("{a=[a]}@11"), rec.timeouts);
    }

    @Test
    void shouldReportTheNextTimeoutOfTheEarliestWindow() {
        Nfa<Ev> nfa = Nfa.compile(abWithin(10), NfaOptions.defaults().withTimedOutMatches(true));
        NfaState<Ev> state = nfa.newState();
        Recorder<Ev> rec = new Recorder<>();
        assertEquals(Long.MAX_VALUE, state.nextTimeout());
        nfa.process(state, new Ev("a1", 3, 0), 3, rec);
        assertEquals(13, state.nextTimeout());
        nfa.process(state, new Ev("a2", 7, 0), 7, rec);
        assertEquals(13, state.nextTimeout());
        nfa.advanceTime(state, 13, rec);
        assertEquals(17, state.nextTimeout());
        assertEquals(List.of("{a=[a1]}@13"), rec.timeouts);
        nfa.process(state, new Ev("b", 8 + 7, 0), 15, rec);
        assertEquals(Long.MAX_VALUE, state.nextTimeout());
        assertTrue(state.isIdle());
    }

    @Test
    void shouldReportNoTimeoutWithoutAWindow() {
        Nfa<Ev> nfa = Nfa.compile(begin("a").followedBy("b").where(named("b")));
        NfaState<Ev> state = nfa.newState();
        nfa.process(state, new Ev("a", 1, 0), 1, new Recorder<>());
        assertEquals(1, state.partialMatchCount());
        assertEquals(Long.MAX_VALUE, state.nextTimeout());
        assertFalse(state.isIdle());
    }

    // ------------------------------------------------------------------ gap windows

    @Test
    void gapWindowBoundsTheTimeFromThePreviousEvent() {
        Pattern<Ev> p = begin("a").followedBy("b").where(named("b")).within(ms(5), WithinType.PREVIOUS_AND_CURRENT)
                .followedBy("c").where(named("c"));
        expect(p, "a1@1 b1@6 a2@10 b2@14 c@30", Long.MAX_VALUE,
                List.of("{a=[a2], b=[b2], c=[c]}"), List.of("{a=[a1]}@6"));
    }

    @Test
    void gapWindowOnTheLastElementTimesOutWithPreviousEventPlusGap() {
        Pattern<Ev> p = begin("a").followedBy("b").where(named("b")).followedBy("c").where(named("c"))
                .within(ms(5), WithinType.PREVIOUS_AND_CURRENT);
        expect(p, "a1@1 b1@6 c1@10 a2@20 b2@21 c2@26 a3@30 b3@31 c3@35", Long.MAX_VALUE,
                List.of("{a=[a1], b=[b1], c=[c1]}", "{a=[a3], b=[b3], c=[c3]}"),
                List.of("{a=[a2], b=[b2]}@26"));
    }

    @Test
    void gapAndWholeWindowsApplyTogether() {
        Pattern<Ev> p = begin("a").followedBy("b").where(named("b")).within(ms(5), WithinType.PREVIOUS_AND_CURRENT)
                .followedBy("c").where(named("c")).within(ms(8));
        expect(p, "a1@1 b1@4 c1@9 a2@20 b2@22 c2@25", Long.MAX_VALUE,
                List.of("{a=[a2], b=[b2], c=[c2]}"), List.of("{a=[a1], b=[b1]}@9"));
    }

    @Test
    void timesWithGapTimesOutWhenTheGapBeforeTheFirstOrSecondEventPasses() {
        Pattern<Ev> p = begin("a").followedBy("b").where(named("b")).times(3, ms(5));
        // previous event a@1 + 5
        expect(p, "a@1 b1@7 b2@8 b3@9", Long.MAX_VALUE, List.of(), List.of("{a=[a]}@6"));
        // previous event b1@2 + 5
        expect(p, "a@1 b1@2 b2@8 b3@9", Long.MAX_VALUE, List.of(), List.of("{a=[a], b=[b1]}@7"));
        expect(p, "a@1 b1@2 b2@4 b3@8", Long.MAX_VALUE, List.of("{a=[a], b=[b1, b2, b3]}"), List.of());
    }

    @Test
    void timesWithGapDoesNotBoundTheStepToTheLastRepetition() {
        // FlinkCEP puts the gap on every state the quantifier unfolds into except the last one
        Pattern<Ev> p = begin("a").followedBy("b").where(named("b")).times(3, ms(5));
        expect(p, "a@1 b1@2 b2@3 b3@20", Long.MAX_VALUE, List.of("{a=[a], b=[b1, b2, b3]}"), List.of());
        Pattern<Ev> range = begin("a").followedBy("b").where(named("b")).times(2, 3, ms(5))
                .followedBy("c").where(named("c"));
        expect(range, "a@1 b1@2 b2@3 b3@20 c@21", Long.MAX_VALUE,
                List.of("{a=[a], b=[b1, b2, b3], c=[c]}", "{a=[a], b=[b1, b2], c=[c]}"), List.of());
    }

    @Test
    void oneOrMoreWithGapEndsTheLoopWhenTheGapPasses() {
        Pattern<Ev> p = begin("a").followedBy("b").where(named("b")).oneOrMore(ms(5)).followedBy("c").where(named("c"));
        expect(p, "a@1 b1@2 b2@4 b3@20 c@21", Long.MAX_VALUE,
                List.of("{a=[a], b=[b1, b2, b3], c=[c]}", "{a=[a], b=[b1], c=[c]}", "{a=[a], b=[b1, b2], c=[c]}"),
                List.of());
    }

    // ------------------------------------------------------------------ trailing notFollowedBy

    @Test
    void trailingNotFollowedByEmitsOnlyOnceTheWindowHasPassed() {
        Pattern<Ev> p = begin("a").notFollowedBy("x").where(named("x")).within(ms(5));
        expect(p, "a@1 c@3", 5, List.of(), List.of());
        expect(p, "a@1 c@3", 6, List.of("{a=[a]}"), List.of());
    }

    @Test
    void trailingNotFollowedByIsDiscardedWhenTheForbiddenEventArrivesInTheWindow() {
        Pattern<Ev> p = begin("a").notFollowedBy("x").where(named("x")).within(ms(5));
        expect(p, "a@1 x@5", Long.MAX_VALUE, List.of(), List.of());
        expect(p, "a@1 x@6", Long.MAX_VALUE, List.of("{a=[a]}"), List.of());
    }

    @Test
    void trailingNotFollowedByWithAGapWindowNeedsNoPatternWindow() {
        Pattern<Ev> p = begin("a").followedBy("b").where(named("b")).notFollowedBy("x").where(named("x"))
                .within(ms(4), WithinType.PREVIOUS_AND_CURRENT);
        expect(p, "a1@1 b1@2 x@3 a2@10 b2@11 c@12", Long.MAX_VALUE, List.of("{a=[a2], b=[b2]}"), List.of());
    }

    @Test
    void processingAnEventFirstAdvancesTimeToItsTimestamp() {
        Nfa<Ev> nfa = Nfa.compile(abWithin(10), NfaOptions.defaults().withTimedOutMatches(true));
        NfaState<Ev> state = nfa.newState();
        Recorder<Ev> rec = new Recorder<>();
        for (Ev e : events("a1@1 a2@12")) {
            nfa.process(state, e, e.ts(), rec);
        }
        assertEquals(List.of("{a=[a1]}@11"), rec.timeouts);
        assertEquals(1, state.partialMatchCount());
        assertEquals(22, state.nextTimeout());
    }
}
