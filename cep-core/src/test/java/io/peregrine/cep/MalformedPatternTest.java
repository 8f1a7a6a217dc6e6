package io.peregrine.cep;

import static io.peregrine.cep.CepTestKit.begin;
import static io.peregrine.cep.CepTestKit.named;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.cep.CepTestKit.Ev;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Patterns that cannot work are rejected, while building or when compiling, with a
 * {@link MalformedPatternException} whose message names the offending element.
 */
class MalformedPatternTest {

    private static void assertMalformed(String element, Executable build) {
        MalformedPatternException e = assertThrows(MalformedPatternException.class, build);
        assertTrue(e.getMessage().contains("'" + element + "'"),
                "message should name '" + element + "': " + e.getMessage());
    }

    private static void assertMalformedOnCompile(String element, Pattern<Ev> pattern) {
        assertMalformed(element, () -> Nfa.compile(pattern));
    }

    @Test
    void notFollowedByAsLastElementWithoutWindowIsRejected() {
        assertMalformedOnCompile("x", begin("a").notFollowedBy("x").where(named("x")));
    }

    @Test
    void notFollowedByAsLastElementWithWindowIsAccepted() {
        assertDoesNotThrow(() -> Nfa.compile(begin("a").notFollowedBy("x").where(named("x"))
                .within(Duration.ofMillis(5))));
    }

    @Test
    void notNextAfterOptionalIsRejected() {
        assertMalformed("x", () -> begin("a").optional().notNext("x"));
    }

    @Test
    void notFollowedByAfterOptionalIsRejected() {
        assertMalformed("x", () -> begin("a").followedBy("b").optional().notFollowedBy("x"));
    }

    @Test
    void notFollowedByAfterOptionalMessageAlsoNamesTheOptionalElement() {
        MalformedPatternException e = assertThrows(MalformedPatternException.class,
                () -> begin("a").followedBy("b").optional().notFollowedBy("x"));
        assertTrue(e.getMessage().contains("'b'"), e.getMessage());
    }

    @Test
    void timesZeroIsRejected() {
        assertMalformed("b", () -> begin("a").followedBy("b").times(0));
    }

    @Test
    void timesRangeFromZeroToZeroIsRejected() {
        assertMalformed("b", () -> begin("a").followedBy("b").times(0, 0));
    }

    @Test
    void timesRangeWithToBelowFromIsRejected() {
        assertMalformed("b", () -> begin("a").followedBy("b").times(3, 2));
    }

    @Test
    void timesOrMoreZeroIsRejected() {
        assertMalformed("b", () -> begin("a").followedBy("b").timesOrMore(0));
    }

    @Test
    void duplicateNamesAreRejected() {
        assertMalformedOnCompile("a", begin("a").followedBy("b").followedBy("a"));
    }

    @Test
    void duplicateNamesAcrossAGroupAreRejected() {
        assertMalformedOnCompile("x", begin("x").followedBy(Pattern.<Ev>begin("x").next("y")).times(2));
    }

    @Test
    void untilOnANonLoopingElementIsRejected() {
        assertMalformed("b", () -> begin("a").followedBy("b").until(named("x")));
        assertMalformed("b", () -> begin("a").followedBy("b").times(2).until(named("x")));
    }

    @Test
    void greedyOnASingletonIsRejected() {
        assertMalformed("b", () -> begin("a").followedBy("b").greedy());
    }

    @Test
    void consecutiveWithAllowCombinationsIsRejectedInEitherOrder() {
        assertMalformed("b", () -> begin("a").followedBy("b").oneOrMore().consecutive().allowCombinations());
        assertMalformed("b", () -> begin("a").followedBy("b").oneOrMore().allowCombinations().consecutive());
    }

    @Test
    void consecutiveOnASingletonIsRejected() {
        assertMalformed("b", () -> begin("a").followedBy("b").consecutive());
    }

    @Test
    void skipToFirstNamingAnUnknownElementIsRejected() {
        assertMalformedOnCompile("zzz", begin("a", AfterMatchSkipStrategy.skipToFirst("zzz")).followedBy("b"));
    }

    @Test
    void skipToLastNamingAnUnknownElementIsRejected() {
        assertMalformedOnCompile("zzz", begin("a", AfterMatchSkipStrategy.skipToLast("zzz")).followedBy("b"));
    }

    @Test
    void gapWindowLongerThanThePatternWindowIsRejected() {
        assertMalformedOnCompile("b", begin("a").followedBy("b").within(Duration.ofMillis(10),
                WithinType.PREVIOUS_AND_CURRENT).within(Duration.ofMillis(5)));
    }

    @Test
    void gapWindowEqualToThePatternWindowIsAccepted() {
        assertDoesNotThrow(() -> Nfa.compile(begin("a").followedBy("b").within(Duration.ofMillis(5),
                WithinType.PREVIOUS_AND_CURRENT).within(Duration.ofMillis(5))));
    }

    @Test
    void loopingGroupWhoseElementsAreAllOptionalIsRejected() {
        Pattern<Ev> group = Pattern.<Ev>begin("x").where(named("x")).optional()
                .followedBy("y").where(named("y")).optional();
        MalformedPatternException e = assertThrows(MalformedPatternException.class,
                () -> Nfa.compile(begin("s").followedBy(group).oneOrMore().followedBy("e").where(named("e"))));
        assertTrue(e.getMessage().contains("'x'") || e.getMessage().contains("'y'"), e.getMessage());
    }

    @Test
    void nonPositiveWindowIsRejected() {
        assertMalformed("a", () -> begin("a").within(Duration.ZERO));
    }

    @Test
    void optionalAppliedTwiceIsRejected() {
        assertMalformed("b", () -> begin("a").followedBy("b").optional().optional());
    }

    @Test
    void quantifierAppliedTwiceIsRejected() {
        assertMalformed("b", () -> begin("a").followedBy("b").oneOrMore().times(2));
    }

    @Test
    void quantifierOnANotElementIsRejected() {
        assertMalformed("x", () -> begin("a").notNext("x").oneOrMore());
    }

    @Test
    void optionalNotElementIsRejected() {
        assertMalformed("x", () -> begin("a").notFollowedBy("x").optional());
    }

    @Test
    void emptyOrReservedNamesAreRejected() {
        assertThrows(MalformedPatternException.class, () -> Pattern.<Ev>begin(""));
        assertMalformed("a:b", () -> Pattern.<Ev>begin("a:b"));
        assertMalformed("$x", () -> Pattern.<Ev>begin("$x"));
    }
}
