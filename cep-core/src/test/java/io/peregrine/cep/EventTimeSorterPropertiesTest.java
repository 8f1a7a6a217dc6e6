package io.peregrine.cep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of {@link EventTimeSorter} against a stable sort: for any interleaving of adds and
 * (monotone or not) watermarks, the released sequence is what stably sorting each watermark's due
 * events by timestamp gives, and nothing is lost or duplicated.
 */
class EventTimeSorterPropertiesTest {

    /** A step: add (timestamp) or release (watermark). */
    record Step(boolean release, long time) {}

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Long> times = Arbitraries.oneOf(
                Arbitraries.longs().between(-5, 30),
                Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L));
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 5), times)
                .as((kind, t) -> new Step(kind == 0, t));
        return step.list().ofMaxSize(200);
    }

    private static List<long[]> toSteps(List<Step> steps, boolean drainAtEnd) {
        List<long[]> out = new ArrayList<>();
        long id = 0;
        for (Step s : steps) {
            out.add(s.release() ? new long[] {1, s.time()} : new long[] {0, s.time(), id++});
        }
        if (drainAtEnd) {
            out.add(new long[] {1, Long.MAX_VALUE});
        }
        return out;
    }

    @Property(tries = 300, seed = "20260101")
    void releasesWhatAStableSortReleases(@ForAll("steps") List<Step> steps,
            @ForAll @IntRange(min = 0, max = 8) int initialCapacity) {
        List<long[]> s = toSteps(steps, false);
        assertEquals(EventTimeSorterTest.stableSortReference(s), EventTimeSorterTest.runSorter(s, initialCapacity));
    }

    @Property(tries = 200, seed = "20260101")
    void releasesEveryEventExactlyOnceWhenDrained(@ForAll("steps") List<Step> steps) {
        List<long[]> s = toSteps(steps, true);
        long adds = steps.stream().filter(x -> !x.release()).count();
        List<String> out = EventTimeSorterTest.runSorter(s, 1);
        assertEquals(adds, out.size());
        assertEquals(adds, out.stream().distinct().count());
        assertEquals(EventTimeSorterTest.stableSortReference(s), out);
    }

    @Property(tries = 200, seed = "20260101")
    void earliestTimestampIsTheMinimumOfWhatIsHeld(@ForAll("steps") List<Step> steps) {
        EventTimeSorter<Long> sorter = new EventTimeSorter<>();
        List<Long> held = new ArrayList<>();
        long id = 0;
        for (Step s : steps) {
            if (s.release()) {
                sorter.releaseUpTo(s.time(), (e, ts) -> held.remove(Long.valueOf(ts)));
            } else {
                sorter.add(id++, s.time());
                held.add(s.time());
            }
            long min = held.stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
            assertEquals(min, sorter.earliestTimestamp());
            assertEquals(held.size(), sorter.size());
        }
    }
}
