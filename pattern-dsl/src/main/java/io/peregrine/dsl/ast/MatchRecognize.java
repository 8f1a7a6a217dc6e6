package io.peregrine.dsl.ast;

import java.util.List;

/**
 * The body of {@code MATCH_RECOGNIZE ( ... )}. Optional parts are null (or empty lists) when
 * absent; the compiler supplies Flink SQL's defaults.
 *
 * @param rowsPerMatch   null when absent (ONE ROW PER MATCH)
 * @param afterMatch     null when absent (Flink SQL: SKIP TO NEXT ROW)
 * @param within         null when absent
 * @param gapWithin      {@code WITHIN INTERVAL ... BETWEEN ROWS}: the most time between consecutive rows; null when absent
 * @param emitTimeouts   {@code EMIT TIMEOUTS}: partial matches whose WITHIN passed are emitted as rows of their own
 */
public record MatchRecognize(
        Span span,
        List<Expr> partitionBy,
        List<OrderItem> orderBy,
        List<Measure> measures,
        RowsPerMatch rowsPerMatch,
        AfterMatch afterMatch,
        RowPattern pattern,
        Expr within,
        Expr gapWithin,
        boolean emitTimeouts,
        List<Subset> subsets,
        List<Define> defines) {

    public MatchRecognize {
        partitionBy = List.copyOf(partitionBy);
        orderBy = List.copyOf(orderBy);
        measures = List.copyOf(measures);
        subsets = List.copyOf(subsets);
        defines = List.copyOf(defines);
    }

    /** {@code expression [ASC|DESC]}. */
    public record OrderItem(Span span, Expr expression, boolean descending) {}

    /** {@code expression AS alias} in MEASURES. */
    public record Measure(Span span, Expr expression, Ident alias) {}

    /** {@code SUBSET name = (var, ...)}. */
    public record Subset(Span span, Ident name, List<Ident> variables) {
        public Subset {
            variables = List.copyOf(variables);
        }
    }

    /** {@code var AS condition [UNTIL stop]}: UNTIL (an extension) ends a looping variable; null when absent. */
    public record Define(Span span, Ident variable, Expr condition, Expr until) {}

    /** {@code AFTER MATCH SKIP ...} or the extension {@code AFTER MATCH NO SKIP}; {@code variable} for TO FIRST/LAST. */
    public record AfterMatch(Span span, SkipKind kind, Ident variable) {}

    public enum SkipKind { PAST_LAST_ROW, TO_NEXT_ROW, TO_FIRST, TO_LAST, NO_SKIP }

    /** {@code ONE ROW PER MATCH}, {@code ALL ROWS PER MATCH [SHOW EMPTY MATCHES | OMIT EMPTY MATCHES | WITH UNMATCHED ROWS]}. */
    public enum RowsPerMatch { ONE, ALL, ALL_OMIT_EMPTY, ALL_WITH_UNMATCHED }
}
