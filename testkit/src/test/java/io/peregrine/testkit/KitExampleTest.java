package io.peregrine.testkit;

import io.peregrine.dsl.DslException;
import io.peregrine.dsl.Program;
import io.peregrine.dsl.Programs;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The README's example: how a user property-tests a program of their own. */
class KitExampleTest {

    static final Program PROGRAM = compile("""
            CREATE STREAM transactions (card STRING, amount DOUBLE, ts TIMESTAMP(3),
              WATERMARK FOR ts AS ts - INTERVAL '2' SECOND) WITH (format = 'json');

            CREATE PATTERN card_testing AS SELECT * FROM transactions MATCH_RECOGNIZE (
              PARTITION BY card ORDER BY ts
              MEASURES FIRST(S.ts) AS first_small, B.amount AS big, COUNT(S.*) AS smalls
              AFTER MATCH SKIP PAST LAST ROW
              PATTERN (S{3,} B) WITHIN INTERVAL '1' MINUTE
              DEFINE S AS S.amount < 5, B AS B.amount > 100);
            """);

    @Provide
    Arbitrary<List<TestEvent>> transactions() {
        return StreamEvents.of(PROGRAM, "transactions")
                .keys("card", 3)
                .values("amount", Arbitraries.of(1.0, 2.0, 3.0, 150.0, 400.0))
                .list(0, 40);
    }

    @Property(tries = 100)
    void cardTestingIgnoresArrivalOrder(@ForAll("transactions") List<TestEvent> events, @ForAll long seed) {
        ProgramAssertions.assertOrderInvariant(PROGRAM, events, seed);
    }

    @Property(tries = 50)
    void lateTransactionsChangeNothing(@ForAll("transactions") List<TestEvent> events, @ForAll long seed) {
        ProgramAssertions.assertLateEventsIsolated(PROGRAM, events, 2, seed);
    }

    static Program compile(String text) {
        try {
            return Programs.compile("example.pg", text);
        } catch (DslException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }
}
