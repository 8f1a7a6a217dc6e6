package io.peregrine.dsl.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.peregrine.dsl.Diagnostic;
import io.peregrine.dsl.SourceFile;
import io.peregrine.dsl.ast.ProgramAst;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The MATCH_RECOGNIZE queries of Flink's "Pattern Recognition" documentation page
 * (docs/dev/table/sql/queries/match_recognize), pasted unchanged after {@code CREATE PATTERN x AS},
 * and row-pattern queries in the style of the Trino and Oracle documentation. Each must parse
 * without a diagnostic and print back to the same tree.
 */
class FlinkSqlExamplesTest {

    static final String BASIC = "SELECT T.aid, T.bid, T.cid\n"
            + "FROM MyTable\n"
            + "    MATCH_RECOGNIZE (\n"
            + "      PARTITION BY userid\n"
            + "      ORDER BY proctime\n"
            + "      MEASURES\n"
            + "        A.id AS aid,\n"
            + "        B.id AS bid,\n"
            + "        C.id AS cid\n"
            + "      PATTERN (A B C)\n"
            + "      DEFINE\n"
            + "        A AS name = 'a',\n"
            + "        B AS name = 'b',\n"
            + "        C AS name = 'c'\n"
            + "    ) AS T";

    static final String FALLING_PRICE = "SELECT *\n"
            + "FROM Ticker\n"
            + "    MATCH_RECOGNIZE (\n"
            + "        PARTITION BY symbol\n"
            + "        ORDER BY rowtime\n"
            + "        MEASURES\n"
            + "            START_ROW.rowtime AS start_tstamp,\n"
            + "            LAST(PRICE_DOWN.rowtime) AS bottom_tstamp,\n"
            + "            LAST(PRICE_UP.rowtime) AS end_tstamp\n"
            + "        ONE ROW PER MATCH\n"
            + "        AFTER MATCH SKIP TO LAST PRICE_UP\n"
            + "        PATTERN (START_ROW PRICE_DOWN+ PRICE_UP)\n"
            + "        DEFINE\n"
            + "            PRICE_DOWN AS\n"
            + "                (LAST(PRICE_DOWN.price, 1) IS NULL AND PRICE_DOWN.price < START_ROW.price) OR\n"
            + "                    PRICE_DOWN.price < LAST(PRICE_DOWN.price, 1),\n"
            + "            PRICE_UP AS\n"
            + "                PRICE_UP.price > LAST(PRICE_DOWN.price, 1)\n"
            + "    ) MR;";

    static final String AVERAGE_BELOW = "SELECT *\n"
            + "FROM Ticker\n"
            + "    MATCH_RECOGNIZE (\n"
            + "        PARTITION BY symbol\n"
            + "        ORDER BY rowtime\n"
            + "        MEASURES\n"
            + "            FIRST(A.rowtime) AS start_tstamp,\n"
            + "            LAST(A.rowtime) AS end_tstamp,\n"
            + "            AVG(A.price) AS avgPrice\n"
            + "        ONE ROW PER MATCH\n"
            + "        AFTER MATCH SKIP PAST LAST ROW\n"
            + "        PATTERN (A+ B)\n"
            + "        DEFINE\n"
            + "            A AS AVG(A.price) < 15\n"
            + "    ) MR;";

    static String greedy(String quantifier) {
        return "SELECT *\n"
                + "FROM Ticker\n"
                + "    MATCH_RECOGNIZE(\n"
                + "        PARTITION BY symbol\n"
                + "        ORDER BY rowtime\n"
                + "        MEASURES\n"
                + "            C.price AS lastPrice\n"
                + "        ONE ROW PER MATCH\n"
                + "        AFTER MATCH SKIP PAST LAST ROW\n"
                + "        PATTERN (A B" + quantifier + " C)\n"
                + "        DEFINE\n"
                + "            A AS A.price > 10,\n"
                + "            B AS B.price < 15,\n"
                + "            C AS C.price > 12\n"
                + "    )";
    }

    /** As on the page, but with the comma that the page's DEFINE lacks (Flink rejects the page's text too). */
    static final String PRICE_DROP_WITHIN = "SELECT *\n"
            + "FROM Ticker\n"
            + "    MATCH_RECOGNIZE(\n"
            + "        PARTITION BY symbol\n"
            + "        ORDER BY rowtime\n"
            + "        MEASURES\n"
            + "            C.rowtime AS dropTime,\n"
            + "            A.price - C.price AS dropDiff\n"
            + "        ONE ROW PER MATCH\n"
            + "        AFTER MATCH SKIP PAST LAST ROW\n"
            + "        PATTERN (A B* C) WITHIN INTERVAL '1' HOUR\n"
            + "        DEFINE\n"
            + "            B AS B.price > A.price - 10,\n"
            + "            C AS C.price < A.price - 10\n"
            + "    )";

    static final String OUTPUT_MODE = "SELECT *\n"
            + "FROM Ticker\n"
            + "    MATCH_RECOGNIZE(\n"
            + "        PARTITION BY symbol\n"
            + "        ORDER BY rowtime\n"
            + "        MEASURES\n"
            + "            FIRST(A.price) AS startPrice,\n"
            + "            LAST(A.price) AS topPrice,\n"
            + "            B.price AS lastPrice\n"
            + "        ONE ROW PER MATCH\n"
            + "        PATTERN (A+ B)\n"
            + "        DEFINE\n"
            + "            A AS LAST(A.price, 1) IS NULL OR A.price > LAST(A.price, 1),\n"
            + "            B AS B.price < LAST(A.price)\n"
            + "    )";

    static String strategy(String afterMatch) {
        return "SELECT *\n"
                + "FROM Ticker\n"
                + "    MATCH_RECOGNIZE(\n"
                + "        PARTITION BY symbol\n"
                + "        ORDER BY rowtime\n"
                + "        MEASURES\n"
                + "            SUM(A.price) AS sumPrice,\n"
                + "            FIRST(rowtime) AS startTime,\n"
                + "            LAST(rowtime) AS endTime\n"
                + "        ONE ROW PER MATCH\n"
                + "        " + afterMatch + "\n"
                + "        PATTERN (A+ C)\n"
                + "        DEFINE\n"
                + "            A AS SUM(A.price) < 30\n"
                + "    )";
    }

    /** The page's PATTERN/DEFINE fragments, inside a minimal query. */
    static String fragment(String patternAndDefine) {
        return "SELECT * FROM Ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime\n"
                + patternAndDefine + "\n)";
    }

    static Stream<String> flinkExamples() {
        return Stream.of(
                BASIC,
                FALLING_PRICE,
                AVERAGE_BELOW,
                greedy("*"),
                greedy("*?"),
                PRICE_DROP_WITHIN,
                OUTPUT_MODE,
                strategy("AFTER MATCH SKIP PAST LAST ROW"),
                strategy("AFTER MATCH SKIP TO NEXT ROW"),
                strategy("AFTER MATCH SKIP TO LAST A"),
                strategy("AFTER MATCH SKIP TO FIRST A"),
                fragment("PATTERN (A B+ C* D) DEFINE A AS A.price > 0"),
                fragment("PATTERN (A B* C)\nDEFINE\n    A AS condA(),\n    B AS condB(),\n    C AS NOT condB()"),
                fragment("PATTERN (A B+)\nDEFINE\n  A AS A.price >= 10,\n"
                        + "  B AS B.price > A.price AND SUM(price) < 100 AND SUM(B.price) < 80"),
                fragment("PATTERN (A B+)\nDEFINE\n  A AS A.price >= 10,\n"
                        + "  B AS (LAST(B.price, 1) IS NULL OR B.price > LAST(B.price, 1)) AND\n"
                        + "       (LAST(B.price, 2) IS NULL OR B.price > 2 * LAST(B.price, 2))"),
                fragment("PATTERN (A B? C)\nDEFINE\n  B AS B.price < 20,\n  C AS LAST(price, 1) < C.price"),
                fragment("MEASURES LAST(A.price * A.tax) AS x, SUM(A.price * A.tax) AS y\n"
                        + "PATTERN (A+ B) DEFINE A AS A.price > 1"),
                fragment("PATTERN (A B+ C)\nDEFINE\n  A as A.price > 10,\n  C as C.price > 20"),
                fragment("PATTERN (A B+ C)\nDEFINE\n  A as A.price > 10,\n  B as B.price <= 20,\n  C as C.price > 20"),
                fragment("PATTERN (A B+? C)\nDEFINE\n  A as A.price > 10,\n  C as C.price > 20"),
                fragment("MEASURES MATCH_ROWTIME() AS rt, MATCH_ROWTIME(rowtime) AS rt2, MATCH_PROCTIME() AS pt\n"
                        + "PATTERN (A) DEFINE A AS TRUE"),
                // Confluent Cloud's variant orders by the system column $rowtime
                BASIC.replace("ORDER BY proctime", "ORDER BY $rowtime"));
    }

    /** Row pattern queries in the style of the Trino and Oracle docs: the standard features Flink lacks. */
    static Stream<String> standardExamples() {
        return Stream.of(
                "SELECT * FROM orders MATCH_RECOGNIZE(\n"
                        + "     PARTITION BY custkey\n"
                        + "     ORDER BY orderdate\n"
                        + "     MEASURES\n"
                        + "              A.totalprice AS starting_price,\n"
                        + "              LAST(B.totalprice) AS bottom_price,\n"
                        + "              LAST(U.totalprice) AS top_price\n"
                        + "     ONE ROW PER MATCH\n"
                        + "     AFTER MATCH SKIP PAST LAST ROW\n"
                        + "     PATTERN (A B+ C+ D+)\n"
                        + "     SUBSET U = (C, D)\n"
                        + "     DEFINE\n"
                        + "              B AS totalprice < PREV(totalprice),\n"
                        + "              C AS totalprice > PREV(totalprice) AND totalprice <= A.totalprice,\n"
                        + "              D AS totalprice > PREV(totalprice)\n"
                        + "     )",
                "SELECT * FROM Ticker MATCH_RECOGNIZE (\n"
                        + "  PARTITION BY symbol ORDER BY tstamp\n"
                        + "  MEASURES STRT.tstamp AS start_tstamp,\n"
                        + "           FINAL LAST(DOWN.tstamp) AS bottom_tstamp,\n"
                        + "           FINAL LAST(UP.tstamp) AS end_tstamp,\n"
                        + "           MATCH_NUMBER() AS match_num,\n"
                        + "           CLASSIFIER() AS var_match,\n"
                        + "           RUNNING COUNT(*) AS running_count\n"
                        + "  ALL ROWS PER MATCH\n"
                        + "  AFTER MATCH SKIP TO LAST UP\n"
                        + "  PATTERN (STRT DOWN+ UP+)\n"
                        + "  DEFINE DOWN AS DOWN.price < PREV(DOWN.price),\n"
                        + "         UP AS UP.price > PREV(UP.price)\n"
                        + ") MR",
                "SELECT * FROM t MATCH_RECOGNIZE (ALL ROWS PER MATCH WITH UNMATCHED ROWS "
                        + "PATTERN ((A | B){5} C+ PERMUTE(X, Y, Z) {- W -} ^ $) "
                        + "SUBSET U = (A, B) DEFINE A AS LAST('pattern_variable_' || CLASSIFIER()) = 'x')",
                "SELECT * FROM t MATCH_RECOGNIZE (MEASURES PREV(FIRST(A.totalprice, 3), 2) AS p, "
                        + "NEXT(U.totalprice + 10) AS n, CLASSIFIER(U) AS c, COUNT(U.*) AS k "
                        + "ALL ROWS PER MATCH OMIT EMPTY MATCHES AFTER MATCH SKIP TO U "
                        + "PATTERN (A?? B{,5}? C{2,}) SUBSET U = (A, B) "
                        + "DEFINE A AS LAST(CLASSIFIER() = 'A' OR totalprice > 10))");
    }

    private static ProgramAst parseClean(String program) {
        SourceFile source = new SourceFile("example.sql", program);
        ParseResult r = Parser.parse(source);
        assertEquals("", r.diagnostics().stream().map(d -> d.render(source)).collect(Collectors.joining("\n")));
        return r.program();
    }

    private static void assertRoundTrips(ProgramAst program) {
        String printed = AstPrinter.print(program);
        assertEquals(SpanStripper.strip(program), SpanStripper.strip(parseClean(printed)), printed);
    }

    @ParameterizedTest
    @MethodSource("flinkExamples")
    void shouldParseFlinkDocumentationQueriesUnchanged(String query) {
        ProgramAst program = parseClean("CREATE PATTERN x AS " + query);
        assertEquals(1, program.statements().size());
        assertRoundTrips(program);
    }

    @ParameterizedTest
    @MethodSource("standardExamples")
    void shouldParseStandardRowPatternQueries(String query) {
        assertRoundTrips(parseClean("CREATE PATTERN x AS " + query));
    }

    @Test
    void shouldReportTheMissingCommaOfTheDocumentedWithinExampleAndStillBuildIt() {
        // the page prints the DEFINE list of its WITHIN example without a comma between B and C
        String page = PRICE_DROP_WITHIN.replace("B.price > A.price - 10,", "B.price > A.price - 10");
        SourceFile source = new SourceFile("example.sql", "CREATE PATTERN x AS " + page);
        ParseResult r = Parser.parse(source);
        assertEquals(1, r.diagnostics().size());
        Diagnostic d = r.diagnostics().get(0);
        assertEquals("expected ',' between DEFINE items, found 'C'", d.message());
        assertEquals("add a comma after the condition of B", d.hint());
        assertEquals(14, source.line(d.span().start()));
        assertEquals(13, source.column(d.span().start()));
        // recovery keeps both definitions
        assertEquals(SpanStripper.strip(parseClean("CREATE PATTERN x AS " + PRICE_DROP_WITHIN)),
                SpanStripper.strip(r.program()));
    }

    @Test
    void shouldParseSeveralFlinkQueriesAsOneProgram() {
        String program = flinkExamples().map(q -> "CREATE PATTERN x AS " + q.replaceAll(";$", ""))
                .collect(Collectors.joining(";\n"));
        assertEquals(flinkExamples().count(), parseClean(program).statements().size());
    }
}
