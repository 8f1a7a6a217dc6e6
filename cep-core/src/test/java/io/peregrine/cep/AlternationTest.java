package io.peregrine.cep;

import static io.peregrine.cep.CepTestKit.matches;
import static io.peregrine.cep.CepTestKit.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.cep.CepTestKit.Ev;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Alternations ({@link Pattern#anyOf}), which FlinkCEP lacks, with their exact matches in emission
 * order. Where a test says "union", the matches are also checked against the patterns written out
 * branch by branch (the defining property, tested at large by {@link AlternationPropertiesTest}).
 */
class AlternationTest {

    /** An element taking events whose name starts with its own first letter ({@code b2} takes b...). */
    private static Pattern<Ev> el(String name) {
        return Pattern.<Ev>begin(name).where(e -> e.name().charAt(0) == name.charAt(0));
    }

    private static Condition<Ev> type(char c) {
        return Condition.of(e -> e.name().charAt(0) == c);
    }

    /** The matches of all {@code patterns} together, sorted (a multiset). */
    private static List<String> union(String spec, List<Pattern<Ev>> patterns) {
        List<String> out = new ArrayList<>();
        for (Pattern<Ev> p : patterns) {
            out.addAll(matches(p, spec));
        }
        out.sort(null);
        return out;
    }

    private static List<String> sorted(List<String> matches) {
        List<String> out = new ArrayList<>(matches);
        out.sort(null);
        return out;
    }

    // ------------------------------------------------------------------ shapes the SQL layer needs

    @Test
    void shouldMatchEitherOfTwoSingleElements() {
        // SQL: PATTERN (A | B)
        Pattern<Ev> p = Pattern.anyOf(el("a"), el("b"));
        assertEquals(List.of("{a=[a1]}", "{b=[b1]}", "{a=[a2]}"), matches(p, "a1 c1 b1 a2"));
    }

    @Test
    void shouldMatchEitherOfTwoSequences() {
        // SQL: PATTERN (A B | C D), strictly contiguous rows
        Pattern<Ev> p = Pattern.anyOf(el("a").next("b").where(type('b')), el("c").next("d").where(type('d')));
        assertEquals(List.of("{a=[a1], b=[b1]}", "{c=[c2], d=[d2]}"), matches(p, "a1 b1 c1 x d1 c2 d2 a2 x b2"));
    }

    @Test
    void shouldRepeatAChoiceOfSequencesBetweenTwoElementsAsTheReadmeExampleDescribes() {
        // SQL: PATTERN (A (B | C D)+ E), strictly contiguous rows (cep-core/README.md)
        Condition<Ev> isA = type('a');
        Condition<Ev> isB = type('b');
        Condition<Ev> isC = type('c');
        Condition<Ev> isD = type('d');
        Condition<Ev> isE = type('e');
        Pattern<Ev> p = Pattern.<Ev>begin("A").where(isA)
                .next(Pattern.anyOf(
                        Pattern.<Ev>begin("B").where(isB),
                        Pattern.<Ev>begin("C").where(isC).next("D").where(isD)))
                .oneOrMore().consecutive()
                .next("E").where(isE);
        assertEquals(List.of("{A=[a1], B=[b1, b2], C=[c1], D=[d1], E=[e1]}", "{A=[a2], C=[c2], D=[d2], E=[e2]}"),
                matches(p, "a1 b1 c1 d1 b2 e1 a2 c2 d2 e2 a3 c3 e3"));
    }

    // ------------------------------------------------------------------ the union of the branches

    @Test
    void shouldEmitTheUnionOfTheBranchesMatches() {
        String spec = "x1 b1 c1 y1 d1 e1 b2 e2";
        Pattern<Ev> alternation = el("x")
                .followedBy(Pattern.anyOf(el("b"), el("c").followedBy("d").where(type('d'))))
                .followedBy("e").where(type('e'));
        assertEquals(List.of("{x=[x1], b=[b1], e=[e1]}", "{x=[x1], c=[c1], d=[d1], e=[e1]}"), matches(alternation, spec));
        assertEquals(union(spec, List.of(
                        el("x").followedBy("b").where(type('b')).followedBy("e").where(type('e')),
                        el("x").followedBy("c").where(type('c')).followedBy("d").where(type('d'))
                                .followedBy("e").where(type('e')))),
                sorted(matches(alternation, spec)));
    }

    @Test
    void shouldEmitAMatchThatTwoBranchesProduceTwice() {
        // both branches take the same events under different names: two matches, as the union has
        Pattern<Ev> p = el("x").followedByAny(Pattern.anyOf(
                Pattern.<Ev>begin("p").where(type('b')), Pattern.<Ev>begin("q").where(type('b'))));
        assertEquals(List.of("{x=[x1], p=[b1]}", "{x=[x1], q=[b1]}"), matches(p, "x1 b1"));
    }

    @Test
    void shouldRepeatTheChoiceInEachRoundOfATimesQuantifier() {
        // (b | c){2}: the matches of b b, b c, c b and c c
        String spec = "a1 b1 c1 b2 e1";
        Pattern<Ev> p = el("a").followedBy(Pattern.anyOf(el("b"), el("c"))).times(2)
                .followedBy("e").where(type('e'));
        assertEquals(List.of("{a=[a1], b=[b1, b2], e=[e1]}", "{a=[a1], c=[c1], b=[b2], e=[e1]}",
                "{a=[a1], b=[b1], c=[c1], e=[e1]}"), matches(p, spec));
    }

    @Test
    void shouldMatchWithoutTheAlternationWhenItIsOptional() {
        Pattern<Ev> p = el("a").followedBy(Pattern.anyOf(el("b"), el("c"))).optional()
                .followedBy("d").where(type('d'));
        assertEquals(List.of("{a=[a1], b=[b1], d=[d1]}", "{a=[a1], d=[d1]}", "{a=[a2], d=[d2]}"),
                matches(p, "a1 b1 d1 a2 d2"));
    }

    @Test
    void shouldNestAlternations() {
        // a ((b | c) d | e) f
        Pattern<Ev> inner = Pattern.<Ev>begin(Pattern.anyOf(el("b"), el("c"))).next("d").where(type('d'));
        Pattern<Ev> p = el("a").next(Pattern.anyOf(inner, el("e"))).next("f").where(type('f'));
        assertEquals(List.of("{a=[a1], c=[c1], d=[d1], f=[f1]}", "{a=[a2], e=[e2], f=[f2]}",
                        "{a=[a3], b=[b3], d=[d3], f=[f3]}"),
                matches(p, "a1 c1 d1 f1 a2 e2 f2 a3 b3 d3 f3 a4 d4 f4"));
    }

    @Test
    void shouldTakeItsContiguityFromTheElementCallThatPlacesIt() {
        Pattern<Ev> strict = el("a").next(Pattern.anyOf(el("b"), el("c").next("d").where(type('d'))));
        assertEquals(List.of("{a=[a2], c=[c2], d=[d2]}"), matches(strict, "a1 x b1 a2 c2 d2"));
        Pattern<Ev> relaxed = el("a").followedBy(Pattern.anyOf(el("b"), el("c").next("d").where(type('d'))));
        // the second branch of a1's partial match skips b1 (and a2) as a followedBy c would
        assertEquals(List.of("{a=[a1], b=[b1]}", "{a=[a1], c=[c2], d=[d2]}", "{a=[a2], c=[c2], d=[d2]}"),
                matches(relaxed, "a1 x b1 a2 c2 d2"));
        Pattern<Ev> any = el("a").followedByAny(Pattern.anyOf(el("b"), el("c")));
        assertEquals(List.of("{a=[a1], b=[b1]}", "{a=[a1], c=[c1]}", "{a=[a1], b=[b2]}"), matches(any, "a1 b1 c1 b2"));
    }

    @Test
    void shouldGiveTheContiguityOfAGroupToTheBranchesOfTheAlternationThatHeadsIt() {
        // a followedBy ((b | c) d): the group's followedBy reaches b and c
        Pattern<Ev> group = Pattern.<Ev>begin(Pattern.anyOf(el("b"), el("c"))).next("d").where(type('d'));
        Pattern<Ev> p = el("a").followedBy(group);
        assertEquals(List.of("{a=[a1], c=[c1], d=[d1]}"), matches(p, "a1 x c1 d1"));
    }

    @Test
    void shouldRepeatAGroupThatContainsAnAlternation() {
        // a ((b | c) d)+ e
        Pattern<Ev> group = Pattern.<Ev>begin(Pattern.anyOf(el("b"), el("c"))).next("d").where(type('d'));
        Pattern<Ev> p = el("a").next(group).oneOrMore().consecutive().next("e").where(type('e'));
        assertEquals(List.of("{a=[a1], b=[b1], d=[d1, d2], c=[c2], e=[e1]}"), matches(p, "a1 b1 d1 c2 d2 e1"));
    }

    @Test
    void shouldStopALoopingAlternationAtItsUntilCondition() {
        Pattern<Ev> p = el("a").followedBy(Pattern.anyOf(el("b"), el("c"))).oneOrMore().until(type('x'))
                .followedBy("e").where(type('e'));
        // after x1 no round takes an event (b2 neither); a round's c may skip b1 (followedBy)
        assertEquals(List.of("{a=[a1], b=[b1], c=[c1], e=[e1]}", "{a=[a1], c=[c1], e=[e1]}", "{a=[a1], b=[b1], e=[e1]}"),
                matches(p, "a1 b1 c1 x1 b2 e1"));
    }

    @Test
    void shouldCarryRunningAggregatesThroughWhicheverBranchWasTaken() {
        Pattern<Ev> b = el("b").oneOrMore();
        Aggregate<Ev> sumB = b.aggregate(AggregateKind.SUM, Ev::value);
        Pattern<Ev> p = el("a").followedBy(Pattern.anyOf(b, el("c")))
                .followedBy("d").where((e, ctx) -> e.name().startsWith("d") && e.value() > ctx.aggregate(sumB));
        // b1 + b2 = 5 and b1 = 2 need d2 (6); through c no b was taken, the sum is 0 and d1 (1) will do
        assertEquals(List.of("{a=[a1], c=[c1], d=[d1]}", "{a=[a1], b=[b1, b2], d=[d2]}", "{a=[a1], b=[b1], d=[d2]}"),
                matches(p, "a1 b1:2 b2:3 c1 d1:1 d2:6"));
    }

    // ------------------------------------------------------------------ order, skip strategies, time

    @Test
    void shouldEmitTheEarlierBranchFirstWhenTwoBranchesCompleteOnTheSameEvent() {
        Pattern<Ev> p = el("a").followedBy(Pattern.anyOf(
                Pattern.<Ev>begin("p").where(type('b')), Pattern.<Ev>begin("q").where(type('b'))));
        assertEquals(List.of("{a=[a1], p=[b1]}", "{a=[a1], q=[b1]}"), matches(p, "a1 b1"));
        Pattern<Ev> swapped = el("a").followedBy(Pattern.anyOf(
                Pattern.<Ev>begin("q").where(type('b')), Pattern.<Ev>begin("p").where(type('b'))));
        assertEquals(List.of("{a=[a1], q=[b1]}", "{a=[a1], p=[b1]}"), matches(swapped, "a1 b1"));
    }

    @Test
    void shouldApplyTheSkipStrategyToTheMatchesOfEveryBranch() {
        Pattern<Ev> branches = Pattern.anyOf(el("a").followedBy("b").where(type('b')),
                el("c").followedBy("d").where(type('d')));
        assertEquals(List.of("{a=[a1], b=[b1]}", "{c=[c1], d=[d1]}"),
                matches(Pattern.begin(branches), "a1 c1 b1 d1"));
        // the match through the first branch ends at b1, past the start of the other one
        assertEquals(List.of("{a=[a1], b=[b1]}"),
                matches(Pattern.begin(branches, AfterMatchSkipStrategy.skipPastLastEvent()), "a1 c1 b1 d1"));
    }

    @Test
    void shouldPreferTheEarlierBranchUnderASkipStrategyWhenBothEndOnTheSameEvent() {
        Pattern<Ev> p = Pattern.begin(Pattern.anyOf(
                Pattern.<Ev>begin("p").where(type('b')), Pattern.<Ev>begin("q").where(type('b'))),
                AfterMatchSkipStrategy.skipPastLastEvent());
        assertEquals(List.of("{p=[b1]}", "{p=[b2]}"), matches(p, "b1 b2"));
    }

    @Test
    void shouldTimeOutAPartialMatchOnceAtTheAlternationAndOncePerBranchAfterAnIgnoredEvent() {
        Pattern<Ev> p = el("a").followedBy(Pattern.anyOf(el("b"), el("c"))).within(Duration.ofMillis(5));
        // still waiting where the branches split: one partial match
        assertEquals(new CepTestKit.Result(List.of(), List.of("{a=[a1]}@6")), run(p, "a1 c@20"));
        // x is ignored in each branch, which goes on as a partial match of its own (as the branches
        // written out as two patterns would)
        assertEquals(new CepTestKit.Result(List.of(), List.of("{a=[a1]}@6", "{a=[a1]}@6")), run(p, "a1 x@3 c@20"));
    }

    // ------------------------------------------------------------------ the API

    @Test
    void shouldListTheElementsOfEveryBranchAsThePatternsElements() {
        Nfa<Ev> nfa = Nfa.compile(el("a").followedBy(Pattern.anyOf(el("b"), el("c").next("d"))).next("e"));
        assertEquals(List.of("a", "b", "c", "d", "e"), nfa.elementNames());
    }

    @Test
    void shouldDescribeTheAlternationByItsBranches() {
        Pattern<Ev> alternation = Pattern.anyOf(el("b"), el("c").next("d"));
        assertEquals("anyOf(b | c d)", alternation.name());
        assertEquals(true, alternation.isAlternation());
        assertEquals(2, alternation.branches().size());
        assertEquals("(b | c STRICT d)", alternation.toString());
    }

    @Test
    void shouldPlaceAFreshAlternationItselfAndWrapAModifiedOneInAGroup() {
        Pattern<Ev> fresh = el("a").followedBy(Pattern.anyOf(el("b"), el("c")));
        assertEquals(true, fresh.isAlternation());
        Pattern<Ev> quantified = el("a").followedBy(Pattern.anyOf(el("b"), el("c")).times(2));
        assertEquals(true, quantified.isGroup());
        // the same matches either way: the group takes its contiguity to the alternation it starts with
        Pattern<Ev> direct = el("a").followedBy(Pattern.anyOf(el("b"), el("c"))).times(2);
        String spec = "a1 x b1 c1 x b2";
        assertEquals(matches(direct, spec), matches(quantified, spec));
    }
    // ------------------------------------------------------------------ rejected

    private static void assertMalformed(String element, String rule, Executable build) {
        MalformedPatternException e = assertThrows(MalformedPatternException.class, build);
        assertTrue(e.getMessage().contains("'" + element + "'"), "should name '" + element + "': " + e.getMessage());
        assertTrue(e.getMessage().contains(rule), "should state \"" + rule + "\": " + e.getMessage());
    }

    private static void assertRejectedOnCompile(String element, String rule, Pattern<Ev> pattern) {
        assertMalformed(element, rule, () -> Nfa.compile(pattern));
    }

    @Test
    void shouldRejectAnAlternationWithoutBranches() {
        MalformedPatternException e = assertThrows(MalformedPatternException.class, () -> Pattern.<Ev>anyOf());
        assertTrue(e.getMessage().contains("at least one branch"), e.getMessage());
    }

    @Test
    void shouldRejectABranchWithItsOwnSkipStrategy() {
        assertMalformed("b", "own skip strategy",
                () -> Pattern.anyOf(el("a"), Pattern.<Ev>begin("b", AfterMatchSkipStrategy.skipToNext())));
    }

    @Test
    void shouldRejectConditionsAndGreedyOnTheAlternationItself() {
        assertMalformed("anyOf(a | b)", "not applicable to an alternation",
                () -> Pattern.anyOf(el("a"), el("b")).where(type('a')));
        assertMalformed("anyOf(a | b)", "not applicable to an alternation",
                () -> Pattern.anyOf(el("a"), el("b")).oneOrMore().greedy());
        assertMalformed("anyOf(a | b)", "not applicable to an alternation",
                () -> Pattern.anyOf(el("a"), el("b")).aggregate(AggregateKind.SUM, Ev::value));
    }

    @Test
    void shouldRejectGapWindowsOnTheAlternationItself() {
        assertMalformed("anyOf(a | b)", "not applicable to an alternation",
                () -> Pattern.anyOf(el("a"), el("b")).within(Duration.ofMillis(5), WithinType.PREVIOUS_AND_CURRENT));
        assertMalformed("anyOf(a | b)", "not applicable to an alternation's quantifier",
                () -> Pattern.anyOf(el("a"), el("b")).times(2, Duration.ofMillis(5)));
    }

    @Test
    void shouldRejectANameUsedInTwoBranches() {
        assertRejectedOnCompile("b", "duplicate name", Pattern.anyOf(el("b"), el("c").next("b")));
    }

    @Test
    void shouldRejectAWindowInsideABranch() {
        assertRejectedOnCompile("c", "within(...) inside a branch",
                el("a").next(Pattern.anyOf(el("b"), el("c").within(Duration.ofMillis(5)))));
    }

    @Test
    void shouldAcceptAWindowOnTheAlternationAsTheWholePatternsWindow() {
        Pattern<Ev> p = el("a").followedBy(Pattern.anyOf(el("b"), el("c"))).within(Duration.ofMillis(3));
        assertEquals(List.of("{a=[a2], c=[c1]}"), matches(p, "a1 x x a2 c1"));
    }

    @Test
    void shouldRejectAGapWindowOnTheFirstElementOfABranch() {
        assertRejectedOnCompile("c", "cannot have a gap window", el("a").next(Pattern.anyOf(el("b"),
                el("c").within(Duration.ofMillis(5), WithinType.PREVIOUS_AND_CURRENT))));
    }

    @Test
    void shouldRejectAGapWindowRightAfterAnAlternationThatMayTakeFewerRounds() {
        assertRejectedOnCompile("d", "gap window cannot come right after", el("a").next(Pattern.anyOf(el("b"), el("c")))
                .times(1, 2).next("d").within(Duration.ofMillis(5), WithinType.PREVIOUS_AND_CURRENT));
    }

    @Test
    void shouldRejectABranchThatCanTakeNoEvent() {
        assertRejectedOnCompile("c", "can take no event", el("a").next(Pattern.anyOf(el("b"), el("c").optional())));
    }

    @Test
    void shouldRejectNotFollowedByAtTheEndOfABranch() {
        assertRejectedOnCompile("x", "notFollowedBy cannot end a branch",
                el("a").next(Pattern.anyOf(el("b"), el("c").notFollowedBy("x").where(type('x')))).next("d"));
    }

    @Test
    void shouldRejectANotElementRightBeforeAnAlternation() {
        assertRejectedOnCompile("x", "right before the alternation",
                el("a").notFollowedBy("x").where(type('x')).followedBy(Pattern.anyOf(el("b"), el("c"))));
    }

    @Test
    void shouldRejectANotElementRightAfterAnAlternationThatMayTakeFewerRounds() {
        assertRejectedOnCompile("x", "right after the alternation",
                el("a").next(Pattern.anyOf(el("b"), el("c"))).times(1, 2).notNext("x").where(type('x')));
    }

    @Test
    void shouldRejectNotFollowedByAfterAQuantifiedAlternation() {
        assertRejectedOnCompile("x", "cannot follow the quantified alternation",
                el("a").next(Pattern.anyOf(el("b"), el("c"))).times(2).notFollowedBy("x").where(type('x'))
                        .followedBy("d"));
    }

    @Test
    void shouldRejectNotNextEndingABranchOfAnOptionalAlternation() {
        assertRejectedOnCompile("x", "notNext cannot end a branch",
                el("a").next(Pattern.anyOf(el("b"), el("c").notNext("x").where(type('x')))).times(1, 2));
    }

    @Test
    void shouldRejectAGreedyElementEndingABranchOfALoopingAlternation() {
        assertRejectedOnCompile("c", "cannot end with a greedy element",
                el("a").next(Pattern.anyOf(el("b"), el("c").oneOrMore().greedy())).oneOrMore());
    }

    @Test
    void shouldRejectAnOptionalAlternationOrRoundAfterAGreedyElement() {
        assertMalformed("anyOf(b | c)", "cannot follow the greedy element",
                () -> el("a").oneOrMore().greedy().next(Pattern.anyOf(el("b"), el("c"))).optional());
        // a group hides the greedy element from that check; the compiler sees it
        assertRejectedOnCompile("a", "cannot be followed by an optional alternation",
                Pattern.<Ev>begin(el("a").oneOrMore().greedy()).next(Pattern.anyOf(el("b"), el("c"))).optional());
        assertRejectedOnCompile("c", "cannot be followed by an optional alternation",
                Pattern.anyOf(el("b"), el("c").oneOrMore().greedy()).times(1, 2));
    }

    @Test
    void shouldLetAGreedyElementBeforeAnAlternationHoldBackEveryBranch() {
        // a+ (greedy) takes every a it can: no branch starts on an a while the loop can take it
        Pattern<Ev> p = el("a").oneOrMore().greedy().next(Pattern.anyOf(
                Pattern.<Ev>begin("p").where(e -> e.name().startsWith("a") || e.name().startsWith("b")), el("c")));
        assertEquals(List.of("{a=[a1, a2], p=[b1]}", "{a=[a2], p=[b1]}"), matches(p, "a1 a2 b1"));
    }
}
