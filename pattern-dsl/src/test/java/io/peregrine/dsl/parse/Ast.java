package io.peregrine.dsl.parse;

import io.peregrine.dsl.ast.Expr;
import io.peregrine.dsl.ast.Expr.BinaryOp;
import io.peregrine.dsl.ast.Expr.LiteralKind;
import io.peregrine.dsl.ast.Ident;
import io.peregrine.dsl.ast.RowPattern;
import io.peregrine.dsl.ast.RowPattern.Contiguity;
import io.peregrine.dsl.ast.Span;
import io.peregrine.dsl.ast.TypeName;
import java.math.BigDecimal;
import java.util.List;

/** Terse builders of span-less trees for expected values in tests. */
final class Ast {

    static final Span N = Span.NONE;

    private Ast() {}

    static Ident id(String name) {
        return new Ident(N, name, false);
    }

    static Ident qid(String name) {
        return new Ident(N, name, true);
    }

    static Expr col(String name) {
        return new Expr.ColumnRef(N, null, id(name));
    }

    static Expr col(String qualifier, String name) {
        return new Expr.ColumnRef(N, id(qualifier), id(name));
    }

    static Expr lit(long v) {
        return new Expr.Literal(N, LiteralKind.INTEGER, v);
    }

    static Expr dec(String v) {
        return new Expr.Literal(N, LiteralKind.DECIMAL, new BigDecimal(v));
    }

    static Expr dbl(double v) {
        return new Expr.Literal(N, LiteralKind.DOUBLE, v);
    }

    static Expr str(String v) {
        return new Expr.Literal(N, LiteralKind.STRING, v);
    }

    static Expr bool(boolean v) {
        return new Expr.Literal(N, LiteralKind.BOOLEAN, v);
    }

    static Expr nul() {
        return new Expr.Literal(N, LiteralKind.NULL, null);
    }

    static Expr interval(String v, Expr.TimeUnit unit) {
        return new Expr.IntervalLiteral(N, v, unit);
    }

    static Expr bin(BinaryOp op, Expr l, Expr r) {
        return new Expr.Binary(N, op, l, r);
    }

    static Expr neg(Expr e) {
        return new Expr.Unary(N, Expr.UnaryOp.NEGATE, e);
    }

    static Expr not(Expr e) {
        return new Expr.Unary(N, Expr.UnaryOp.NOT, e);
    }

    static Expr call(String name, Expr... args) {
        return new Expr.Call(N, name, List.of(args), false, Expr.Semantics.DEFAULT);
    }

    static Expr call(Expr.Semantics semantics, String name, Expr... args) {
        return new Expr.Call(N, name, List.of(args), false, semantics);
    }

    static Expr star() {
        return new Expr.Star(N, null);
    }

    static Expr star(String qualifier) {
        return new Expr.Star(N, id(qualifier));
    }

    static TypeName type(String name, Integer... params) {
        return new TypeName(N, name, List.of(params));
    }

    static RowPattern v(String name) {
        return new RowPattern.Var(N, id(name));
    }

    /** A strict sequence. */
    static RowPattern seq(RowPattern... items) {
        Contiguity[] links = new Contiguity[items.length - 1];
        java.util.Arrays.fill(links, Contiguity.STRICT);
        return new RowPattern.Concat(N, List.of(items), List.of(links));
    }

    static RowPattern seq(List<RowPattern> items, Contiguity... links) {
        return new RowPattern.Concat(N, items, List.of(links));
    }

    static RowPattern alt(RowPattern... alternatives) {
        return new RowPattern.Alternation(N, List.of(alternatives));
    }

    static RowPattern q(RowPattern body, int min, int max) {
        return new RowPattern.Quantified(N, body, min, max, false, Contiguity.STRICT);
    }

    static RowPattern q(RowPattern body, int min, int max, boolean reluctant, Contiguity loop) {
        return new RowPattern.Quantified(N, body, min, max, reluctant, loop);
    }
}
