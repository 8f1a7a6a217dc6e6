package io.peregrine.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Row pattern examples of the SQL:2016 literature beyond what Flink SQL accepts (Oracle's and
 * Trino's documentation), with their documented input and output rows.
 */
class RowPatternLiteratureTest {

    static final String TICKER = """
            CREATE STREAM Ticker (symbol STRING, tstamp TIMESTAMP(3), price DOUBLE,
              WATERMARK FOR tstamp AS tstamp);
            """;

    static final String[] APRIL = {
        "ACME, 2011-04-01, 12", "ACME, 2011-04-02, 17", "ACME, 2011-04-03, 19", "ACME, 2011-04-04, 21",
        "ACME, 2011-04-05, 25", "ACME, 2011-04-06, 12", "ACME, 2011-04-07, 15", "ACME, 2011-04-08, 20",
        "ACME, 2011-04-09, 24", "ACME, 2011-04-10, 25", "ACME, 2011-04-11, 19", "ACME, 2011-04-12, 15",
        "ACME, 2011-04-13, 25", "ACME, 2011-04-14, 25", "ACME, 2011-04-15, 14", "ACME, 2011-04-16, 12",
        "ACME, 2011-04-17, 14", "ACME, 2011-04-18, 24", "ACME, 2011-04-19, 23", "ACME, 2011-04-20, 22"};

    /** Oracle's "simple V-shape with one row per match": PREV and a greedy loop at the end. */
    @Test
    void oracleVShape() {
        String program = TICKER + """
                CREATE PATTERN v AS
                SELECT *
                FROM Ticker MATCH_RECOGNIZE (
                     PARTITION BY symbol
                     ORDER BY tstamp
                     MEASURES  STRT.tstamp AS start_tstamp,
                               LAST(DOWN.tstamp) AS bottom_tstamp,
                               LAST(UP.tstamp) AS end_tstamp
                     ONE ROW PER MATCH
                     AFTER MATCH SKIP TO LAST UP
                     PATTERN (STRT DOWN+ UP+)
                     DEFINE
                        DOWN AS DOWN.price < PREV(DOWN.price),
                        UP AS UP.price > PREV(UP.price)
                     ) MR;
                """;
        assertEquals(List.of(
                "ACME | 2011-04-05 00:00:00 | 2011-04-06 00:00:00 | 2011-04-10 00:00:00",
                "ACME | 2011-04-10 00:00:00 | 2011-04-12 00:00:00 | 2011-04-13 00:00:00",
                "ACME | 2011-04-14 00:00:00 | 2011-04-16 00:00:00 | 2011-04-18 00:00:00"), DslHarness.run(program, "v", APRIL));
    }

    /** Oracle's V-shape with ALL ROWS PER MATCH: CLASSIFIER, MATCH_NUMBER and running measures per row. */
    @Test
    void oracleVShapeAllRows() {
        String program = TICKER + """
                CREATE PATTERN v AS
                SELECT * FROM Ticker MATCH_RECOGNIZE (
                     PARTITION BY symbol
                     ORDER BY tstamp
                     MEASURES  STRT.tstamp AS start_tstamp,
                               FINAL LAST(DOWN.tstamp) AS bottom_tstamp,
                               FINAL LAST(UP.tstamp) AS end_tstamp,
                               MATCH_NUMBER() AS match_num,
                               CLASSIFIER() AS var_match
                     ALL ROWS PER MATCH
                     AFTER MATCH SKIP TO LAST UP
                     PATTERN (STRT DOWN+ UP+)
                     DEFINE
                        DOWN AS DOWN.price < PREV(DOWN.price),
                        UP AS UP.price > PREV(UP.price)
                     ) MR;
                """;
        List<String> rows = DslHarness.run(program, "v", APRIL);
        assertEquals(List.of(
                "ACME | 2011-04-05 00:00:00 | 2011-04-06 00:00:00 | 2011-04-10 00:00:00 | 1 | STRT | 2011-04-05 00:00:00 | 25.0",
                "ACME | 2011-04-05 00:00:00 | 2011-04-06 00:00:00 | 2011-04-10 00:00:00 | 1 | DOWN | 2011-04-06 00:00:00 | 12.0",
                "ACME | 2011-04-05 00:00:00 | 2011-04-06 00:00:00 | 2011-04-10 00:00:00 | 1 | UP | 2011-04-07 00:00:00 | 15.0",
                "ACME | 2011-04-05 00:00:00 | 2011-04-06 00:00:00 | 2011-04-10 00:00:00 | 1 | UP | 2011-04-08 00:00:00 | 20.0",
                "ACME | 2011-04-05 00:00:00 | 2011-04-06 00:00:00 | 2011-04-10 00:00:00 | 1 | UP | 2011-04-09 00:00:00 | 24.0",
                "ACME | 2011-04-05 00:00:00 | 2011-04-06 00:00:00 | 2011-04-10 00:00:00 | 1 | UP | 2011-04-10 00:00:00 | 25.0"),
                rows.subList(0, 6));
        assertEquals(6 + 4 + 5, rows.size());
        assertEquals("ACME | 2011-04-14 00:00:00 | 2011-04-16 00:00:00 | 2011-04-18 00:00:00 | 3 | UP | 2011-04-18 00:00:00 | 24.0",
                rows.get(rows.size() - 1));
    }

    /** Trino's documentation example: a V over totalprice with PREV, a SUBSET and a greedy loop at the end. */
    @Test
    void trinoOrdersV() {
        String program = """
                CREATE STREAM orders (custkey BIGINT, orderdate TIMESTAMP(3), totalprice DOUBLE,
                  WATERMARK FOR orderdate AS orderdate);
                CREATE PATTERN v AS
                SELECT * FROM orders MATCH_RECOGNIZE(
                     PARTITION BY custkey
                     ORDER BY orderdate
                     MEASURES
                              A.totalprice AS starting_price,
                              LAST(B.totalprice) AS bottom_price,
                              LAST(U.totalprice) AS top_price
                     ONE ROW PER MATCH
                     AFTER MATCH SKIP PAST LAST ROW
                     PATTERN (A B+ C+ D+)
                     SUBSET U = (C, D)
                     DEFINE
                              B AS totalprice < PREV(totalprice),
                              C AS totalprice > PREV(totalprice) AND totalprice <= A.totalprice,
                              D AS totalprice > PREV(totalprice)
                     )
                """;
        // down 100 -> 90 -> 80, up within the start (85, 95), up past it (105, 110), ended by 108
        assertEquals(List.of("1 | 100.0 | 80.0 | 110.0"), DslHarness.run(program, "v",
                "1, 2024-01-01, 100", "1, 2024-01-02, 90", "1, 2024-01-03, 80", "1, 2024-01-04, 85",
                "1, 2024-01-05, 95", "1, 2024-01-06, 105", "1, 2024-01-07, 110", "1, 2024-01-08, 108"));
    }
}
