package io.peregrine.dsl.ast;

import java.util.List;

/** Expressions of DEFINE, MEASURES, SELECT, WATERMARK and feature definitions. */
public sealed interface Expr {

    Span span();

    /** {@code NULL}, TRUE/FALSE, integers (Long), exact decimals (BigDecimal), approximate numbers (Double), strings. */
    record Literal(Span span, LiteralKind kind, Object value) implements Expr {}

    enum LiteralKind { NULL, BOOLEAN, INTEGER, DECIMAL, DOUBLE, STRING }

    /**
     * {@code INTERVAL 'n' unit}, e.g. {@code INTERVAL '10' MINUTE}; {@code value} is the quoted text,
     * which may be negative or fractional for SECOND.
     */
    record IntervalLiteral(Span span, String value, TimeUnit unit) implements Expr {}

    enum TimeUnit { MILLISECOND, SECOND, MINUTE, HOUR, DAY }

    /** {@code TIMESTAMP '2024-01-31 12:00:00.000'} (UTC). */
    record TimestampLiteral(Span span, String value) implements Expr {}

    /** {@code column} or {@code qualifier.column}; the qualifier is a pattern variable, subset or table alias. */
    record ColumnRef(Span span, Ident qualifier, Ident column) implements Expr {}

    /** {@code *} or {@code var.*}, only as a function argument ({@code COUNT(*)}, {@code COUNT(A.*)}). */
    record Star(Span span, Ident qualifier) implements Expr {}

    record Unary(Span span, UnaryOp op, Expr operand) implements Expr {}

    enum UnaryOp { NEGATE, PLUS, NOT }

    record Binary(Span span, BinaryOp op, Expr left, Expr right) implements Expr {}

    /** Binary operators; {@code CONCAT} is {@code ||}. */
    enum BinaryOp { OR, AND, EQ, NE, LT, LE, GT, GE, ADD, SUBTRACT, MULTIPLY, DIVIDE, MODULO, CONCAT }

    record IsNull(Span span, Expr operand, boolean negated) implements Expr {}

    /** {@code value [NOT] BETWEEN low AND high}. */
    record Between(Span span, Expr value, Expr low, Expr high, boolean negated) implements Expr {}

    /** {@code value [NOT] IN (a, b, ...)}. */
    record In(Span span, Expr value, List<Expr> list, boolean negated) implements Expr {
        public In {
            list = List.copyOf(list);
        }
    }

    /** {@code value [NOT] LIKE pattern [ESCAPE escape]}; escape null when absent. */
    record Like(Span span, Expr value, Expr pattern, Expr escape, boolean negated) implements Expr {}

    /** {@code CASE [operand] WHEN .. THEN .. ... [ELSE ..] END}; operand and elseResult null when absent. */
    record Case(Span span, Expr operand, List<When> whens, Expr elseResult) implements Expr {
        public Case {
            whens = List.copyOf(whens);
        }
    }

    record When(Span span, Expr condition, Expr result) {}

    /** {@code CAST(operand AS type)}. */
    record Cast(Span span, Expr operand, TypeName type) implements Expr {}

    /**
     * A function call: scalar functions, aggregates ({@code distinct} for {@code COUNT(DISTINCT x)}),
     * navigation ({@code FIRST}, {@code LAST}, {@code PREV}, {@code NEXT}), {@code CLASSIFIER()},
     * {@code MATCH_NUMBER()}, {@code MATCH_ROWTIME()}. Names are upper-cased by the parser.
     * {@code SUBSTRING(s FROM a FOR b)} is parsed as {@code SUBSTRING(s, a, b)}.
     */
    record Call(Span span, String name, List<Expr> args, boolean distinct, Semantics semantics) implements Expr {
        public Call {
            args = List.copyOf(args);
        }
    }

    /** The {@code RUNNING} / {@code FINAL} prefix of a navigation or aggregate call; DEFAULT when absent. */
    enum Semantics { DEFAULT, RUNNING, FINAL }
}
