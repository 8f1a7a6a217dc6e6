package io.peregrine.cep;

import static io.peregrine.cep.CepTestKit.begin;
import static io.peregrine.cep.CepTestKit.expectMatches;
import static io.peregrine.cep.CepTestKit.named;

import io.peregrine.cep.CepTestKit.Ev;
import org.junit.jupiter.api.Test;

/**
 * One or more tests per pattern operator, each with the exact matches and their order. Every
 * expected list is also checked against FlinkCEP 2.3.0 running the same pattern.
 */
class OperatorsTest {

    private static Pattern<Ev> thenC(Pattern<Ev> p) {
        return p.followedBy("c").where(named("c"));
    }

    // ------------------------------------------------------------------ contiguity

    @Test
    void nextMatchesOnlyTheImmediatelyFollowingEvent() {
        expectMatches(begin("a").next("b").where(named("b")), "a1 b1 a2 x b2 a3 b3",
                "{a=[a1], b=[b1]}", "{a=[a3], b=[b3]}");
    }

    @Test
    void followedBySkipsNonMatchingEventsAndTakesTheFirstMatch() {
        expectMatches(begin("a").followedBy("b").where(named("b")), "a1 x b1 b2 a2 b3",
                "{a=[a1], b=[b1]}", "{a=[a2], b=[b3]}");
    }

    @Test
    void followedByAnyPairsEachStartWithEveryLaterMatch() {
        expectMatches(begin("a").followedByAny("b").where(named("b")), "a1 b1 a2 b2",
                "{a=[a1], b=[b1]}", "{a=[a1], b=[b2]}", "{a=[a2], b=[b2]}");
    }

    // ------------------------------------------------------------------ NOT elements

    @Test
    void notNextInTheMiddleRejectsAStartImmediatelyFollowedByTheForbiddenEvent() {
        expectMatches(begin("a").notNext("x").where(named("x")).followedBy("b").where(named("b")),
                "a1 x b1 a2 c b2", "{a=[a2], b=[b2]}");
    }

    @Test
    void notNextAsLastElementEmitsOnceTheNextEventIsNotForbidden() {
        expectMatches(begin("a").notNext("x").where(named("x")), "a1 x a2 c a3",
                "{a=[a2]}");
    }

    @Test
    void notNextAsLastElementNeedsTheNextEventBeforeEmitting() {
        // a3 is never followed by anything, so it cannot prove that no x came next
        expectMatches(begin("a").notNext("x").where(named("x")), "a1 c a2 a3", "{a=[a1]}", "{a=[a2]}");
    }

    @Test
    void notFollowedByInTheMiddleRejectsAForbiddenEventAnywhereBeforeTheNextElement() {
        expectMatches(begin("a").notFollowedBy("x").where(named("x")).followedBy("b").where(named("b")),
                "a1 c x b1 a2 c b2", "{a=[a2], b=[b2]}");
    }

    @Test
    void notFollowedByAfterTheNextElementDoesNotMatter() {
        expectMatches(begin("a").notFollowedBy("x").where(named("x")).followedBy("b").where(named("b")),
                "a1 b1 x", "{a=[a1], b=[b1]}");
    }

    @Test
    void notFollowedByAsLastElementEmitsWhenTheWindowPassesWithoutTheForbiddenEvent() {
        // a1: nothing forbidden within 5 ms; a2@4: x@6 is within its window; a3@20: emitted at the end
        expectMatches(begin("a").notFollowedBy("x").where(named("x")).within(java.time.Duration.ofMillis(5)),
                "a1 c a2@4 x@6 a3@20", "{a=[a1]}", "{a=[a3]}");
    }

    // ------------------------------------------------------------------ quantifiers

    @Test
    void timesTakesExactlyNEvents() {
        expectMatches(begin("a").followedBy("b").where(named("b")).times(2), "a b1 c b2 b3",
                "{a=[a], b=[b1, b2]}");
    }

    @Test
    void timesRangeEmitsEveryCountInTheRange() {
        expectMatches(thenC(begin("a").followedBy("b").where(named("b")).times(2, 3)), "a b1 b2 b3 b4 c",
                "{a=[a], b=[b1, b2, b3], c=[c]}", "{a=[a], b=[b1, b2], c=[c]}");
    }

    @Test
    void timesFromZeroMakesTheElementOptional() {
        expectMatches(thenC(begin("a").followedBy("b").where(named("b")).times(0, 2)), "a b1 b2 c",
                "{a=[a], b=[b1, b2], c=[c]}", "{a=[a], c=[c]}", "{a=[a], b=[b1], c=[c]}");
    }

    @Test
    void timesFromZeroMatchesWithoutAnyEventOfTheElement() {
        expectMatches(thenC(begin("a").followedBy("b").where(named("b")).times(0, 2)), "a x c",
                "{a=[a], c=[c]}");
    }

    @Test
    void oneOrMoreEmitsEveryPrefixOfTheLoop() {
        expectMatches(begin("a").followedBy("b").where(named("b")).oneOrMore(), "a b1 x b2",
                "{a=[a], b=[b1]}", "{a=[a], b=[b1, b2]}");
    }

    @Test
    void timesOrMoreNeedsAtLeastNEvents() {
        expectMatches(thenC(begin("a").followedBy("b").where(named("b")).timesOrMore(2)), "a b1 b2 b3 c",
                "{a=[a], b=[b1, b2, b3], c=[c]}", "{a=[a], b=[b1, b2], c=[c]}");
    }

    @Test
    void timesOrMoreEmitsNothingBelowTheMinimum() {
        expectMatches(thenC(begin("a").followedBy("b").where(named("b")).timesOrMore(3)), "a b1 b2 c");
    }

    @Test
    void optionalElementMatchesWithAndWithoutTheEvent() {
        expectMatches(thenC(begin("a").followedBy("b").where(named("b")).optional()), "a b1 c",
                "{a=[a], b=[b1], c=[c]}", "{a=[a], c=[c]}");
    }

    @Test
    void optionalFirstElementLetsTheMatchStartAtTheNextElement() {
        expectMatches(begin("a").optional().next("b").where(named("b")), "a1 b1 b2",
                "{a=[a1], b=[b1]}", "{b=[b1]}", "{b=[b2]}");
    }

    @Test
    void optionalLoopMatchesWithZeroOrMoreEvents() {
        expectMatches(thenC(begin("a").followedBy("b").where(named("b")).oneOrMore().optional()), "a b1 b2 c",
                "{a=[a], b=[b1, b2], c=[c]}", "{a=[a], c=[c]}", "{a=[a], b=[b1], c=[c]}");
    }

    @Test
    void greedyLoopKeepsTakingEventsThatTheNextElementWouldAlsoAccept() {
        // b takes value > 0; c1 (value 2) is both a b and a c: greedy b takes it, so c must wait for c2
        Pattern<Ev> p = begin("a").followedBy("b").where(e -> e.value() > 0).oneOrMore().greedy()
                .followedBy("c").where(named("c"));
        expectMatches(p, "a b1:1 c1:2 b3:3 c2:0", "{a=[a], b=[b1, c1, b3], c=[c2]}");
    }

    @Test
    void nonGreedyLoopLetsTheNextElementTakeOverlappingEvents() {
        Pattern<Ev> p = begin("a").followedBy("b").where(e -> e.value() > 0).oneOrMore()
                .followedBy("c").where(named("c"));
        expectMatches(p, "a b1:1 c1:2 b3:3 c2:0",
                "{a=[a], b=[b1], c=[c1]}", "{a=[a], b=[b1, c1, b3], c=[c2]}", "{a=[a], b=[b1, c1], c=[c2]}");
    }

    @Test
    void greedyTimesRangeDoesNotLetTheNextElementTakeAnEventTheLoopCanTake() {
        Pattern<Ev> p = begin("a").next("b").where(named("b")).times(1, 3).greedy()
                .followedBy("c").where(named("b")).or(named("c"));
        expectMatches(p, "a b1 b2 c", "{a=[a], b=[b1, b2], c=[c]}");
    }

    @Test
    void nonGreedyTimesRangeLetsTheNextElementTakeAnEventTheLoopCanTake() {
        Pattern<Ev> p = begin("a").next("b").where(named("b")).times(1, 3)
                .followedBy("c").where(named("b")).or(named("c"));
        expectMatches(p, "a b1 b2 c", "{a=[a], b=[b1], c=[b2]}", "{a=[a], b=[b1, b2], c=[c]}");
    }

    @Test
    void consecutiveStopsTheLoopAtTheFirstNonMatchingEvent() {
        expectMatches(thenC(begin("a").followedBy("b").where(named("b")).times(2, 3).consecutive()),
                "a b1 b2 x b3 c", "{a=[a], b=[b1, b2], c=[c]}");
    }

    @Test
    void consecutiveTimesFailsWhenTheEventsAreNotAdjacent() {
        expectMatches(begin("a").followedBy("b").where(named("b")).times(2).consecutive(), "a b1 x b2 b3 b4");
    }

    @Test
    void allowCombinationsTakesAnySubsetOfTheMatchingEvents() {
        expectMatches(begin("a").followedBy("b").where(named("b")).times(2).allowCombinations(), "a b1 b2 b3",
                "{a=[a], b=[b1, b2]}", "{a=[a], b=[b1, b3]}");
    }

    @Test
    void untilStopsTheLoopAtTheFirstEventMatchingTheUntilCondition() {
        expectMatches(thenC(begin("a").followedBy("b").where(named("b")).oneOrMore().until(named("x"))),
                "a b1 b2 x b3 c", "{a=[a], b=[b1, b2], c=[c]}", "{a=[a], b=[b1], c=[c]}");
    }

    @Test
    void untilEventIsNotTakenByTheLoopEvenWhenItMatchesTheCondition() {
        expectMatches(begin("a").followedBy("b").where(named("b")).oneOrMore().until(e -> e.value() > 5),
                "a b1 b2:9 b3", "{a=[a], b=[b1]}");
    }

    // ------------------------------------------------------------------ conditions

    @Test
    void orAcceptsEventsMatchingEitherCondition() {
        expectMatches(begin("a").followedBy("b").where(named("b")).or(named("c")), "a x c b",
                "{a=[a], b=[c]}");
    }

    @Test
    void whereCallsCombineWithAnd() {
        expectMatches(begin("a").followedBy("b").where(named("b")).where(e -> e.value() > 1), "a b1:1 b2:2",
                "{a=[a], b=[b2]}");
    }

    @Test
    void whereThenOrThenWhereIsEvaluatedLeftToRight() {
        // (name b OR name c) AND value > 1
        expectMatches(begin("a").followedBy("b").where(named("b")).or(named("c")).where(e -> e.value() > 1),
                "a c1:1 b1:0 c2:2", "{a=[a], b=[c2]}");
    }

    @Test
    void elementWithoutConditionAcceptsAnyEvent() {
        expectMatches(begin("a").next("any"), "a x a2", "{a=[a], any=[x]}");
    }

    @Test
    void subtypeAcceptsOnlyInstancesOfTheType() {
        Pattern<Object> p = Pattern.<Object>begin("n").subtype(Integer.class).next("s").subtype(String.class);
        Nfa<Object> nfa = Nfa.compile(p);
        NfaState<Object> state = nfa.newState();
        java.util.List<String> out = new java.util.ArrayList<>();
        Object[] input = {1, 2.0, 3, "x", "y", 4, "z"};
        for (int i = 0; i < input.length; i++) {
            nfa.process(state, input[i], i, m -> out.add(m.toMap().toString()));
        }
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("{n=[3], s=[x]}", "{n=[4], s=[z]}"), out);
    }

    // ------------------------------------------------------------------ groups

    private static Pattern<Ev> xy() {
        return Pattern.<Ev>begin("x").where(named("x")).followedBy("y").where(named("y"));
    }

    @Test
    void groupWithTimesRepeatsTheWholeSubPattern() {
        expectMatches(begin("s").followedBy(xy()).times(2).followedBy("e").where(named("e")),
                "s x1 y1 x2 y2 e", "{s=[s], x=[x1, x2], y=[y1, y2], e=[e]}");
    }

    @Test
    void groupWithOneOrMoreEmitsEveryNumberOfRepetitions() {
        expectMatches(begin("s").followedBy(Pattern.<Ev>begin("x").where(named("x")).next("y").where(named("y")))
                        .oneOrMore().followedBy("e").where(named("e")),
                "s x1 y1 x2 y2 e", "{s=[s], x=[x1, x2], y=[y1, y2], e=[e]}", "{s=[s], x=[x1], y=[y1], e=[e]}");
    }

    @Test
    void optionalGroupMayBeSkipped() {
        expectMatches(begin("s").followedBy(Pattern.<Ev>begin("x").where(named("x")).next("y").where(named("y")))
                        .optional().followedBy("e").where(named("e")),
                "s x1 y1 e", "{s=[s], x=[x1], y=[y1], e=[e]}", "{s=[s], e=[e]}");
    }

    @Test
    void patternMayBeginWithAQuantifiedGroup() {
        expectMatches(Pattern.<Ev>begin(Pattern.<Ev>begin("x").where(named("x")).next("y").where(named("y")))
                        .times(2).next("e").where(named("e")),
                "x1 y1 x2 y2 e", "{x=[x1, x2], y=[y1, y2], e=[e]}");
    }

    @Test
    void groupWithStrictContiguityRejectsAnInterveningEvent() {
        expectMatches(begin("s").next(xy()).next("e").where(named("e")), "s z x1 y1 e s x2 y2 e",
                "{s=[s], x=[x2], y=[y2], e=[e]}");
    }

    @Test
    void groupAfterFollowedByAnyStartsAtEveryLaterX() {
        expectMatches(begin("s").followedByAny(xy()).next("e").where(named("e")), "s x1 x2 y e",
                "{s=[s], x=[x1], y=[y], e=[e]}", "{s=[s], x=[x2], y=[y], e=[e]}");
    }
}
