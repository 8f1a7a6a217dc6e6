package io.peregrine.cep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link EventTimeSorter}: release order, the watermark bound, and bookkeeping. */
class EventTimeSorterTest {

    private static List<String> release(EventTimeSorter<String> sorter, long watermark) {
        List<String> out = new ArrayList<>();
        int n = sorter.releaseUpTo(watermark, (e, ts) -> out.add(e + "@" + ts));
        assertEquals(out.size(), n);
        return out;
    }

    @Test
    void shouldReleaseByTimestampThenByArrival() {
        EventTimeSorter<String> sorter = new EventTimeSorter<>();
        sorter.add("c", 3);
        sorter.add("a1", 1);
        sorter.add("b1", 2);
        sorter.add("a2", 1);
        sorter.add("b2", 2);
        sorter.add("a3", 1);
        assertEquals(List.of("a1@1", "a2@1", "a3@1", "b1@2", "b2@2", "c@3"), release(sorter, 10));
        assertTrue(sorter.isEmpty());
    }

    @Test
    void shouldReleaseOnlyUpToAndIncludingTheWatermark() {
        EventTimeSorter<String> sorter = new EventTimeSorter<>();
        sorter.add("x5", 5);
        sorter.add("x2", 2);
        sorter.add("x3", 3);
        sorter.add("x7", 7);
        assertEquals(List.of(), release(sorter, 1));
        assertEquals(List.of("x2@2", "x3@3"), release(sorter, 3));
        assertEquals(2, sorter.size());
        assertEquals(5, sorter.earliestTimestamp());
        assertEquals(List.of("x5@5"), release(sorter, 6));
        assertEquals(List.of("x7@7"), release(sorter, Long.MAX_VALUE));
    }

    @Test
    void shouldKeepArrivalOrderForEqualTimestampsAddedAcrossReleases() {
        EventTimeSorter<String> sorter = new EventTimeSorter<>();
        sorter.add("a", 5);
        sorter.add("early", 1);
        assertEquals(List.of("early@1"), release(sorter, 1));
        sorter.add("b", 5);
        sorter.add("c", 4);
        sorter.add("d", 5);
        assertEquals(List.of("c@4", "a@5", "b@5", "d@5"), release(sorter, 5));
    }

    @Test
    void shouldReportEarliestTimestampAndEmptiness() {
        EventTimeSorter<String> sorter = new EventTimeSorter<>(1);
        assertEquals(Long.MAX_VALUE, sorter.earliestTimestamp());
        assertTrue(sorter.isEmpty());
        assertEquals(0, sorter.size());
        sorter.add("b", 9);
        sorter.add("a", -4);
        assertEquals(-4, sorter.earliestTimestamp());
        assertFalse(sorter.isEmpty());
        assertEquals(2, sorter.size());
        release(sorter, Long.MAX_VALUE);
        assertEquals(Long.MAX_VALUE, sorter.earliestTimestamp());
    }

    @Test
    void shouldHandleExtremeTimestamps() {
        EventTimeSorter<String> sorter = new EventTimeSorter<>();
        sorter.add("max", Long.MAX_VALUE);
        sorter.add("min", Long.MIN_VALUE);
        sorter.add("zero", 0);
        assertEquals(List.of("min@" + Long.MIN_VALUE, "zero@0"), release(sorter, 0));
        assertEquals(List.of("max@" + Long.MAX_VALUE), release(sorter, Long.MAX_VALUE));
    }

    /** The reference: a stable sort by timestamp of what is pending, released up to each watermark. */
    static List<String> stableSortReference(List<long[]> steps) {
        List<long[]> pending = new ArrayList<>();
        List<String> out = new ArrayList<>();
        for (long[] step : steps) {
            if (step[0] == 0) {
                pending.add(new long[] {step[1], step[2]});
            } else {
                List<long[]> due = new ArrayList<>();
                for (long[] p : pending) {
                    if (p[0] <= step[1]) {
                        due.add(p);
                    }
                }
                pending.removeAll(due);
                due.sort(Comparator.comparingLong((long[] a) -> a[0])); // List.sort is stable
                for (long[] d : due) {
                    out.add(d[1] + "@" + d[0]);
                }
            }
        }
        return out;
    }

    /** Runs the sorter over steps: {0, ts, id} adds event id at ts; {1, watermark} releases. */
    static List<String> runSorter(List<long[]> steps, int initialCapacity) {
        EventTimeSorter<Long> sorter = new EventTimeSorter<>(initialCapacity);
        List<String> out = new ArrayList<>();
        for (long[] step : steps) {
            if (step[0] == 0) {
                sorter.add(step[2], step[1]);
            } else {
                sorter.releaseUpTo(step[1], (e, ts) -> out.add(e + "@" + ts));
            }
        }
        return out;
    }

    @Test
    void shouldMatchAStableSortOnManyRandomInputs() {
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            List<long[]> steps = new ArrayList<>();
            int n = random.nextInt(400);
            int range = 1 + random.nextInt(60);
            long watermark = Long.MIN_VALUE;
            for (int i = 0; i < n; i++) {
                steps.add(new long[] {0, random.nextInt(range), i});
                if (random.nextInt(8) == 0) {
                    // watermarks only move forward
                    watermark = Math.max(watermark, random.nextInt(range));
                    steps.add(new long[] {1, watermark});
                }
            }
            steps.add(new long[] {1, Long.MAX_VALUE});
            List<String> expected = stableSortReference(steps);
            assertEquals(n, expected.size());
            assertEquals(expected, runSorter(steps, random.nextInt(5)), "round " + round);
        }
    }

    @Test
    void sortedOutOfOrderArrivalsGiveTheSameMatchesAsInOrderInput() {
        Pattern<CepTestKit.Ev> pattern = CepTestKit.begin("a").followedByAny("b").where(CepTestKit.named("b"))
                .within(java.time.Duration.ofMillis(6));
        List<CepTestKit.Ev> inOrder = CepTestKit.events("a1@1 b1@2 a2@4 x@4 b2@5 a3@7 b3@9 b4@14");
        List<String> expected = CepTestKit.run(pattern, inOrder, Long.MAX_VALUE).matches();
        assertEquals(List.of("{a=[a1], b=[b1]}", "{a=[a1], b=[b2]}", "{a=[a2], b=[b2]}", "{a=[a2], b=[b3]}",
                "{a=[a3], b=[b3]}"), expected);
        Random random = new Random(7);
        int compared = 0;
        for (int round = 0; round < 50; round++) {
            // shuffle within a 3 ms out-of-orderness bound: sort by ts + jitter, keep equal-ts arrivals in order
            List<CepTestKit.Ev> arrivals = new ArrayList<>(inOrder);
            long[] jitter = new long[arrivals.size()];
            for (int i = 0; i < jitter.length; i++) {
                jitter[i] = random.nextInt(4);
            }
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < arrivals.size(); i++) {
                idx.add(i);
            }
            idx.sort(Comparator.comparingLong(i -> arrivals.get(i).ts() + jitter[i]));
            // equal timestamps must keep their relative order for the answer to be the same
            List<CepTestKit.Ev> shuffled = new ArrayList<>();
            for (int i : idx) {
                shuffled.add(arrivals.get(i));
            }
            if (!sameTimestampOrderKept(inOrder, shuffled)) {
                continue;
            }
            Nfa<CepTestKit.Ev> nfa = Nfa.compile(pattern);
            NfaState<CepTestKit.Ev> state = nfa.newState();
            Recorder<CepTestKit.Ev> rec = new Recorder<>();
            EventTimeSorter<CepTestKit.Ev> sorter = new EventTimeSorter<>();
            long maxSeen = Long.MIN_VALUE;
            for (CepTestKit.Ev e : shuffled) {
                sorter.add(e, e.ts());
                maxSeen = Math.max(maxSeen, e.ts());
                long watermark = maxSeen - 4; // bound 3 ms: nothing later can be at or below this
                sorter.releaseUpTo(watermark, (ev, ts) -> nfa.process(state, ev, ts, rec));
                nfa.advanceTime(state, watermark, rec);
            }
            sorter.releaseUpTo(Long.MAX_VALUE, (ev, ts) -> nfa.process(state, ev, ts, rec));
            nfa.advanceTime(state, Long.MAX_VALUE, rec);
            assertEquals(expected, rec.matches, "arrival order " + shuffled);
            compared++;
        }
        assertTrue(compared >= 20, compared + " arrival orders compared");
    }

    private static boolean sameTimestampOrderKept(List<CepTestKit.Ev> inOrder, List<CepTestKit.Ev> shuffled) {
        for (int i = 0; i < inOrder.size(); i++) {
            for (int j = i + 1; j < inOrder.size(); j++) {
                if (inOrder.get(i).ts() == inOrder.get(j).ts()
                        && shuffled.indexOf(inOrder.get(i)) > shuffled.indexOf(inOrder.get(j))) {
                    return false;
                }
            }
        }
        return true;
    }
}
