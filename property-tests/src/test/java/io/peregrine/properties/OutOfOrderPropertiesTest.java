package io.peregrine.properties;

import io.peregrine.dsl.Program;
import io.peregrine.testkit.Disorder;
import io.peregrine.testkit.ProgramAssertions;
import io.peregrine.testkit.RunResult;
import io.peregrine.testkit.StreamEvents;
import io.peregrine.testkit.TestEvent;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Arrival order and lateness over random programs: any order within the watermark bound gives the
 * rows of event-time order, byte for byte; events beyond the bound go to the late output, exactly
 * those, and change nothing that is emitted; worker threads change nothing.
 */
class OutOfOrderPropertiesTest {

    record Case(Program program, List<TestEvent> events) {
        @Override
        public String toString() {
            return program.source().text() + "\nevents: " + events;
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(RandomPrograms.programs(), eventsFor()).as(Case::new);
    }

    private static Arbitrary<List<TestEvent>> eventsFor() {
        Program stream = RandomPrograms.compileOrNull(RandomPrograms.STREAM);
        return StreamEvents.of(stream, "tx").keys("card", 3).gaps(0, 2_500).list(4, 30);
    }

    @Property(tries = 150)
    void anyArrivalWithinTheBoundGivesTheSameRows(@ForAll("cases") Case c, @ForAll long seed) {
        RunResult r = ProgramAssertions.assertOrderInvariant(c.program(), c.events(), seed);
        // not vacuous: most programs match, and some time out
        Statistics.label("rows").collect(r.rows("p").isEmpty() ? "none" : "some");
        Statistics.label("rows").coverage(check -> check.check("some").percentage(p -> p >= 25));
        Statistics.label("feature sets").collect(c.program().featureSets().size());
        Statistics.label("feature sets").coverage(check -> check.check(2).percentage(p -> p >= 40));
    }

    @Property(tries = 100)
    void lateEventsGoToTheLateOutputAndChangeNothing(@ForAll("cases") Case c, @ForAll long seed,
                                                       @ForAll @IntRange(min = 1, max = 3) int late) {
        ProgramAssertions.assertLateEventsIsolated(c.program(), c.events(), late, seed);
    }

    @Property(tries = 12)
    void workerThreadsChangeNothing(@ForAll("cases") Case c, @ForAll long seed) {
        List<TestEvent> arrival = Disorder.boundedShuffle(c.program(), c.events(), seed);
        ProgramAssertions.assertParallelismInvariant(c.program(), arrival, 1, 2, 4);
    }
}
