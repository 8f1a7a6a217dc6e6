package io.peregrine.dsl.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.dsl.Diagnostic;
import io.peregrine.dsl.DslException;
import io.peregrine.dsl.SourceFile;
import io.peregrine.dsl.ast.MatchRecognize;
import io.peregrine.dsl.ast.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Syntax errors: where they are reported (line:col), what they say, their hints, and recovery. */
class ParserErrorsTest {

    /** Each diagnostic as "line:col message", with " | hint" when there is one. */
    static List<String> errors(String text) {
        SourceFile source = new SourceFile("t.cep", text);
        return Parser.parse(source).diagnostics().stream()
                .map(d -> source.line(d.span().start()) + ":" + source.column(d.span().start()) + " " + d.message()
                        + (d.hint() == null ? "" : " | " + d.hint()))
                .collect(Collectors.toList());
    }

    static String pattern(String body) {
        return "CREATE PATTERN p AS\nSELECT * FROM t\nMATCH_RECOGNIZE (\n" + body + "\n)";
    }

    @Test
    void shouldReportAMissingParenthesisAfterThePattern() {
        assertEquals(List.of("4:16 expected ')' after the PATTERN, found 'DEFINE'"),
                errors(pattern("  PATTERN (A B DEFINE A AS A.x > 1")));
    }

    @Test
    void shouldReportAMissingParenthesisBeforeThePatternAndStillReadIt() {
        ParseResult r = ParserTest.parse(pattern("  PATTERN A B) DEFINE A AS TRUE"));
        assertEquals(List.of("4:11 expected '(' after PATTERN, found 'A' | write PATTERN (A B+ C)"),
                errors(pattern("  PATTERN A B) DEFINE A AS TRUE")));
        MatchRecognize m = ((Statement.CreatePattern) r.program().statements().get(0)).query().matchRecognize();
        assertEquals(Ast.seq(Ast.v("A"), Ast.v("B")), SpanStripper.strip(m.pattern()));
        assertEquals(1, m.defines().size());
    }

    @Test
    void shouldReportMissingCommasWithHints() {
        assertEquals(List.of("3:3 expected ',' between columns, found 'amount' | separate columns with commas"),
                errors("CREATE STREAM t (\n  card_id STRING\n  amount DOUBLE\n)"));
        assertEquals(List.of("4:27 expected ',' between MEASURES items, found 'B' | separate the items of MEASURES with commas"),
                errors(pattern("  MEASURES A.x AS first_x B.x AS second_x\n  PATTERN (A B)")));
        assertEquals(List.of("7:5 expected ',' between DEFINE items, found 'B' | add a comma after the condition of A"),
                errors(pattern("  PATTERN (A B)\n  DEFINE\n    A AS A.x > 1\n    B AS B.x > 2")));
        assertEquals(List.of("2:3 expected ',' between features, found 'b' | separate features with commas"),
                errors("CREATE FEATURES f ON s KEY k (a = COUNT(*)\n  b = SUM(x))"));
    }

    @Test
    void shouldSuggestTheClosestKeywordAndReadTheClauseAnyway() {
        assertEquals(List.of("4:3 expected a MATCH_RECOGNIZE clause, found 'PATERN' | did you mean PATTERN?"),
                errors(pattern("  PATERN (A B)\n  DEFINE A AS TRUE")));
        assertEquals(List.of("4:3 expected a MATCH_RECOGNIZE clause, found 'PARTITON' | did you mean PARTITION?"),
                errors(pattern("  PARTITON BY card_id\n  PATTERN (A)")));
        assertEquals(List.of("5:3 expected a MATCH_RECOGNIZE clause, found 'WINDOW' | did you mean WITHIN?"),
                errors(pattern("  PATTERN (A)\n  WINDOW INTERVAL '1' HOUR")));
        assertEquals(List.of("3:1 expected MATCH_RECOGNIZE after FROM t, found 'MATCH_RECOGNISE' | did you mean MATCH_RECOGNIZE?"),
                errors(pattern("  PATTERN (A)").replace("MATCH_RECOGNIZE", "MATCH_RECOGNISE")));
        assertEquals(List.of("1:1 expected CREATE, found 'CRATE' | did you mean CREATE?"), errors("CRATE STREAM s (a INT)"));
        assertEquals(List.of("1:8 expected STREAM, PATTERN or FEATURES after CREATE, found 'STREEM' | did you mean STREAM?"),
                errors("CREATE STREEM s (a INT)"));
        assertEquals(List.of("2:13 expected FROM after the SELECT list, found 'FORM' | did you mean FROM?"),
                errors(pattern("  PATTERN (A)").replace("FROM t", "FORM t").replace("SELECT *", "SELECT a, b")));
        assertEquals(List.of("1:61 unknown interval unit 'MINUTs'; expected MILLISECOND, SECOND, MINUTE, HOUR or DAY"
                + " | did you mean MINUTE?"), errors("CREATE STREAM s (a INT, WATERMARK FOR a AS a - INTERVAL '1' MINUTs)"));
    }

    @Test
    void shouldReportUnterminatedStringsAndComments() {
        assertEquals(List.of("5:21 unterminated string | close the string with ' (write '' for a quote inside it)"),
                errors(pattern("  PATTERN (A)\n  DEFINE A AS A.x = 'abc\n")));
        assertEquals(List.of("2:1 unterminated comment | close the comment with */"),
                errors("CREATE STREAM s (a INT);\n/* the end"));
        // the name runs to the end of the line, so the column has no type either
        assertEquals(List.of("1:18 unterminated quoted name | close the name with ` (write `` for a back-quote inside it)",
                "1:25 expected a type for column a INT), found end of input"), errors("CREATE STREAM s (`a INT)"));
    }

    @Test
    void shouldReportStrayTokens() {
        assertEquals(List.of("1:25 expected ';' after the CREATE STREAM statement, found 'garbage'"),
                errors("CREATE STREAM s (a INT) garbage; CREATE STREAM u (b INT)"));
        assertEquals(List.of("1:24 expected ';' after the CREATE STREAM statement | end each statement with ;"),
                errors("CREATE STREAM s (a INT) CREATE STREAM u (b INT)"));
        assertEquals(List.of("1:18 unexpected character '#'"), errors("CREATE STREAM s (#a INT)"));
        assertEquals(List.of("1:24 expected a column after ',', found ')' | remove the trailing comma"),
                errors("CREATE STREAM s (a INT,)"));
        assertEquals(List.of("5:1 expected ';' after the CREATE PATTERN statement, found ')'"),
                errors(pattern("  PATTERN (A B))")));
    }

    @Test
    void shouldExplainCommonMistakes() {
        assertEquals(List.of("5:19 '==' is not an operator | use = for equality"),
                errors(pattern("  PATTERN (A)\n  DEFINE A AS A.x == 1")));
        assertEquals(List.of("1:31 double quotes are not used: \"json\" | strings use single quotes; identifiers use back-quotes"),
                errors("CREATE STREAM s (a INT) WITH (\"json\" = 'x')"));
        assertEquals(List.of("1:8 expected STREAM, PATTERN or FEATURES after CREATE, found 'TABLE'"
                + " | Flink's CREATE TABLE is CREATE STREAM here"), errors("CREATE TABLE s (a INT)"));
        assertEquals(List.of("1:1 expected CREATE STREAM, found 'STREAM' | start the statement with CREATE"),
                errors("STREAM s (a INT)"));
        assertEquals(1, ParserTest.parse("STREAM s (a INT)").program().statements().size());
        assertEquals(List.of("1:1 expected CREATE STREAM, CREATE PATTERN or CREATE FEATURES, found 'SELECT'"
                + " | a query is defined as a pattern: CREATE PATTERN name AS SELECT ..."), errors("SELECT * FROM t"));
        assertEquals(List.of("1:18 expected a column name, found reserved word 'order'"
                + " | back-quote a reserved word to use it as a name: `order`"), errors("CREATE STREAM s (order INT)"));
        assertEquals(List.of("5:15 expected an expression, found '!' | use NOT for negation (! negates pattern variables)"),
                errors(pattern("  PATTERN (A)\n  DEFINE A AS !A.x")));
        assertEquals(List.of("5:22 expected NULL after IS, found 'TRUE' | compare with = TRUE"),
                errors(pattern("  PATTERN (A)\n  DEFINE A AS A.x IS TRUE")));
        assertEquals(List.of("4:16 expected AS before the measure name y | write <expression> AS y"),
                errors(pattern("  MEASURES A.x y\n  PATTERN (A)")));
        assertEquals(List.of("5:12 expected AS after A in DEFINE, found 'A' | write DEFINE A AS <condition>"),
                errors(pattern("  PATTERN (A)\n  DEFINE A A.x > 1")));
        assertEquals(List.of("1:40 option values are strings, found 'json' | write 'json'"),
                errors("CREATE STREAM s (a INT) WITH (format = json)"));
        assertEquals(List.of("4:16 a quantifier cannot follow another quantifier | put the quantified part in parentheses, as in (A+)*"),
                errors(pattern("  PATTERN (A B+*)")));
        assertEquals(List.of("4:15 quantifier {5,2} has its minimum above its maximum"), errors(pattern("  PATTERN (A B{5,2})")));
        assertEquals(List.of("4:14 the empty pattern '()' is not supported"), errors(pattern("  PATTERN (A ())")));
    }

    @Test
    void shouldReportMissingAndMisplacedClauses() {
        assertEquals(List.of("3:1 MATCH_RECOGNIZE needs a PATTERN clause"
                + " | add PATTERN (...) after the MEASURES, rows per match and AFTER MATCH clauses"),
                errors(pattern("  DEFINE A AS TRUE")));
        assertEquals(List.of("5:3 PATTERN must come before DEFINE"), errors(pattern("  DEFINE A AS TRUE\n  PATTERN (A)")));
        assertEquals(List.of("5:3 duplicate PATTERN clause"), errors(pattern("  PATTERN (A)\n  PATTERN (B)")));
        assertEquals(List.of("5:1 expected ')' to close MATCH_RECOGNIZE, found end of input"),
                errors(pattern("  PATTERN (A)").replaceAll("\\)$", "")));
    }

    @Test
    void shouldReportEveryErrorOfAFile() {
        String text = "CREATE STREAM t (\n"                                   // 1
                + "  card_id STRING\n"                                      // 2
                + "  amount DOUBLE,\n"                                      // 3: missing comma before
                + "  ts TIMESTAMP(3),\n"                                    // 4
                + "  WATERMARK FOR ts AS ts - INTERVAL '2' SECONDZ\n"       // 5: unit
                + ") WITH (\"format\" = 'json');\n"                         // 6: double quotes
                + "\n"                                                      // 7
                + "CREATE PATTERN p AS\n"                                   // 8
                + "SELECT * FROM t\n"                                       // 9
                + "MATCH_RECOGNIZE (\n"                                     // 10
                + "  PARTITON BY card_id\n"                                 // 11: typo
                + "  MEASURES A.amount AS a B.amount AS b\n"                // 12: missing comma
                + "  PATTERN (A B+ C\n"                                     // 13
                + "  DEFINE A AS A.amount == 1,\n"                          // 14: missing ')' and ==
                + "         B AS B.amount > 2\n"                            // 15
                + "         C AS C.amount < 'unterminated\n"                // 16: missing comma, string
                + ");\n"                                                    // 17
                + "\n"                                                      // 18
                + "CREAT FEATURES f ON t KEY card_id (\n"                   // 19: typo
                + "  n = COUNT(*) OVER TUMBLING INTERVAL '1' HOUR,\n"       // 20: window kind
                + "  m = SUM(amount) OVER SLIDING INTERVAL '1' WEEK\n"      // 21: unit
                + ")\n"                                                     // 22
                + "/* never closed\n";                                      // 23
        List<String> errors = errors(text).stream().map(s -> s.substring(0, s.indexOf(' ')))
                .collect(Collectors.toList());
        assertEquals(List.of("3:3", "5:41", "6:9", "11:3", "12:26", "14:3", "14:24", "16:10", "16:26", "19:1", "20:21",
                "21:45", "23:1"), errors);
        ParseResult r = ParserTest.parse(text);
        assertEquals(3, r.program().statements().size());
        assertTrue(r.hasErrors());
    }

    @Test
    void shouldRenderDiagnosticsWithLineColumnCaretAndHint() {
        SourceFile source = new SourceFile("fraud.cep", pattern("  PATTERN (A)\n  DEFINE A AS A.x == 1"));
        DslException e = new DslException(source, Parser.parse(source).diagnostics());
        assertEquals("fraud.cep:5:19: error: '==' is not an operator\n"
                + "    DEFINE A AS A.x == 1\n"
                + "                    ^^\n"
                + "  hint: use = for equality\n"
                + "1 error", e.getMessage());
    }

    @Test
    void shouldSurviveDeepNestingAndLongChains() {
        String deep = "CREATE PATTERN p AS SELECT " + "(".repeat(100_000) + "1 FROM t";
        List<Diagnostic> d = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> Parser.parse(new SourceFile("t", deep)).diagnostics());
        assertEquals("nesting is too deep (more than 200 levels)", d.get(0).message());

        String deepPattern = pattern("  PATTERN (" + "(".repeat(50_000) + "A");
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> Parser.parse(new SourceFile("t", deepPattern)));
        String negations = "CREATE PATTERN p AS SELECT " + "NOT -".repeat(50_000) + "1 FROM t";
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> Parser.parse(new SourceFile("t", negations)));

        String chain = "CREATE PATTERN p AS SELECT 1" + " + 1".repeat(100_000) + " FROM t";
        List<Diagnostic> c = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> Parser.parse(new SourceFile("t", chain)).diagnostics());
        assertTrue(c.get(0).message().startsWith("expression is too long"), c.get(0).message());
        // a long but reasonable chain is fine
        assertEquals(List.of(), errors("CREATE FEATURES f ON s KEY k (n = COUNT(*) FILTER (WHERE "
                + "x = 1" + " OR x = 1".repeat(500) + "))"));
    }

    @Test
    void shouldStopAfterTooManyErrors() {
        String text = "CREATE STREAM s (" + "a INT b INT ".repeat(1_000) + ")";
        List<Diagnostic> d = Parser.parse(new SourceFile("t", text)).diagnostics();
        assertEquals(Parser.MAX_ERRORS + 1, d.size());
        assertEquals("too many errors; stopping after 200", d.get(d.size() - 1).message());
    }
}
