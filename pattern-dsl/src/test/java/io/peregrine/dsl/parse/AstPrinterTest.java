package io.peregrine.dsl.parse;

import static io.peregrine.dsl.parse.Ast.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.peregrine.dsl.SourceFile;
import io.peregrine.dsl.ast.Expr;
import io.peregrine.dsl.ast.Expr.BinaryOp;
import io.peregrine.dsl.ast.Expr.LiteralKind;
import io.peregrine.dsl.ast.Ident;
import io.peregrine.dsl.ast.ProgramAst;
import io.peregrine.dsl.ast.RowPattern;
import io.peregrine.dsl.ast.RowPattern.Contiguity;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class AstPrinterTest {

    @Test
    void shouldParenthesiseOnlyWherePrecedenceNeedsIt() {
        assertEquals("a - b - c", AstPrinter.print(bin(BinaryOp.SUBTRACT, bin(BinaryOp.SUBTRACT, col("a"), col("b")), col("c"))));
        assertEquals("a - (b - c)", AstPrinter.print(bin(BinaryOp.SUBTRACT, col("a"), bin(BinaryOp.SUBTRACT, col("b"), col("c")))));
        assertEquals("a || (b || c)", AstPrinter.print(bin(BinaryOp.CONCAT, col("a"), bin(BinaryOp.CONCAT, col("b"), col("c")))));
        assertEquals("(a + b) * c", AstPrinter.print(bin(BinaryOp.MULTIPLY, bin(BinaryOp.ADD, col("a"), col("b")), col("c"))));
        assertEquals("a + b * c", AstPrinter.print(bin(BinaryOp.ADD, col("a"), bin(BinaryOp.MULTIPLY, col("b"), col("c")))));
        assertEquals("a OR b AND c", AstPrinter.print(bin(BinaryOp.OR, col("a"), bin(BinaryOp.AND, col("b"), col("c")))));
        assertEquals("(a OR b) AND c", AstPrinter.print(bin(BinaryOp.AND, bin(BinaryOp.OR, col("a"), col("b")), col("c"))));
        assertEquals("NOT a = b", AstPrinter.print(not(bin(BinaryOp.EQ, col("a"), col("b")))));
        assertEquals("(NOT a) = b", AstPrinter.print(bin(BinaryOp.EQ, not(col("a")), col("b"))));
        assertEquals("NOT (a OR b)", AstPrinter.print(not(bin(BinaryOp.OR, col("a"), col("b")))));
        assertEquals("-(a + b)", AstPrinter.print(neg(bin(BinaryOp.ADD, col("a"), col("b")))));
        assertEquals("-a * b", AstPrinter.print(bin(BinaryOp.MULTIPLY, neg(col("a")), col("b"))));
        assertEquals("x BETWEEN (a = b) AND c", AstPrinter.print(new Expr.Between(N, col("x"),
                bin(BinaryOp.EQ, col("a"), col("b")), col("c"), false)));
        assertEquals("a = b IS NOT NULL", AstPrinter.print(new Expr.IsNull(N, bin(BinaryOp.EQ, col("a"), col("b")), true)));
        assertEquals("a = (b IS NULL)", AstPrinter.print(bin(BinaryOp.EQ, col("a"), new Expr.IsNull(N, col("b"), false))));
    }

    @Test
    void shouldNeverPrintTwoMinusSignsAsAComment() {
        assertEquals("- -a", AstPrinter.print(neg(neg(col("a")))));
        assertEquals("a - -b", AstPrinter.print(bin(BinaryOp.SUBTRACT, col("a"), neg(col("b")))));
        Expr min = new Expr.Literal(N, LiteralKind.INTEGER, Long.MIN_VALUE);
        assertEquals("-9223372036854775808", AstPrinter.print(min));
        assertEquals("- -9223372036854775808", AstPrinter.print(neg(min)));
        assertEquals("a - -9223372036854775808", AstPrinter.print(bin(BinaryOp.SUBTRACT, col("a"), min)));
    }

    @Test
    void shouldPrintLiteralsSoThatTheyReadBackWithTheirType() {
        assertEquals("5.", AstPrinter.print(new Expr.Literal(N, LiteralKind.DECIMAL, new BigDecimal("5"))));
        assertEquals("1.50", AstPrinter.print(dec("1.50")));
        assertEquals("1.5E0", AstPrinter.print(dbl(1.5)));
        assertEquals("1.0E-10", AstPrinter.print(dbl(1e-10)));
        assertEquals("'it''s'", AstPrinter.print(str("it's")));
        assertEquals("NULL", AstPrinter.print(nul()));
        assertEquals("TRUE", AstPrinter.print(bool(true)));
        assertEquals("INTERVAL '10' MINUTE", AstPrinter.print(interval("10", Expr.TimeUnit.MINUTE)));
        assertEquals("TIMESTAMP '2024-01-01 00:00:00'", AstPrinter.print(new Expr.TimestampLiteral(N, "2024-01-01 00:00:00")));
        assertEquals("RUNNING LAST(A.price, 1)", AstPrinter.print(call(Expr.Semantics.RUNNING, "LAST", col("A", "price"), lit(1))));
        assertEquals("COUNT(DISTINCT x)", AstPrinter.print(new Expr.Call(N, "COUNT", List.of(col("x")), true, Expr.Semantics.DEFAULT)));
        assertEquals("COUNT(A.*)", AstPrinter.print(call("COUNT", star("A"))));
        assertEquals("CASE WHEN a THEN 1 ELSE 2 END", AstPrinter.print(new Expr.Case(N, null,
                List.of(new Expr.When(N, col("a"), lit(1))), lit(2))));
        assertEquals("CAST(x AS DECIMAL(10, 2))", AstPrinter.print(new Expr.Cast(N, col("x"), type("DECIMAL", 10, 2))));
    }

    @Test
    void shouldQuoteNamesThatNeedIt() {
        assertEquals("`select`", AstPrinter.name(new Ident(N, "select", false)));
        assertEquals("`a b`", AstPrinter.name("a b"));
        assertEquals("`a``b`", AstPrinter.name("a`b"));
        assertEquals("`1x`", AstPrinter.name("1x"));
        assertEquals("key", AstPrinter.name("key"));
        assertEquals("$rowtime", AstPrinter.name("$rowtime"));
        assertEquals("`price`", AstPrinter.name(qid("price")));
        assertEquals("`FILTER`(x)", AstPrinter.print(call("FILTER", col("x"))));
        assertEquals("`select`.x", AstPrinter.print(new Expr.ColumnRef(N, id("select"), id("x"))));
    }

    @Test
    void shouldPrintRowPatternsWithMinimalParentheses() {
        assertEquals("A (B C)", AstPrinter.print(seq(v("A"), seq(v("B"), v("C")))));
        assertEquals("A B C", AstPrinter.print(seq(v("A"), v("B"), v("C"))));
        assertEquals("(A | B) C", AstPrinter.print(seq(alt(v("A"), v("B")), v("C"))));
        assertEquals("A B | C", AstPrinter.print(alt(seq(v("A"), v("B")), v("C"))));
        assertEquals("A | (B | C)", AstPrinter.print(alt(v("A"), alt(v("B"), v("C")))));
        assertEquals("(A B)+", AstPrinter.print(q(seq(v("A"), v("B")), 1, -1)));
        assertEquals("(A+)*", AstPrinter.print(q(q(v("A"), 1, -1), 0, -1)));
        assertEquals("A -> B ->> C", AstPrinter.print(seq(List.of(v("A"), v("B"), v("C")), Contiguity.RELAXED, Contiguity.ANY)));
        assertEquals("A->+ B->>{2,}?", AstPrinter.print(seq(q(v("A"), 1, -1, false, Contiguity.RELAXED),
                q(v("B"), 2, -1, true, Contiguity.ANY))));
        assertEquals("A* A+ A? A{3} A{3,} A{,4} A{2,4} A??", AstPrinter.print(seq(q(v("A"), 0, -1), q(v("A"), 1, -1),
                q(v("A"), 0, 1), q(v("A"), 3, 3), q(v("A"), 3, -1), q(v("A"), 0, 4), q(v("A"), 2, 4),
                q(v("A"), 0, 1, true, Contiguity.STRICT))));
        assertEquals("^ PERMUTE(A, B C) {- D -} !E $", AstPrinter.print(seq(new RowPattern.Anchor(N, true),
                new RowPattern.Permute(N, List.of(v("A"), seq(v("B"), v("C")))), new RowPattern.Exclusion(N, v("D")),
                new RowPattern.Not(N, (RowPattern.Var) v("E")), new RowPattern.Anchor(N, false))));
    }

    @Test
    void shouldPrintAProgramInCanonicalLayout() {
        String source = "create stream t (a int, ts timestamp(3), watermark for ts as ts - interval '1' second) "
                + "with ('connector' = 'kafka', 'format.json-x' = 'it''s');"
                + "create pattern p as select a as x from t match_recognize (partition by a order by ts desc "
                + "measures first(A.ts) as f after match skip to A pattern (A+ -> B) within interval '1' hour "
                + "define A as a > 1 until a > 9) m;"
                + "create features f on t key a (n = count(*) filter (where a > 0) from p over sliding interval '1' day)";
        ProgramAst program = Parser.parse(new SourceFile("t", source)).program();
        assertEquals("CREATE STREAM t (\n"
                + "  a INT,\n"
                + "  ts TIMESTAMP(3),\n"
                + "  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND\n"
                + ") WITH (\n"
                + "  connector = 'kafka',\n"
                + "  'format.json-x' = 'it''s'\n"
                + ");\n"
                + "\n"
                + "CREATE PATTERN p AS\n"
                + "SELECT a AS x\n"
                + "FROM t\n"
                + "MATCH_RECOGNIZE (\n"
                + "  PARTITION BY a\n"
                + "  ORDER BY ts DESC\n"
                + "  MEASURES\n"
                + "    FIRST(A.ts) AS f\n"
                + "  AFTER MATCH SKIP TO LAST A\n"
                + "  PATTERN (A+ -> B)\n"
                + "  WITHIN INTERVAL '1' HOUR\n"
                + "  DEFINE\n"
                + "    A AS a > 1 UNTIL a > 9\n"
                + ") AS m;\n"
                + "\n"
                + "CREATE FEATURES f ON t KEY a (\n"
                + "  n = COUNT(*) FILTER (WHERE a > 0) FROM p OVER SLIDING INTERVAL '1' DAY\n"
                + ");\n", AstPrinter.print(program));
    }
}
