package io.peregrine.cep;

import static io.peregrine.cep.CepTestKit.begin;
import static io.peregrine.cep.CepTestKit.expect;
import static io.peregrine.cep.CepTestKit.named;

import io.peregrine.cep.CepTestKit.Ev;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regression examples for divergences from FlinkCEP 2.3.0 that the differential tests found (a
 * seeded random comparison since folded into {@link FlinkDifferentialPropertiesTest}) and that are
 * now fixed. Each test first checks FlinkCEP against the expected value, then Peregrine.
 */
class FlinkDivergenceRegressionTest {

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    // ------------------------------------------------------------------ advanceTime(t) right after events at t

    /**
     * Processing x@5 branches the loop's run into the followedByAny state of b, which has a 2 ms gap
     * window, while keeping a1's timestamp as the previous one: that run is already past 1 + 2. FlinkCEP's
     * operator advances time to the watermark (5) after processing the events at 5 and times it out
     * there; Peregrine once ignored {@code advanceTime(5)} because it had already advanced to 5 before x.
     */
    @Test
    void gapTimeoutOfARunCreatedAtTheWatermarksTimestampIsEmittedByAdvanceTimeToThatTimestamp() {
        Pattern<Ev> p = begin("a").oneOrMore().followedByAny("b").where(named("b"))
                .within(ms(2), WithinType.PREVIOUS_AND_CURRENT);
        expect(p, "a1@1 x@5", 5, List.of(), List.of("{a=[a1]}@3"));
    }

    /** Same cause: a trailing notFollowedBy with a gap window completes at watermark 5 in FlinkCEP. */
    @Test
    void trailingNotFollowedByWithGapCompletesAtAWatermarkEqualToTheLastEventsTimestamp() {
        Pattern<Ev> p = begin("a").oneOrMore().notFollowedBy("x").where(named("x"))
                .within(ms(2), WithinType.PREVIOUS_AND_CURRENT);
        expect(p, "a1@1 c@5", 5, List.of("{a=[a1]}"), List.of());
    }
}
