package io.peregrine.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The MATCH_RECOGNIZE examples of Flink's documentation ("Detecting Patterns in Tables"), pasted
 * unchanged after {@code CREATE PATTERN name AS}, with the documented input and output rows.
 */
class FlinkDocExamplesTest {

    static final String TICKER = """
            CREATE STREAM Ticker (
              symbol STRING,
              rowtime TIMESTAMP(3),
              price DOUBLE,
              tax BIGINT,
              WATERMARK FOR rowtime AS rowtime - INTERVAL '1' SECOND
            ) WITH (format = 'json');
            """;

    @Test
    void stockPriceDecreaseThenIncrease() {
        String program = TICKER + """
                CREATE PATTERN v_shape AS
                SELECT *
                FROM Ticker
                    MATCH_RECOGNIZE (
                        PARTITION BY symbol
                        ORDER BY rowtime
                        MEASURES
                            START_ROW.rowtime AS start_tstamp,
                            LAST(PRICE_DOWN.rowtime) AS bottom_tstamp,
                            LAST(PRICE_UP.rowtime) AS end_tstamp
                        ONE ROW PER MATCH
                        AFTER MATCH SKIP TO LAST PRICE_UP
                        PATTERN (START_ROW PRICE_DOWN+ PRICE_UP)
                        DEFINE
                            PRICE_DOWN AS
                                (LAST(PRICE_DOWN.price, 1) IS NULL AND PRICE_DOWN.price < START_ROW.price) OR
                                    PRICE_DOWN.price < LAST(PRICE_DOWN.price, 1),
                            PRICE_UP AS
                                PRICE_UP.price > LAST(PRICE_DOWN.price, 1)
                    ) MR;
                """;
        List<String> out = DslHarness.run(program, "v_shape",
                "ACME, 2011-04-01 10:00:00, 12, 1",
                "ACME, 2011-04-01 10:00:01, 17, 2",
                "ACME, 2011-04-01 10:00:02, 19, 1",
                "ACME, 2011-04-01 10:00:03, 21, 3",
                "ACME, 2011-04-01 10:00:04, 25, 2",
                "ACME, 2011-04-01 10:00:05, 18, 1",
                "ACME, 2011-04-01 10:00:06, 15, 1",
                "ACME, 2011-04-01 10:00:07, 14, 2",
                "ACME, 2011-04-01 10:00:08, 24, 2",
                "ACME, 2011-04-01 10:00:09, 25, 2",
                "ACME, 2011-04-01 10:00:10, 19, 1");
        assertEquals(List.of("ACME | 2011-04-01 10:00:04 | 2011-04-01 10:00:07 | 2011-04-01 10:00:08"), out);
    }

    @Test
    void aggregationsAveragePriceBelowFifteen() {
        String program = TICKER + """
                CREATE PATTERN cheap_runs AS
                SELECT *
                FROM Ticker
                    MATCH_RECOGNIZE (
                        PARTITION BY symbol
                        ORDER BY rowtime
                        MEASURES
                            FIRST(A.rowtime) AS start_tstamp,
                            LAST(A.rowtime) AS end_tstamp,
                            AVG(A.price) AS avgPrice
                        ONE ROW PER MATCH
                        AFTER MATCH SKIP PAST LAST ROW
                        PATTERN (A+ B)
                        DEFINE
                            A AS AVG(A.price) < 15
                    ) MR;
                """;
        List<String> out = DslHarness.run(program, "cheap_runs",
                "ACME, 2011-04-01 10:00:00, 12, 1",
                "ACME, 2011-04-01 10:00:01, 17, 2",
                "ACME, 2011-04-01 10:00:02, 13, 1",
                "ACME, 2011-04-01 10:00:03, 16, 3",
                "ACME, 2011-04-01 10:00:04, 25, 2",
                "ACME, 2011-04-01 10:00:05, 2, 1",
                "ACME, 2011-04-01 10:00:06, 4, 1",
                "ACME, 2011-04-01 10:00:07, 10, 2",
                "ACME, 2011-04-01 10:00:08, 15, 2",
                "ACME, 2011-04-01 10:00:09, 25, 2",
                "ACME, 2011-04-01 10:00:10, 25, 1",
                "ACME, 2011-04-01 10:00:11, 30, 1");
        assertEquals(List.of(
                "ACME | 2011-04-01 10:00:00 | 2011-04-01 10:00:03 | 14.5",
                "ACME | 2011-04-01 10:00:05 | 2011-04-01 10:00:10 | 13.5"), out);
    }

    @Test
    void timeConstraintWithinOneHour() {
        // a drop of more than 10 within an hour; B* absorbs the rows in between
        String program = TICKER + """
                CREATE PATTERN drops AS
                SELECT *
                FROM Ticker
                    MATCH_RECOGNIZE(
                        PARTITION BY symbol
                        ORDER BY rowtime
                        MEASURES
                            C.rowtime AS dropTime,
                            A.price - C.price AS dropDiff
                        ONE ROW PER MATCH
                        AFTER MATCH SKIP PAST LAST ROW
                        PATTERN (A B* C) WITHIN INTERVAL '1' HOUR
                        DEFINE
                            B AS B.price > A.price - 10,
                            C AS C.price < A.price - 10
                    )
                """;
        List<String> out = DslHarness.run(program, "drops",
                "ACME, 2011-04-01 12:00:00, 20, 1",
                "ACME, 2011-04-01 12:20:00, 17, 2",
                "ACME, 2011-04-01 12:40:00, 18, 1",
                "ACME, 2011-04-01 13:00:00, 11, 3",  // 20 - 11 = 9: not a drop; also exactly one hour after 12:00
                "ACME, 2011-04-01 13:20:00, 25, 2",
                "ACME, 2011-04-01 13:40:00, 19, 1",
                "ACME, 2011-04-01 14:00:00, 23, 1",
                "ACME, 2011-04-01 14:10:00, 14, 2"); // 25 - 14 = 11 within the hour from 13:20
        // From 12:20 (17): 18 is B, 11 is not < 7. From 12:40 (18): 11 is not < 8. From 13:20 (25): 19, 23 are B, 14 < 15 is C.
        assertEquals(List.of("ACME | 2011-04-01 14:10:00 | 11.0"), out);
    }
}
