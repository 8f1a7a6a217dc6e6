package io.peregrine.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The language beyond Flink's documented examples, with outputs derived by hand. */
class LanguageTest {

    static final String TX = """
            CREATE STREAM tx (
              card STRING, amount DOUBLE, merchant BIGINT, country STRING, ts TIMESTAMP(3),
              WATERMARK FOR ts AS ts - INTERVAL '1' SECOND
            ) WITH (format = 'json');
            """;

    static String pattern(String body) {
        return TX + "CREATE PATTERN p AS SELECT * FROM tx MATCH_RECOGNIZE (\n  PARTITION BY card\n  ORDER BY ts\n" + body + "\n);";
    }

    static final String[] THREE_SMALL = {
        "c1, 0.5, 10, US, 2024-01-01 00:00:01",
        "c1, 0.6, 10, US, 2024-01-01 00:00:02",
        "c1, 0.7, 20, US, 2024-01-01 00:00:03"};

    @Test
    void withoutAfterMatchFlinkSkipsToTheNextRow() {
        String body = "MEASURES A.amount AS a, B.amount AS b PATTERN (A B) DEFINE A AS A.amount < 1";
        assertEquals(List.of("c1 | 0.5 | 0.6", "c1 | 0.6 | 0.7"), DslHarness.run(pattern(body), "p", THREE_SMALL));
        String past = "MEASURES A.amount AS a, B.amount AS b AFTER MATCH SKIP PAST LAST ROW PATTERN (A B) DEFINE A AS A.amount < 1";
        assertEquals(List.of("c1 | 0.5 | 0.6"), DslHarness.run(pattern(past), "p", THREE_SMALL));
    }

    @Test
    void allRowsPerMatchWithClassifierRunningAndFinal() {
        String body = """
                MEASURES CLASSIFIER() AS cls, RUNNING COUNT(*) AS n, FINAL COUNT(*) AS total, MATCH_NUMBER() AS mn
                ALL ROWS PER MATCH
                AFTER MATCH SKIP PAST LAST ROW
                PATTERN (S+ B)
                DEFINE S AS S.amount < 1, B AS B.amount > 100""";
        List<String> out = DslHarness.run(pattern(body), "p",
                "c1, 0.5, 10, US, 2024-01-01 00:00:01",
                "c1, 0.6, 10, US, 2024-01-01 00:00:02",
                "c1, 500, 11, FR, 2024-01-01 00:00:03");
        assertEquals(List.of(
                "c1 | S | 1 | 3 | 1 | 0.5 | 10 | US | 2024-01-01 00:00:01",
                "c1 | S | 2 | 3 | 1 | 0.6 | 10 | US | 2024-01-01 00:00:02",
                "c1 | B | 3 | 3 | 1 | 500.0 | 11 | FR | 2024-01-01 00:00:03"), out);
    }

    @Test
    void relaxedContiguitySkipsRowsThatMatchNothing() {
        String strict = "MEASURES A.ts AS a, B.ts AS b PATTERN (A B) DEFINE A AS A.country = 'US', B AS B.country = 'FR'";
        String relaxed = "MEASURES A.ts AS a, B.ts AS b PATTERN (A -> B) DEFINE A AS A.country = 'US', B AS B.country = 'FR'";
        String[] rows = {
            "c1, 1, 10, US, 2024-01-01 00:00:01",
            "c1, 1, 10, DE, 2024-01-01 00:00:02",
            "c1, 1, 10, FR, 2024-01-01 00:00:03"};
        assertEquals(List.of(), DslHarness.run(pattern(strict), "p", rows));
        assertEquals(List.of("c1 | 2024-01-01 00:00:01 | 2024-01-01 00:00:03"), DslHarness.run(pattern(relaxed), "p", rows));
    }

    @Test
    void notNextRejectsAMatchWhoseNextRowIsForbidden() {
        String body = "MEASURES A.ts AS a, B.ts AS b PATTERN (A !C B) DEFINE A AS A.country = 'US', C AS C.country = 'DE'";
        assertEquals(List.of("c1 | 2024-01-01 00:00:01 | 2024-01-01 00:00:02"), DslHarness.run(pattern(body), "p",
                "c1, 1, 10, US, 2024-01-01 00:00:01",
                "c1, 1, 10, FR, 2024-01-01 00:00:02",
                "c1, 1, 10, US, 2024-01-01 00:00:03",
                "c1, 1, 10, DE, 2024-01-01 00:00:04",
                "c1, 1, 10, FR, 2024-01-01 00:00:05"));
    }

    @Test
    void subsetsAndDistinctAggregates() {
        String body = """
                MEASURES SUM(AB.amount) AS ab_sum, COUNT(DISTINCT merchant) AS merchants, AVG(C.amount) AS c_avg
                PATTERN (A B C)
                SUBSET AB = (A, B)
                DEFINE A AS A.amount > 0""";
        assertEquals(List.of("c1 | 1.1 | 2 | 0.7"), DslHarness.run(pattern(body), "p", THREE_SMALL));
    }

    @Test
    void timedOutPartialMatchesAreRowsOfTheirOwn() {
        String body = """
                MEASURES A.ts AS a_ts, B.ts AS b_ts
                PATTERN (A -> B) WITHIN INTERVAL '10' SECOND EMIT TIMEOUTS
                DEFINE A AS A.country = 'US', B AS B.country = 'FR'""";
        DslHarness.Output out = DslHarness.runAll(pattern(body), "p",
                "c1, 1, 10, US, 2024-01-01 00:00:00",
                "c1, 1, 10, DE, 2024-01-01 00:00:20",
                "c1, 1, 10, FR, 2024-01-01 00:00:25");
        assertEquals(List.of(), out.matches());
        assertEquals(List.of("c1 | 2024-01-01 00:00:00 | null"), out.timeouts());
    }

    @Test
    void quantifiedGroups() {
        String body = """
                MEASURES COUNT(A.*) AS a, COUNT(B.*) AS b, FIRST(A.ts) AS first_a, LAST(B.ts) AS last_b
                AFTER MATCH SKIP PAST LAST ROW
                PATTERN ((A B){2})
                DEFINE A AS A.country = 'US', B AS B.country = 'FR'""";
        assertEquals(List.of("c1 | 2 | 2 | 2024-01-01 00:00:01 | 2024-01-01 00:00:04"), DslHarness.run(pattern(body), "p",
                "c1, 1, 10, US, 2024-01-01 00:00:01",
                "c1, 1, 10, FR, 2024-01-01 00:00:02",
                "c1, 1, 10, US, 2024-01-01 00:00:03",
                "c1, 1, 10, FR, 2024-01-01 00:00:04"));
    }

    @Test
    void alternationOfSequences() {
        String body = """
                MEASURES CLASSIFIER() AS last_var, COUNT(*) AS n
                AFTER MATCH SKIP PAST LAST ROW
                PATTERN (A (B | C D))
                DEFINE A AS A.country = 'US', B AS B.country = 'FR', C AS C.country = 'DE', D AS D.country = 'GB'""";
        assertEquals(List.of("c1 | B | 2", "c1 | D | 3"), DslHarness.run(pattern(body), "p",
                "c1, 1, 10, US, 2024-01-01 00:00:01",
                "c1, 1, 10, FR, 2024-01-01 00:00:02",
                "c1, 1, 10, US, 2024-01-01 00:00:03",
                "c1, 1, 10, DE, 2024-01-01 00:00:04",
                "c1, 1, 10, GB, 2024-01-01 00:00:05"));
    }

    @Test
    void quantifiedAlternation() {
        String body = """
                MEASURES COUNT(A.*) AS a, COUNT(B.*) AS b
                AFTER MATCH SKIP PAST LAST ROW
                PATTERN ((A | B){3})
                DEFINE A AS A.country = 'US', B AS B.country = 'FR'""";
        assertEquals(List.of("c1 | 2 | 1"), DslHarness.run(pattern(body), "p",
                "c1, 1, 10, US, 2024-01-01 00:00:01",
                "c1, 1, 10, FR, 2024-01-01 00:00:02",
                "c1, 1, 10, US, 2024-01-01 00:00:03",
                "c1, 1, 10, DE, 2024-01-01 00:00:04"));
    }

    @Test
    void permuteMatchesTheVariablesInAnyOrder() {
        String body = """
                MEASURES FIRST(A.ts) AS a_ts, FIRST(B.ts) AS b_ts, CLASSIFIER() AS last_var
                PATTERN (PERMUTE(A, B) C)
                DEFINE A AS A.country = 'US', B AS B.country = 'FR', C AS C.country = 'DE'""";
        assertEquals(List.of("c1 | 2024-01-01 00:00:02 | 2024-01-01 00:00:01 | C"), DslHarness.run(pattern(body), "p",
                "c1, 1, 10, FR, 2024-01-01 00:00:01",
                "c1, 1, 10, US, 2024-01-01 00:00:02",
                "c1, 1, 10, DE, 2024-01-01 00:00:03"));
    }

    @Test
    void prevReadsThePhysicallyPreviousRow() {
        String body = """
                MEASURES A.amount AS top, LAST(B.amount) AS bottom, C.amount AS rebound
                AFTER MATCH SKIP PAST LAST ROW
                PATTERN (A B+ C)
                DEFINE B AS B.amount < PREV(B.amount), C AS C.amount > PREV(amount)""";
        assertEquals(List.of("c1 | 10.0 | 6.0 | 7.0"), DslHarness.run(pattern(body), "p",
                "c1, 10, 1, US, 2024-01-01 00:00:01",
                "c1, 8, 2, US, 2024-01-01 00:00:02",
                "c1, 6, 3, US, 2024-01-01 00:00:03",
                "c1, 7, 4, US, 2024-01-01 00:00:04",
                "c1, 5, 5, US, 2024-01-01 00:00:05"));
        // physical, not logical: the row before is there even when no variable took it
        assertEquals(List.of("1"), accepted("PREV(A.amount) IS NULL"));
        assertEquals(List.of("5", "6"), accepted("PREV(A.amount, 2) > A.amount AND PREV(A.country) <> 'US'"));
    }

    @Test
    void startAnchorOnlyMatchesAtThePartitionsFirstRow() {
        String body = "MEASURES A.ts AS a, B.ts AS b PATTERN (^ A B) DEFINE A AS A.amount < 1";
        assertEquals(List.of("c1 | 2024-01-01 00:00:01 | 2024-01-01 00:00:02"), DslHarness.run(pattern(body), "p", THREE_SMALL));
    }

    @Test
    void selectListProjectsTheMatchOutput() {
        String program = TX + """
                CREATE PATTERN p AS
                SELECT T.card, big * 2 AS double_big, UPPER(T.card) AS shout
                FROM tx MATCH_RECOGNIZE (
                  PARTITION BY card ORDER BY ts
                  MEASURES B.amount AS big
                  PATTERN (A B) DEFINE B AS B.amount > A.amount
                ) AS T;
                """;
        assertEquals(List.of("c1 | 1.2 | C1", "c1 | 1.4 | C1"), DslHarness.run(program, "p", THREE_SMALL));
    }

    /** Which of the rows 1..6 a one-variable pattern accepts under {@code condition}. */
    private static List<String> accepted(String condition) {
        String body = "MEASURES A.merchant AS m PATTERN (A) DEFINE A AS " + condition;
        return DslHarness.run(pattern(body), "p",
                "c1, 1.50, 1, US, 2024-01-01 00:00:01",
                "c1, 20, 2, FR, 2024-01-01 00:00:02",
                "c1, 99.99, 3, DE, 2024-01-01 00:00:03",
                "c1, 100, 4, USA, 2024-01-01 00:00:04",
                "c1, -5, 5, us, 2024-01-01 00:00:05",
                "c1, 0, 6, GB, 2024-01-01 00:00:06").stream().map(s -> s.substring(s.indexOf("| ") + 2)).toList();
    }

    @Test
    void expressions() {
        assertEquals(List.of("1", "3", "4"), accepted("A.amount BETWEEN 1 AND 100 AND A.merchant <> 2"));
        assertEquals(List.of("2", "3"), accepted("A.country IN ('FR', 'DE')"));
        assertEquals(List.of("1", "4", "5"), accepted("UPPER(A.country) LIKE 'US%'"));
        assertEquals(List.of("4"), accepted("CHAR_LENGTH(A.country) = 3 AND SUBSTRING(A.country FROM 2 FOR 1) = 'S'"));
        assertEquals(List.of("5", "6"), accepted("CASE WHEN A.amount <= 0 THEN TRUE ELSE FALSE END"));
        assertEquals(List.of("3"), accepted("CAST(A.amount AS DECIMAL(10, 2)) * 2 = 199.98"));
        assertEquals(List.of("1", "2", "3", "4", "5"), accepted("ABS(A.amount) > 0 AND A.ts >= TIMESTAMP '2024-01-01 00:00:01'"));
        // NULL logic: the division fails on the row with amount 0, so the condition is not TRUE there
        assertEquals(List.of("1", "2", "3", "4", "5"), accepted("100 / CAST(A.amount AS INT) IS NOT NULL OR A.amount > 0"));
        assertEquals(List.of("4"), accepted("A.ts - INTERVAL '3' SECOND > TIMESTAMP '2024-01-01 00:00:00' AND MOD(A.merchant, 2) = 0"
                + " AND A.merchant <> 6"));
        assertEquals(List.of("1", "2", "3", "4", "5", "6"), accepted("COALESCE(NULL, A.merchant) > 0"));
        assertEquals(List.of(), accepted("NULL AND TRUE"));
        assertEquals(List.of("1", "2", "3", "4", "5", "6"), accepted("NULL OR TRUE"));
        assertEquals(List.of("6"), accepted("NOT (A.amount <> 0)"));
    }
}
