package io.peregrine.cep;

import static io.peregrine.cep.CepTestKit.begin;
import static io.peregrine.cep.CepTestKit.expectMatches;
import static io.peregrine.cep.CepTestKit.named;

import io.peregrine.cep.CepTestKit.Ev;
import org.junit.jupiter.api.Test;

/**
 * The worked examples of FlinkCEP's documentation (contiguity, looping contiguity, consecutive,
 * allowCombinations, the after-match skip table). Each expected list is exactly what FlinkCEP 2.3.0
 * emits, in its order: every test also runs FlinkCEP itself on the same input and checks that.
 */
class FlinkDocExamplesTest {

    private static final String A_C_B1_B2 = "a c b1 b2";
    private static final String LOOP_INPUT = "a b1 d1 b2 d2 b3 c";
    private static final String C_D_A1_A2_A3_D_A4_B = "c d a1 a2 a3 d a4 b";

    // ------------------------------------------------------------------ contiguity: "a b" over a c b1 b2

    @Test
    void strictContiguityFindsNothingWhenAnEventIntervenes() {
        expectMatches(begin("a").next("b").where(named("b")), A_C_B1_B2);
    }

    @Test
    void relaxedContiguityTakesTheFirstMatchingEventOnly() {
        expectMatches(begin("a").followedBy("b").where(named("b")), A_C_B1_B2, "{a=[a], b=[b1]}");
    }

    @Test
    void nonDeterministicRelaxedContiguityTakesEveryLaterMatchingEvent() {
        expectMatches(begin("a").followedByAny("b").where(named("b")), A_C_B1_B2,
                "{a=[a], b=[b1]}", "{a=[a], b=[b2]}");
    }

    // ------------------------------------------------------------------ looping "a b+ c" over a b1 d1 b2 d2 b3 c

    private static Pattern<Ev> loop(Pattern<Ev> b) {
        return b.followedBy("c").where(named("c"));
    }

    @Test
    void loopWithStrictInnerContiguityKeepsOnlyRunsWithoutGaps() {
        expectMatches(loop(begin("a").followedBy("b").where(named("b")).oneOrMore().consecutive()), LOOP_INPUT,
                "{a=[a], b=[b1], c=[c]}");
    }

    @Test
    void loopWithRelaxedInnerContiguitySkipsNonMatchingEvents() {
        expectMatches(loop(begin("a").followedBy("b").where(named("b")).oneOrMore()), LOOP_INPUT,
                "{a=[a], b=[b1, b2, b3], c=[c]}",
                "{a=[a], b=[b1], c=[c]}",
                "{a=[a], b=[b1, b2], c=[c]}");
    }

    @Test
    void loopWithNonDeterministicInnerContiguityAlsoSkipsMatchingEvents() {
        expectMatches(loop(begin("a").followedBy("b").where(named("b")).oneOrMore().allowCombinations()), LOOP_INPUT,
                "{a=[a], b=[b1, b2, b3], c=[c]}",
                "{a=[a], b=[b1], c=[c]}",
                "{a=[a], b=[b1, b3], c=[c]}",
                "{a=[a], b=[b1, b2], c=[c]}");
    }

    @Test
    void loopAfterFollowedByAnyWithStrictInnerContiguityStartsAtEachB() {
        expectMatches(loop(begin("a").followedByAny("b").where(named("b")).oneOrMore().consecutive()), LOOP_INPUT,
                "{a=[a], b=[b1], c=[c]}",
                "{a=[a], b=[b3], c=[c]}",
                "{a=[a], b=[b2], c=[c]}");
    }

    @Test
    void loopAfterFollowedByAnyWithRelaxedInnerContiguity() {
        expectMatches(loop(begin("a").followedByAny("b").where(named("b")).oneOrMore()), LOOP_INPUT,
                "{a=[a], b=[b1, b2, b3], c=[c]}",
                "{a=[a], b=[b3], c=[c]}",
                "{a=[a], b=[b2], c=[c]}",
                "{a=[a], b=[b2, b3], c=[c]}",
                "{a=[a], b=[b1], c=[c]}",
                "{a=[a], b=[b1, b2], c=[c]}");
    }

    @Test
    void loopAfterFollowedByAnyWithNonDeterministicInnerContiguityFindsEverySubsequence() {
        expectMatches(loop(begin("a").followedByAny("b").where(named("b")).oneOrMore().allowCombinations()),
                LOOP_INPUT,
                "{a=[a], b=[b1, b2, b3], c=[c]}",
                "{a=[a], b=[b3], c=[c]}",
                "{a=[a], b=[b2], c=[c]}",
                "{a=[a], b=[b2, b3], c=[c]}",
                "{a=[a], b=[b1], c=[c]}",
                "{a=[a], b=[b1, b3], c=[c]}",
                "{a=[a], b=[b1, b2], c=[c]}");
    }

    // ------------------------------------------------------------------ consecutive / allowCombinations examples

    private static Pattern<Ev> cAb(Pattern<Ev> a) {
        return a.followedBy("b").where(named("b"));
    }

    @Test
    void consecutiveExampleStopsTheLoopAtTheFirstNonMatchingEvent() {
        expectMatches(cAb(begin("c").followedBy("a").where(named("a")).oneOrMore().consecutive()),
                C_D_A1_A2_A3_D_A4_B,
                "{c=[c], a=[a1, a2, a3], b=[b]}",
                "{c=[c], a=[a1], b=[b]}",
                "{c=[c], a=[a1, a2], b=[b]}");
    }

    @Test
    void relaxedLoopExampleSkipsTheNonMatchingEvent() {
        expectMatches(cAb(begin("c").followedBy("a").where(named("a")).oneOrMore()), C_D_A1_A2_A3_D_A4_B,
                "{c=[c], a=[a1, a2, a3, a4], b=[b]}",
                "{c=[c], a=[a1], b=[b]}",
                "{c=[c], a=[a1, a2], b=[b]}",
                "{c=[c], a=[a1, a2, a3], b=[b]}");
    }

    @Test
    void allowCombinationsExampleEmitsEveryCombinationStartingAtA1() {
        expectMatches(cAb(begin("c").followedBy("a").where(named("a")).oneOrMore().allowCombinations()),
                C_D_A1_A2_A3_D_A4_B,
                "{c=[c], a=[a1, a2, a3, a4], b=[b]}",
                "{c=[c], a=[a1], b=[b]}",
                "{c=[c], a=[a1, a4], b=[b]}",
                "{c=[c], a=[a1, a3], b=[b]}",
                "{c=[c], a=[a1, a3, a4], b=[b]}",
                "{c=[c], a=[a1, a2], b=[b]}",
                "{c=[c], a=[a1, a2, a4], b=[b]}",
                "{c=[c], a=[a1, a2, a3], b=[b]}");
    }

    // ------------------------------------------------------------------ skip table: "b+ c" over b1 b2 b3 c

    private static Pattern<Ev> bPlusC(AfterMatchSkipStrategy skip) {
        return begin("b", skip).oneOrMore().next("c").where(named("c"));
    }

    @Test
    void skipTableNoSkip() {
        expectMatches(bPlusC(AfterMatchSkipStrategy.noSkip()), "b1 b2 b3 c",
                "{b=[b1, b2, b3], c=[c]}", "{b=[b2, b3], c=[c]}", "{b=[b3], c=[c]}");
    }

    @Test
    void skipTableSkipToNext() {
        expectMatches(bPlusC(AfterMatchSkipStrategy.skipToNext()), "b1 b2 b3 c",
                "{b=[b1, b2, b3], c=[c]}", "{b=[b2, b3], c=[c]}", "{b=[b3], c=[c]}");
    }

    @Test
    void skipTableSkipPastLastEvent() {
        expectMatches(bPlusC(AfterMatchSkipStrategy.skipPastLastEvent()), "b1 b2 b3 c", "{b=[b1, b2, b3], c=[c]}");
    }

    @Test
    void skipTableSkipToFirstB() {
        // the documentation's table lists "b1 b2 b3 c, b2 b3 c, b3 c", but FlinkCEP 2.3.0 itself emits
        // only the first: skipping to b1 prunes nothing, so the loop started at b1 stays open (it may
        // take more b's) and the later matches wait behind it forever (there is no window)
        expectMatches(bPlusC(AfterMatchSkipStrategy.skipToFirst("b")), "b1 b2 b3 c", "{b=[b1, b2, b3], c=[c]}");
    }

    @Test
    void skipTableSkipToLastB() {
        expectMatches(bPlusC(AfterMatchSkipStrategy.skipToLast("b")), "b1 b2 b3 c",
                "{b=[b1, b2, b3], c=[c]}", "{b=[b3], c=[c]}");
    }

    // ------------------------------------------------------------------ NO_SKIP vs SKIP_TO_NEXT: "a b+" over a b1 b2 b3

    @Test
    void noSkipEmitsEveryGrowingMatchOfABPlus() {
        expectMatches(begin("a").next("b").where(named("b")).oneOrMore(), "a b1 b2 b3",
                "{a=[a], b=[b1]}", "{a=[a], b=[b1, b2]}", "{a=[a], b=[b1, b2, b3]}");
    }

    @Test
    void skipToNextEmitsOnlyTheFirstMatchOfABPlus() {
        expectMatches(begin("a", AfterMatchSkipStrategy.skipToNext()).next("b").where(named("b")).oneOrMore(),
                "a b1 b2 b3", "{a=[a], b=[b1]}");
    }

    // ------------------------------------------------------------------ "(a | b | c) (b | c) c+.greedy d" over a b c1 c2 c3 d

    private static Pattern<Ev> abcd(AfterMatchSkipStrategy skip) {
        return Pattern.<Ev>begin("x", skip).where(named("a")).or(named("b")).or(named("c"))
                .next("y").where(named("b")).or(named("c"))
                .next("c").where(named("c")).oneOrMore().greedy()
                .next("d").where(named("d"));
    }

    @Test
    void noSkipOnTheGreedyExampleEmitsThreeMatches() {
        expectMatches(abcd(AfterMatchSkipStrategy.noSkip()), "a b c1 c2 c3 d",
                "{x=[a], y=[b], c=[c1, c2, c3], d=[d]}",
                "{x=[b], y=[c1], c=[c2, c3], d=[d]}",
                "{x=[c1], y=[c2], c=[c3], d=[d]}");
    }

    @Test
    void skipToFirstCResumesAtTheFirstC() {
        expectMatches(abcd(AfterMatchSkipStrategy.skipToFirst("c")), "a b c1 c2 c3 d",
                "{x=[a], y=[b], c=[c1, c2, c3], d=[d]}",
                "{x=[c1], y=[c2], c=[c3], d=[d]}");
    }

    @Test
    void skipToLastCDiscardsEveryPartialMatchStartedBeforeTheLastC() {
        expectMatches(abcd(AfterMatchSkipStrategy.skipToLast("c")), "a b c1 c2 c3 d",
                "{x=[a], y=[b], c=[c1, c2, c3], d=[d]}");
    }
}
