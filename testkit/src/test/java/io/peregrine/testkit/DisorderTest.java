package io.peregrine.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.dsl.Program;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class DisorderTest {

    static final Program PROGRAM = KitExampleTest.PROGRAM;

    @Provide
    Arbitrary<List<TestEvent>> events() {
        return StreamEvents.of(PROGRAM, "transactions").keys("card", 2).gaps(0, 4_000).list(0, 25);
    }

    @Property(tries = 300)
    void aBoundedShuffleIsAPermutationWithNothingLate(@ForAll("events") List<TestEvent> events, @ForAll long seed) {
        List<TestEvent> arrival = Disorder.boundedShuffle(PROGRAM, events, seed);
        assertEquals(sorted(events), sorted(arrival));
        long max = Long.MIN_VALUE;
        for (TestEvent e : arrival) {
            long watermark = max == Long.MIN_VALUE ? Long.MIN_VALUE : max - 2_000 - 1;
            assertTrue(e.timestamp() > watermark, () -> e + " is late in " + arrival);
            max = Math.max(max, e.timestamp());
        }
        assertEquals(List.of(), ProgramRunner.run(PROGRAM, arrival).late());
    }

    @Property(tries = 200)
    void injectedEventsAreExactlyTheLateOnes(@ForAll("events") List<TestEvent> events, @ForAll long seed) {
        Disorder.LateInjection injection = Disorder.injectLate(PROGRAM, Disorder.boundedShuffle(PROGRAM, events, seed),
                2, seed);
        assertEquals(events.size(), injection.arrival().size());
        assertEquals(injection.late(), ProgramRunner.run(PROGRAM, injection.arrival()).late());
    }

    @Test
    void generatedEventsFollowTheSchema() {
        List<TestEvent> events = StreamEvents.of(PROGRAM, "transactions").keys("card", 1).gaps(1_000, 1_000)
                .values("amount", net.jqwik.api.Arbitraries.just(12.5)).list(2, 2)
                .sampleStream().findFirst().orElseThrow();
        assertEquals("{\"card\":\"k0\",\"amount\":12.5,\"ts\":1767225600000}", events.get(0).json());
        assertEquals(1_767_225_601_000L, events.get(1).timestamp());
    }

    @Test
    void aDifferenceIsReportedWithItsPlace() {
        RunResult a = new RunResult(Map.of("p", List.of("x", "y")), Map.of(), List.of(), 0);
        RunResult b = new RunResult(Map.of("p", List.of("x", "z")), Map.of(), List.of(), 0);
        AssertionError e = assertThrows(AssertionError.class, () -> ProgramAssertions.expectSameRows(a, b, "test"));
        assertTrue(e.getMessage().startsWith("rows of p differ at 1:\n  expected y\n  but was  z"), e.getMessage());
    }

    private static List<String> sorted(List<TestEvent> events) {
        List<String> s = new ArrayList<>();
        for (TestEvent e : events) {
            s.add(e.timestamp() + e.json());
        }
        s.sort(Comparator.naturalOrder());
        return s;
    }
}
