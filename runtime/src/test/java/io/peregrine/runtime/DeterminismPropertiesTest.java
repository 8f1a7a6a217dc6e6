package io.peregrine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.peregrine.dsl.Program;
import io.peregrine.dsl.Programs;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The output order guarantee: for any arrival order within the out-of-orderness bound, and any
 * watermarks along the way that make nothing late, every output is the same, byte for byte.
 */
class DeterminismPropertiesTest {

    static final String PROGRAM = """
            CREATE STREAM tx (card STRING, amount DOUBLE, country STRING, ts TIMESTAMP(3),
              WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH (format = 'json');

            CREATE PATTERN card_testing AS SELECT * FROM tx MATCH_RECOGNIZE (
              PARTITION BY card ORDER BY ts
              MEASURES FIRST(S.ts) AS first_small, B.ts AS big_ts, COUNT(S.*) AS smalls, MATCH_NUMBER() AS n
              AFTER MATCH SKIP PAST LAST ROW
              PATTERN (S{2,} B) WITHIN INTERVAL '1' MINUTE
              DEFINE S AS S.amount < 10, B AS B.amount > 50);

            CREATE PATTERN abroad AS SELECT * FROM tx MATCH_RECOGNIZE (
              PARTITION BY card ORDER BY ts
              MEASURES A.country AS home, C.country AS away, C.ts AS at
              AFTER MATCH SKIP TO NEXT ROW
              PATTERN (A -> C) WITHIN INTERVAL '30' SECOND EMIT TIMEOUTS
              DEFINE C AS C.country <> A.country);

            CREATE PATTERN busy_country AS SELECT * FROM tx MATCH_RECOGNIZE (
              PARTITION BY country ORDER BY ts
              MEASURES COUNT(*) AS n, LAST(X.ts) AS last_ts
              PATTERN (X{4}) WITHIN INTERVAL '10' SECOND
              DEFINE X AS X.amount > 0);
            """;

    static final Program COMPILED = compile(PROGRAM);

    static Program compile(String text) {
        try {
            return Programs.compile("determinism.pg", text);
        } catch (io.peregrine.dsl.DslException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    record Event(String card, double amount, String country, long ts) {
        String json() {
            return "{\"card\":\"" + card + "\",\"amount\":" + amount + ",\"country\":\"" + country + "\",\"ts\":" + ts + "}";
        }
    }

    static List<Event> events(long seed, int n) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Event> out = new ArrayList<>();
        long t = 1_700_000_000_000L;
        String[] countries = {"US", "US", "US", "CA", "MX"};
        for (int i = 0; i < n; i++) {
            t += 1 + rnd.nextInt(3_000); // distinct timestamps: no ties to order
            out.add(new Event("c" + rnd.nextInt(6), rnd.nextInt(4) == 0 ? 60 + rnd.nextInt(50) : rnd.nextInt(20),
                    countries[rnd.nextInt(countries.length)], t));
        }
        return out;
    }

    private static List<List<String>> run(List<Event> arrival, SplittableRandom watermarks) {
        try (JobTestDriver d = JobTestDriver.create(COMPILED)) {
            for (int i = 0; i < arrival.size(); i++) {
                d.pipeLines("tx", arrival.get(i).json());
                if (watermarks != null && watermarks.nextInt(5) == 0) {
                    // any watermark that makes none of the remaining events late
                    long min = Long.MAX_VALUE;
                    for (int j = i + 1; j < arrival.size(); j++) {
                        min = Math.min(min, arrival.get(j).ts());
                    }
                    long current = d.watermark("tx");
                    if (min != Long.MAX_VALUE && min - 1 > current) {
                        d.advanceWatermark(current + 1 + watermarks.nextLong(min - 1 - current));
                    }
                }
            }
            d.finish();
            assertEquals(List.of(), d.lateEvents());
            List<List<String>> out = new ArrayList<>();
            for (String p : List.of("card_testing", "abroad", "busy_country")) {
                out.add(d.outputLines(p));
            }
            out.add(d.timeoutLines("abroad"));
            return out;
        }
    }

    @org.junit.jupiter.api.Test
    void theWorkloadProducesEveryKindOfOutput() {
        List<List<String>> out = run(events(1, 400), null);
        for (List<String> o : out) {
            org.junit.jupiter.api.Assertions.assertTrue(o.size() >= 3, out.toString());
        }
    }

    @Property(tries = 200, seed = "20261127")
    void anyArrivalWithinTheBoundGivesTheSameOutput(@ForAll long seed, @ForAll @IntRange(min = 1, max = 400) int n) {
        List<Event> sorted = events(seed, n);
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        // arrival = event time + a delay of up to the 5 s bound
        List<long[]> keyed = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            keyed.add(new long[] {sorted.get(i).ts() + rnd.nextLong(5_001), i});
        }
        keyed.sort(Comparator.<long[]>comparingLong(k -> k[0]).thenComparingLong(k -> k[1]));
        List<Event> shuffled = new ArrayList<>();
        for (long[] k : keyed) {
            shuffled.add(sorted.get((int) k[1]));
        }
        List<List<String>> expected = run(sorted, null);
        assertEquals(expected, run(shuffled, null));
        assertEquals(expected, run(shuffled, new SplittableRandom(seed)));
    }
}
