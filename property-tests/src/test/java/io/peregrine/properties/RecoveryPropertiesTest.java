package io.peregrine.properties;

import io.peregrine.dsl.Program;
import io.peregrine.testkit.Disorder;
import io.peregrine.testkit.ProgramAssertions;
import io.peregrine.testkit.ProgramRunner;
import io.peregrine.testkit.StreamEvents;
import io.peregrine.testkit.TestEvent;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * State over random programs: heap and RocksDB give the same outputs, and a job stopped at any
 * record, savepointed and resumed at another parallelism on another backend publishes exactly what
 * an uninterrupted job does (nothing lost, nothing twice). Inputs are a few thousand events so that
 * the savepoint lands mid-input (the reader turns every 1,024 records), over 300 keys so that each
 * key sees about as many events as in the other properties (NO SKIP with followed-by-any grows
 * exponentially in a key's events; the kit draws keys uniformly for that reason).
 */
class RecoveryPropertiesTest {

    record Case(Program program, List<TestEvent> events) {
        @Override
        public String toString() {
            return program.source().text() + "\n" + events.size() + " events";
        }
    }

    @Provide
    Arbitrary<Case> small() {
        Program stream = RandomPrograms.compileOrNull(RandomPrograms.STREAM);
        return Combinators.combine(RandomPrograms.programs(),
                StreamEvents.of(stream, "tx").keys("card", 3).gaps(0, 2_500).list(4, 30)).as(Case::new);
    }

    @Provide
    Arbitrary<Case> large() {
        Program stream = RandomPrograms.compileOrNull(RandomPrograms.STREAM);
        return Combinators.combine(RandomPrograms.programs(),
                StreamEvents.of(stream, "tx").keys("card", 300).gaps(0, 40).list(2_000, 3_500)).as(Case::new);
    }

    @Property(tries = 10, shrinking = ShrinkingMode.OFF)
    void heapAndRocksDbGiveTheSameOutputs(@ForAll("small") Case c, @ForAll long seed) {
        ProgramAssertions.assertBackendInvariant(c.program(), Disorder.boundedShuffle(c.program(), c.events(), seed));
    }

    @Property(tries = 15, shrinking = ShrinkingMode.OFF)
    void aSavepointAnywhereLosesAndRepeatsNothing(@ForAll("large") Case c, @ForAll long seed,
                                                  @ForAll @IntRange(min = 0, max = 3_500) int stopAfter,
                                                  @ForAll @IntRange(min = 1, max = 2) int before,
                                                  @ForAll @IntRange(min = 1, max = 3) int after,
                                                  @ForAll boolean rocksDb) {
        List<TestEvent> arrival = Disorder.boundedShuffle(c.program(), c.events(), seed);
        ProgramRunner.Restored r = ProgramAssertions.assertRestoresAnywhere(c.program(), arrival, stopAfter, before, after,
                rocksDb ? ProgramRunner.Backend.ROCKSDB : ProgramRunner.Backend.HEAP);
        // not vacuous: rows on both sides of the savepoint
        boolean split = !r.before().rows().get("p").isEmpty() && !r.after().rows().get("p").isEmpty();
        Statistics.label("rows before and after the savepoint").collect(split);
        Statistics.label("rows before and after the savepoint").coverage(check -> check.check(true).count(n -> n >= 3));
    }

    @Provide
    Arbitrary<List<ProgramRunner.Stage>> chains() {
        Arbitrary<ProgramRunner.Stage> stop = Combinators.combine(Arbitraries.longs().between(0, 1_500),
                Arbitraries.integers().between(1, 3), Arbitraries.of(ProgramRunner.Backend.values())).as(ProgramRunner.Stage::new);
        Arbitrary<ProgramRunner.Stage> last = Combinators.combine(Arbitraries.integers().between(1, 3),
                Arbitraries.of(ProgramRunner.Backend.values())).as((p, b) -> new ProgramRunner.Stage(-1, p, b));
        return Combinators.combine(stop.list().ofMinSize(1).ofMaxSize(3), last).as((stops, end) -> {
            List<ProgramRunner.Stage> all = new java.util.ArrayList<>(stops);
            all.add(end);
            return all;
        });
    }

    @Property(tries = 8, shrinking = ShrinkingMode.OFF)
    void aChainOfStopsAndRestoresLosesAndRepeatsNothing(@ForAll("large") Case c, @ForAll long seed,
                                                        @ForAll("chains") List<ProgramRunner.Stage> chain) {
        // model-based: any sequence of stop, savepoint, restore at another parallelism and backend
        ProgramAssertions.assertSurvivesRestarts(c.program(), Disorder.boundedShuffle(c.program(), c.events(), seed), chain);
    }
}
