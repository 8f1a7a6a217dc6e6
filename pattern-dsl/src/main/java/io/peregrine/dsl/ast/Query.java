package io.peregrine.dsl.ast;

import java.util.List;

/**
 * {@code SELECT items FROM stream MATCH_RECOGNIZE (...) [[AS] alias]}. An empty {@code select} list
 * means {@code SELECT *}; {@code alias} is null when absent.
 */
public record Query(Span span, List<SelectItem> select, Ident from, MatchRecognize matchRecognize, Ident alias) {
    public Query {
        select = List.copyOf(select);
    }

    /** {@code expression [AS alias]}; alias null when absent. */
    public record SelectItem(Span span, Expr expression, Ident alias) {}
}
