package io.peregrine.dsl.parse;

import static io.peregrine.dsl.parse.Ast.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.dsl.Diagnostic;
import io.peregrine.dsl.SourceFile;
import io.peregrine.dsl.ast.Expr;
import io.peregrine.dsl.ast.Expr.BinaryOp;
import io.peregrine.dsl.ast.Expr.Semantics;
import io.peregrine.dsl.ast.Expr.TimeUnit;
import io.peregrine.dsl.ast.MatchRecognize;
import io.peregrine.dsl.ast.MatchRecognize.AfterMatch;
import io.peregrine.dsl.ast.MatchRecognize.Define;
import io.peregrine.dsl.ast.MatchRecognize.Measure;
import io.peregrine.dsl.ast.MatchRecognize.OrderItem;
import io.peregrine.dsl.ast.MatchRecognize.RowsPerMatch;
import io.peregrine.dsl.ast.MatchRecognize.SkipKind;
import io.peregrine.dsl.ast.MatchRecognize.Subset;
import io.peregrine.dsl.ast.ProgramAst;
import io.peregrine.dsl.ast.Query;
import io.peregrine.dsl.ast.RowPattern;
import io.peregrine.dsl.ast.RowPattern.Contiguity;
import io.peregrine.dsl.ast.Span;
import io.peregrine.dsl.ast.Statement;
import io.peregrine.dsl.ast.Statement.ColumnDef;
import io.peregrine.dsl.ast.Statement.FeatureDef;
import io.peregrine.dsl.ast.Statement.Option;
import io.peregrine.dsl.ast.Statement.Window;
import io.peregrine.dsl.ast.Statement.WindowKind;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ParserTest {

    static ParseResult parse(String text) {
        return Parser.parse(new SourceFile("test.cep", text));
    }

    /** Parses a program that must have no diagnostics; spans stripped. */
    static ProgramAst ok(String text) {
        SourceFile source = new SourceFile("test.cep", text);
        ParseResult r = Parser.parse(source);
        assertEquals("", r.diagnostics().stream().map(d -> d.render(source)).collect(Collectors.joining("\n")));
        return SpanStripper.strip(r.program());
    }

    static Expr expr(String text) {
        Parser.Fragment<Expr> f = Parser.parseExpression(text);
        assertEquals(List.of(), f.diagnostics(), text);
        return SpanStripper.strip(f.value());
    }

    static RowPattern pattern(String text) {
        Parser.Fragment<RowPattern> f = Parser.parseRowPattern(text);
        assertEquals(List.of(), f.diagnostics(), text);
        return SpanStripper.strip(f.value());
    }

    static MatchRecognize mr(String body) {
        Statement s = ok("CREATE PATTERN p AS SELECT * FROM s MATCH_RECOGNIZE (" + body + ")").statements().get(0);
        return ((Statement.CreatePattern) s).query().matchRecognize();
    }

    // ---------------------------------------------------------------- statements

    @Test
    void shouldParseCreateStreamWithWatermarkAndOptions() {
        ProgramAst p = ok("CREATE STREAM transactions (\n"
                + "  card_id STRING, amount DOUBLE, price DECIMAL(10, 2), ts TIMESTAMP(3),\n"
                + "  WATERMARK FOR ts AS ts - INTERVAL '2' SECOND\n"
                + ") WITH (format = 'json', 'connector' = 'kafka', scan.startup.mode = 'earliest-offset');");
        Statement expected = new Statement.CreateStream(N, id("transactions"),
                List.of(new ColumnDef(N, id("card_id"), type("STRING")),
                        new ColumnDef(N, id("amount"), type("DOUBLE")),
                        new ColumnDef(N, id("price"), type("DECIMAL", 10, 2)),
                        new ColumnDef(N, id("ts"), type("TIMESTAMP", 3))),
                new Statement.Watermark(N, id("ts"),
                        bin(BinaryOp.SUBTRACT, col("ts"), interval("2", TimeUnit.SECOND))),
                List.of(new Option(N, "format", "json"), new Option(N, "connector", "kafka"),
                        new Option(N, "scan.startup.mode", "earliest-offset")));
        assertEquals(List.of(expected), p.statements());
    }

    @Test
    void shouldKeepTypeNamesAsWrittenUpperCased() {
        ProgramAst p = ok("CREATE STREAM s (a varchar(10), b Char(3), c integer, d int, e bigint, f decimal(5), "
                + "g timestamp, h TIMESTAMP_LTZ(3), i TIMESTAMP(3) WITH LOCAL TIME ZONE, j DOUBLE PRECISION, "
                + "k TIMESTAMP(3) WITHOUT TIME ZONE, l boolean NULL)");
        List<ColumnDef> columns = ((Statement.CreateStream) p.statements().get(0)).columns();
        assertEquals(List.of(type("VARCHAR", 10), type("CHAR", 3), type("INTEGER"), type("INT"), type("BIGINT"),
                type("DECIMAL", 5), type("TIMESTAMP"), type("TIMESTAMP_LTZ", 3), type("TIMESTAMP_LTZ", 3),
                type("DOUBLE"), type("TIMESTAMP", 3), type("BOOLEAN")),
                columns.stream().map(ColumnDef::type).collect(Collectors.toList()));
    }

    @Test
    void shouldWarnThatNotNullIsIgnored() {
        ParseResult r = parse("CREATE STREAM s (a INT NOT NULL)");
        assertEquals(1, r.diagnostics().size());
        assertEquals(Diagnostic.Severity.WARNING, r.diagnostics().get(0).severity());
        assertEquals(new Span(23, 31), r.diagnostics().get(0).span());
    }

    @Test
    void shouldParseAPatternWithEveryClause() {
        ProgramAst p = ok("create pattern card_testing as\n"
                + "select card_id, B.amount as big from transactions\n"
                + "match_recognize (\n"
                + "  partition by card_id, country\n"
                + "  order by ts, amount desc\n"
                + "  measures FIRST(S.ts) as first_small, COUNT(S.*) as smalls\n"
                + "  all rows per match omit empty matches\n"
                + "  after match skip to first S\n"
                + "  pattern (S{3,} -> B)\n"
                + "  within interval '10' minute\n"
                + "  within interval '1' minute between rows\n"
                + "  emit timeouts\n"
                + "  subset U = (S, B), V = (B)\n"
                + "  define S as S.amount < 1.00,\n"
                + "         B as B.amount > 100 * AVG(S.amount) until B.amount > 10000\n"
                + ") as m");
        MatchRecognize expectedMr = new MatchRecognize(N,
                List.of(col("card_id"), col("country")),
                List.of(new OrderItem(N, col("ts"), false), new OrderItem(N, col("amount"), true)),
                List.of(new Measure(N, call("FIRST", col("S", "ts")), id("first_small")),
                        new Measure(N, call("COUNT", star("S")), id("smalls"))),
                RowsPerMatch.ALL_OMIT_EMPTY,
                new AfterMatch(N, SkipKind.TO_FIRST, id("S")),
                seq(List.of(q(v("S"), 3, -1), v("B")), Contiguity.RELAXED),
                interval("10", TimeUnit.MINUTE),
                interval("1", TimeUnit.MINUTE),
                true,
                List.of(new Subset(N, id("U"), List.of(id("S"), id("B"))), new Subset(N, id("V"), List.of(id("B")))),
                List.of(new Define(N, id("S"), bin(BinaryOp.LT, col("S", "amount"), dec("1.00")), null),
                        new Define(N, id("B"),
                                bin(BinaryOp.GT, col("B", "amount"),
                                        bin(BinaryOp.MULTIPLY, lit(100), call("AVG", col("S", "amount")))),
                                bin(BinaryOp.GT, col("B", "amount"), lit(10000)))));
        Query expectedQuery = new Query(N,
                List.of(new Query.SelectItem(N, col("card_id"), null),
                        new Query.SelectItem(N, col("B", "amount"), id("big"))),
                id("transactions"), expectedMr, id("m"));
        assertEquals(List.of(new Statement.CreatePattern(N, id("card_testing"), expectedQuery)), p.statements());
    }

    @Test
    void shouldLeaveAbsentClausesNullOrEmpty() {
        MatchRecognize m = mr("PATTERN (A) DEFINE A AS TRUE");
        assertEquals(List.of(), m.partitionBy());
        assertEquals(List.of(), m.measures());
        assertNull(m.rowsPerMatch());
        assertNull(m.afterMatch());
        assertNull(m.within());
        assertNull(m.gapWithin());
        assertEquals(false, m.emitTimeouts());
        assertEquals(v("A"), m.pattern());
        assertEquals(List.of(), mr("PATTERN (A B)").defines());
    }

    @Test
    void shouldParseCreateFeatures() {
        ProgramAst p = ok("CREATE FEATURES card_features ON transactions KEY card_id, country (\n"
                + "  txn_count_1h = COUNT(*) OVER SLIDING INTERVAL '1' HOUR,\n"
                + "  big_24h = COUNT(*) FILTER (WHERE amount > 500) OVER (SLIDING INTERVAL '24' HOURS),\n"
                + "  p95 = APPROX_PERCENTILE(amount, 0.95) OVER HOPPING INTERVAL '7' DAY EVERY INTERVAL '1' HOUR,\n"
                + "  last_country = LAST(country),\n"
                + "  card_testing_24h = COUNT(*) FROM card_testing OVER SLIDING INTERVAL '24' HOUR\n"
                + ")");
        Window hour = new Window(N, WindowKind.SLIDING, interval("1", TimeUnit.HOUR), null);
        Window day = new Window(N, WindowKind.SLIDING, interval("24", TimeUnit.HOUR), null);
        Statement expected = new Statement.CreateFeatures(N, id("card_features"), id("transactions"),
                List.of(id("card_id"), id("country")),
                List.of(new FeatureDef(N, id("txn_count_1h"), call("COUNT", star()), null, null, hour),
                        new FeatureDef(N, id("big_24h"), call("COUNT", star()),
                                bin(BinaryOp.GT, col("amount"), lit(500)), null, day),
                        new FeatureDef(N, id("p95"), call("APPROX_PERCENTILE", col("amount"), dec("0.95")), null, null,
                                new Window(N, WindowKind.HOPPING, interval("7", TimeUnit.DAY),
                                        interval("1", TimeUnit.HOUR))),
                        new FeatureDef(N, id("last_country"), call("LAST", col("country")), null, null, null),
                        new FeatureDef(N, id("card_testing_24h"), call("COUNT", star()), null, id("card_testing"),
                                day)));
        assertEquals(List.of(expected), p.statements());
        assertEquals(List.of(id("a"), id("b")),
                ((Statement.CreateFeatures) ok("CREATE FEATURES f ON s KEY (a, b) (n = COUNT(*))").statements().get(0))
                        .key());
    }

    @Test
    void shouldAcceptStatementsWithOptionalLastSemicolonAndEmptyStatements() {
        String stream = "CREATE STREAM s (a INT)";
        assertEquals(2, ok(stream + ";;" + stream).statements().size());
        assertEquals(1, ok(";" + stream + ";\n;").statements().size());
        assertEquals(0, ok("  -- nothing\n").statements().size());
    }

    // ---------------------------------------------------------------- MATCH_RECOGNIZE details

    @Test
    void shouldParseEveryRowsPerMatchForm() {
        assertEquals(RowsPerMatch.ONE, mr("ONE ROW PER MATCH PATTERN (A)").rowsPerMatch());
        assertEquals(RowsPerMatch.ALL, mr("ALL ROWS PER MATCH PATTERN (A)").rowsPerMatch());
        assertEquals(RowsPerMatch.ALL, mr("ALL ROWS PER MATCH SHOW EMPTY MATCHES PATTERN (A)").rowsPerMatch());
        assertEquals(RowsPerMatch.ALL_OMIT_EMPTY, mr("ALL ROWS PER MATCH OMIT EMPTY MATCHES PATTERN (A)").rowsPerMatch());
        assertEquals(RowsPerMatch.ALL_WITH_UNMATCHED,
                mr("ALL ROWS PER MATCH WITH UNMATCHED ROWS PATTERN (A)").rowsPerMatch());
    }

    @Test
    void shouldParseEveryAfterMatchForm() {
        assertEquals(new AfterMatch(N, SkipKind.PAST_LAST_ROW, null), mr("AFTER MATCH SKIP PAST LAST ROW PATTERN (A)").afterMatch());
        assertEquals(new AfterMatch(N, SkipKind.TO_NEXT_ROW, null), mr("AFTER MATCH SKIP TO NEXT ROW PATTERN (A)").afterMatch());
        assertEquals(new AfterMatch(N, SkipKind.TO_FIRST, id("A")), mr("AFTER MATCH SKIP TO FIRST A PATTERN (A)").afterMatch());
        assertEquals(new AfterMatch(N, SkipKind.TO_LAST, id("A")), mr("AFTER MATCH SKIP TO LAST A PATTERN (A)").afterMatch());
        assertEquals(new AfterMatch(N, SkipKind.TO_LAST, id("A")), mr("AFTER MATCH SKIP TO A PATTERN (A)").afterMatch());
        assertEquals(new AfterMatch(N, SkipKind.NO_SKIP, null), mr("AFTER MATCH NO SKIP PATTERN (A)").afterMatch());
        // contextual keywords stay usable as variable names
        assertEquals(new AfterMatch(N, SkipKind.TO_LAST, id("FIRST")), mr("AFTER MATCH SKIP TO FIRST PATTERN (FIRST)").afterMatch());
        assertEquals(new AfterMatch(N, SkipKind.TO_LAST, id("NEXT")), mr("AFTER MATCH SKIP TO NEXT PATTERN (NEXT)").afterMatch());
        assertEquals(new AfterMatch(N, SkipKind.TO_FIRST, id("ROW")), mr("AFTER MATCH SKIP TO FIRST ROW PATTERN (ROW)").afterMatch());
    }

    // ---------------------------------------------------------------- row patterns

    @Test
    void shouldParseConcatenationAlternationAndGroups() {
        assertEquals(seq(v("A"), q(v("B"), 1, -1), q(v("C"), 0, -1), v("D")), pattern("A B+ C* D"));
        assertEquals(alt(seq(v("A"), v("B")), v("C"), seq(v("D"), v("E"))), pattern("A B | C | D E"));
        // parentheses make no node, but nesting is kept
        assertEquals(seq(alt(seq(v("A"), v("B")), seq(v("C"), v("D"))), v("E")), pattern("(A B | C D) E"));
        assertEquals(seq(v("A"), q(seq(v("B"), v("C")), 1, -1)), pattern("(A (B C)+)"));
        assertEquals(seq(v("A"), seq(v("B"), v("C"))), pattern("A (B C)"));
    }

    @Test
    void shouldParseEveryQuantifier() {
        assertEquals(q(v("A"), 0, -1), pattern("A*"));
        assertEquals(q(v("A"), 1, -1), pattern("A+"));
        assertEquals(q(v("A"), 0, 1), pattern("A?"));
        assertEquals(q(v("A"), 3, 3), pattern("A{3}"));
        assertEquals(q(v("A"), 3, -1), pattern("A{3,}"));
        assertEquals(q(v("A"), 2, 5), pattern("A{ 2 , 5 }"));
        assertEquals(q(v("A"), 0, 4), pattern("A{,4}"));
        assertEquals(q(v("A"), 0, -1), pattern("A{,}"));
        assertEquals(q(v("A"), 0, -1, true, Contiguity.STRICT), pattern("A*?"));
        assertEquals(q(v("A"), 1, -1, true, Contiguity.STRICT), pattern("A+?"));
        assertEquals(q(v("A"), 0, 1, true, Contiguity.STRICT), pattern("A??"));
        assertEquals(q(v("A"), 2, 5, true, Contiguity.STRICT), pattern("A{2,5}?"));
    }

    @Test
    void shouldParseContiguityBetweenItemsAndBetweenRepetitions() {
        assertEquals(seq(List.of(v("A"), v("B"), v("C"), v("D")), Contiguity.RELAXED, Contiguity.ANY, Contiguity.STRICT),
                pattern("A -> B ->> C D"));
        assertEquals(q(v("A"), 1, -1, false, Contiguity.RELAXED), pattern("A->+"));
        assertEquals(q(v("A"), 3, -1, false, Contiguity.RELAXED), pattern("A->{3,}"));
        assertEquals(q(v("A"), 0, -1, true, Contiguity.ANY), pattern("A->>*?"));
        assertEquals(seq(List.of(q(v("A"), 1, -1, false, Contiguity.RELAXED), v("B")), Contiguity.RELAXED),
                pattern("A->+ -> B"));
    }

    @Test
    void shouldParsePermuteExclusionAnchorsAndNegation() {
        assertEquals(new RowPattern.Permute(N, List.of(v("A"), seq(v("B"), v("C")), v("D"))),
                pattern("PERMUTE(A, B C, D)"));
        assertEquals(seq(v("A"), new RowPattern.Exclusion(N, q(v("B"), 1, -1)), v("C")), pattern("A {- B+ -} C"));
        assertEquals(seq(new RowPattern.Anchor(N, true), v("A"), new RowPattern.Anchor(N, false)), pattern("^ A $"));
        RowPattern notB = new RowPattern.Not(N, (RowPattern.Var) v("B"));
        assertEquals(seq(v("A"), notB, v("C")), pattern("A !B C"));
        assertEquals(seq(List.of(v("A"), notB), Contiguity.RELAXED), pattern("A -> !B"));
        assertEquals(new RowPattern.Var(N, qid("weird var")), pattern("`weird var`"));
    }

    // ---------------------------------------------------------------- expressions

    @Test
    void shouldFollowSqlPrecedence() {
        // OR < AND < NOT < comparison < additive < multiplicative < unary
        assertEquals(bin(BinaryOp.OR, col("a"), bin(BinaryOp.AND, col("b"), not(bin(BinaryOp.EQ, col("c"),
                bin(BinaryOp.ADD, lit(1), bin(BinaryOp.MULTIPLY, lit(2), neg(lit(3)))))))),
                expr("a OR b AND NOT c = 1 + 2 * -3"));
        assertEquals(bin(BinaryOp.SUBTRACT, bin(BinaryOp.SUBTRACT, col("a"), col("b")), col("c")), expr("a - b - c"));
        assertEquals(bin(BinaryOp.SUBTRACT, col("a"), bin(BinaryOp.SUBTRACT, col("b"), col("c"))), expr("a - (b - c)"));
        assertEquals(bin(BinaryOp.CONCAT, bin(BinaryOp.ADD, col("a"), col("b")), col("c")), expr("a + b || c"));
        assertEquals(bin(BinaryOp.MODULO, bin(BinaryOp.DIVIDE, col("a"), col("b")), col("c")), expr("a / b % c"));
        assertEquals(bin(BinaryOp.NE, col("a"), col("b")), expr("a != b"));
        assertEquals(bin(BinaryOp.NE, col("a"), col("b")), expr("a <> b"));
        assertEquals(neg(neg(col("a"))), expr("- -a"));
        assertEquals(new Expr.Literal(N, Expr.LiteralKind.INTEGER, Long.MIN_VALUE), expr("-9223372036854775808"));
    }

    @Test
    void shouldParsePredicates() {
        assertEquals(new Expr.IsNull(N, col("A", "x"), false), expr("A.x IS NULL"));
        assertEquals(new Expr.IsNull(N, col("x"), true), expr("x IS NOT NULL"));
        assertEquals(new Expr.Between(N, col("x"), lit(1), bin(BinaryOp.ADD, lit(2), lit(3)), true),
                expr("x NOT BETWEEN 1 AND 2 + 3"));
        assertEquals(bin(BinaryOp.AND, new Expr.Between(N, col("x"), lit(1), lit(2), false), col("y")),
                expr("x BETWEEN 1 AND 2 AND y"));
        assertEquals(new Expr.In(N, col("c"), List.of(str("DE"), str("FR")), false), expr("c IN ('DE', 'FR')"));
        assertEquals(new Expr.In(N, col("c"), List.of(lit(1)), true), expr("c NOT IN (1)"));
        assertEquals(new Expr.Like(N, col("s"), str("a!%%"), str("!"), false), expr("s LIKE 'a!%%' ESCAPE '!'"));
        assertEquals(new Expr.Like(N, col("s"), str("a%"), null, true), expr("s NOT LIKE 'a%'"));
        // one level, left to right: (a = b) IS NULL
        assertEquals(new Expr.IsNull(N, bin(BinaryOp.EQ, col("a"), col("b")), false), expr("a = b IS NULL"));
    }

    @Test
    void shouldParseLiterals() {
        assertEquals(nul(), expr("NULL"));
        assertEquals(bool(true), expr("true"));
        assertEquals(bool(false), expr("FALSE"));
        assertEquals(dec("1.50"), expr("1.50"));
        assertEquals(dbl(1e-3), expr("1E-3"));
        assertEquals(str("it's"), expr("'it''s'"));
        assertEquals(new Expr.TimestampLiteral(N, "2024-01-01 00:00:00"), expr("TIMESTAMP '2024-01-01 00:00:00'"));
        assertEquals(interval("10", TimeUnit.MINUTE), expr("INTERVAL '10' MINUTE"));
        assertEquals(interval("10", TimeUnit.MINUTE), expr("INTERVAL '10' minutes"));
        assertEquals(interval("250", TimeUnit.MILLISECOND), expr("INTERVAL '250' MILLISECONDS"));
        assertEquals(interval("1.5", TimeUnit.SECOND), expr("INTERVAL '1.5' SECONDS"));
        assertEquals(interval("2", TimeUnit.DAY), expr("INTERVAL 2 DAYS"));
        assertEquals(interval("-1", TimeUnit.HOUR), expr("INTERVAL '-1' HOUR"));
    }

    @Test
    void shouldParseColumnReferences() {
        assertEquals(col("price"), expr("price"));
        assertEquals(col("A", "price"), expr("A.price"));
        assertEquals(new Expr.ColumnRef(N, qid("weird var"), id("x")), expr("`weird var`.x"));
        assertEquals(new Expr.ColumnRef(N, null, qid("select")), expr("`select`"));
        assertEquals(col("$rowtime"), expr("$rowtime"));
        // contextual keywords are plain names
        assertEquals(bin(BinaryOp.ADD, col("key"), col("timestamp")), expr("key + timestamp"));
    }

    @Test
    void shouldParseCalls() {
        assertEquals(call("COUNT", star()), expr("count(*)"));
        assertEquals(call("COUNT", star("A")), expr("COUNT(A.*)"));
        assertEquals(new Expr.Call(N, "COUNT", List.of(col("x")), true, Semantics.DEFAULT), expr("COUNT(DISTINCT x)"));
        assertEquals(call("LAST", col("PRICE_DOWN", "price"), lit(1)), expr("LAST(PRICE_DOWN.price, 1)"));
        assertEquals(call("PREV", col("A", "price"), lit(2)), expr("prev(A.price, 2)"));
        assertEquals(call("CLASSIFIER"), expr("CLASSIFIER()"));
        assertEquals(call("MATCH_NUMBER"), expr("match_number()"));
        assertEquals(call("MATCH_ROWTIME", col("rowtime")), expr("MATCH_ROWTIME(rowtime)"));
        assertEquals(call(Semantics.RUNNING, "LAST", col("A", "x")), expr("RUNNING LAST(A.x)"));
        assertEquals(call(Semantics.FINAL, "COUNT", star("A")), expr("FINAL COUNT(A.*)"));
        assertEquals(call("SUBSTRING", col("s"), lit(2), lit(3)), expr("SUBSTRING(s FROM 2 FOR 3)"));
        assertEquals(call("SUBSTRING", col("s"), lit(2)), expr("SUBSTRING(s FROM 2)"));
        assertEquals(call("SUBSTRING", col("s"), lit(2), lit(3)), expr("substring(s, 2, 3)"));
        assertEquals(call("PREV", call("FIRST", col("A", "p"), lit(3)), lit(2)), expr("PREV(FIRST(A.p, 3), 2)"));
        assertEquals(call("MY FUNC", lit(1)), expr("`my func`(1)"));
    }

    @Test
    void shouldParseCaseAndCast() {
        assertEquals(new Expr.Case(N, null, List.of(new Expr.When(N, bin(BinaryOp.GT, col("x"), lit(1)), str("big"))),
                str("small")), expr("CASE WHEN x > 1 THEN 'big' ELSE 'small' END"));
        assertEquals(new Expr.Case(N, col("c"), List.of(new Expr.When(N, str("DE"), lit(1)),
                new Expr.When(N, str("FR"), lit(2))), null), expr("CASE c WHEN 'DE' THEN 1 WHEN 'FR' THEN 2 END"));
        assertEquals(new Expr.Cast(N, col("x"), type("DECIMAL", 10, 2)), expr("CAST(x AS DECIMAL(10, 2))"));
    }

    @Test
    void shouldRecordSpansAsCharOffsets() {
        ParseResult r = parse("CREATE STREAM s (a INT);\nCREATE FEATURES f ON s KEY a (n = COUNT(*))");
        Statement.CreateStream s = (Statement.CreateStream) r.program().statements().get(0);
        assertEquals(new Span(0, 23), s.span());
        assertEquals(new Span(14, 15), s.name().span());
        assertEquals(new Span(17, 22), s.columns().get(0).span());
        Statement.CreateFeatures f = (Statement.CreateFeatures) r.program().statements().get(1);
        assertEquals(new Span(25, 68), f.span());
        Expr count = f.features().get(0).aggregate();
        assertEquals(new Span(59, 67), count.span());
        assertEquals(new Span(65, 66), ((Expr.Call) count).args().get(0).span());
        Expr e = Parser.parseExpression("a + b * c").value();
        assertEquals(new Span(0, 9), e.span());
        assertEquals(new Span(4, 9), ((Expr.Binary) e).right().span());
        assertTrue(Parser.parseRowPattern("A  B+").value().span().equals(new Span(0, 5)));
    }
}
