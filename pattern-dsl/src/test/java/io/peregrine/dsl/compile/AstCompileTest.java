package io.peregrine.dsl.compile;

import static org.junit.jupiter.api.Assertions.*;

import io.peregrine.cep.Match;
import io.peregrine.cep.MatchCollector;
import io.peregrine.cep.NfaState;
import io.peregrine.dsl.*;
import io.peregrine.dsl.ast.*;
import io.peregrine.dsl.ast.Expr.*;
import io.peregrine.dsl.ast.MatchRecognize.*;
import io.peregrine.dsl.ast.RowPattern.*;
import io.peregrine.dsl.ast.Statement.*;
import io.peregrine.dsl.schema.Row;
import java.math.BigDecimal;
import java.util.*;
import org.junit.jupiter.api.Test;

/** Compiles a hand-built syntax tree, independent of the parser. */
class AstCompileTest {
    static final Span S = Span.NONE;
    static Ident id(String n) { return new Ident(S, n); }
    static ColumnRef col(String q, String c) { return new ColumnRef(S, q == null ? null : id(q), id(c)); }
    static Literal num(String v) { return new Literal(S, LiteralKind.DECIMAL, new BigDecimal(v)); }
    static Literal i(long v) { return new Literal(S, LiteralKind.INTEGER, v); }

    @Test
    void cardTestingFromTreeEmitsOneRowWithMeasures() {
        var stream = new CreateStream(S, id("tx"), List.of(
                new ColumnDef(S, id("card"), new TypeName(S, "STRING", List.of())),
                new ColumnDef(S, id("amount"), new TypeName(S, "DOUBLE", List.of())),
                new ColumnDef(S, id("ts"), new TypeName(S, "TIMESTAMP", List.of(3)))),
                new Watermark(S, id("ts"), new Binary(S, BinaryOp.SUBTRACT, col(null, "ts"), new IntervalLiteral(S, "2", TimeUnit.SECOND))),
                List.of(new Option(S, "format", "json")));
        var pattern = new Concat(S, List.of(new Quantified(S, new Var(S, id("S")), 3, -1, false, Contiguity.STRICT), new Var(S, id("B"))),
                List.of(Contiguity.STRICT));
        var mr = new MatchRecognize(S, List.of(col(null, "card")), List.of(new OrderItem(S, col(null, "ts"), false)),
                List.of(new Measure(S, new Call(S, "FIRST", List.of(col("S", "ts")), false, Semantics.DEFAULT), id("first_small")),
                        new Measure(S, col("B", "amount"), id("big")),
                        new Measure(S, new Call(S, "COUNT", List.of(new Star(S, id("S"))), false, Semantics.DEFAULT), id("smalls")),
                        new Measure(S, new Call(S, "AVG", List.of(col("S", "amount")), false, Semantics.DEFAULT), id("avg_small")),
                        new Measure(S, new Call(S, "CLASSIFIER", List.of(), false, Semantics.DEFAULT), id("cls")),
                        new Measure(S, new Call(S, "MATCH_NUMBER", List.of(), false, Semantics.DEFAULT), id("mn"))),
                RowsPerMatch.ONE, new AfterMatch(S, SkipKind.PAST_LAST_ROW, null), pattern,
                new IntervalLiteral(S, "10", TimeUnit.MINUTE), null, false, List.of(),
                List.of(new Define(S, id("S"), new Binary(S, BinaryOp.LT, col("S", "amount"), num("1.00")), null),
                        new Define(S, id("B"), new Binary(S, BinaryOp.AND,
                                new Binary(S, BinaryOp.GT, col("B", "amount"), i(500)),
                                new Binary(S, BinaryOp.GT, col("B", "amount"), new Binary(S, BinaryOp.MULTIPLY, i(100),
                                        new Call(S, "AVG", List.of(col("S", "amount")), false, Semantics.DEFAULT)))), null)));
        var query = new Query(S, List.of(), id("tx"), mr, null);
        var ast = new ProgramAst(List.of(stream, new CreatePattern(S, id("card_testing"), query)));
        List<Diagnostic> diags = new ArrayList<>();
        Program p = ProgramCompiler.compile(new SourceFile("t", ""), ast, diags);
        assertNull(diags.isEmpty() ? null : diags.toString());
        CompiledPattern cp = p.patterns().get(0);
        var schema = p.streams().get(0).schema();
        NfaState<Row> st = cp.nfa().newState();
        List<Row> out = new ArrayList<>();
        long[] n = {0};
        MatchCollector<Row> c = new MatchCollector<>() {
            public void onMatch(Match<Row> m) { cp.projector().project(m, ++n[0], out::add); }
        };
        double[] amounts = {0.5, 0.2, 0.9, 0.1, 600};
        for (int k = 0; k < amounts.length; k++) {
            Row r = Row.of(schema, "c1", amounts[k], (long) k * 1000);
            cp.nfa().process(st, r, k * 1000L, c);
        }
        assertEquals("(card STRING, first_small TIMESTAMP(3), big DOUBLE, smalls BIGINT, avg_small DOUBLE, cls STRING, mn BIGINT)", cp.outputSchema().toString());
        assertEquals(List.of(Row.of(cp.outputSchema(), "c1", 0L, 600.0, 4L, (0.5 + 0.2 + 0.9 + 0.1) / 4, "B", 1L)), out);
    }
}
