package io.peregrine.dsl.ast;

import java.util.List;

/** A top-level statement of a program. */
public sealed interface Statement {

    Span span();

    Ident name();

    /**
     * {@code CREATE STREAM name (columns..., WATERMARK FOR col AS expr) WITH (key = 'value', ...)}.
     * {@code watermark} is null when the stream has none.
     */
    record CreateStream(Span span, Ident name, List<ColumnDef> columns, Watermark watermark, List<Option> options)
            implements Statement {
        public CreateStream {
            columns = List.copyOf(columns);
            options = List.copyOf(options);
        }
    }

    /** {@code CREATE PATTERN name AS SELECT ... FROM stream MATCH_RECOGNIZE (...)}. */
    record CreatePattern(Span span, Ident name, Query query) implements Statement {}

    /**
     * {@code CREATE FEATURES name ON stream KEY column (feature = AGG(expr) [FILTER (WHERE cond)]
     * [FROM pattern] [OVER window], ...)}. Parsed now; compiled by the feature-store.
     */
    record CreateFeatures(Span span, Ident name, Ident stream, List<Ident> key, List<FeatureDef> features)
            implements Statement {
        public CreateFeatures {
            key = List.copyOf(key);
            features = List.copyOf(features);
        }
    }

    /** {@code name TYPE} in a stream's column list. */
    record ColumnDef(Span span, Ident name, TypeName type) {}

    /** {@code WATERMARK FOR column AS expression}, typically {@code ts - INTERVAL '2' SECOND}. */
    record Watermark(Span span, Ident column, Expr expression) {}

    /** {@code key = 'value'} in a {@code WITH (...)} clause; keys may be dotted or quoted strings. */
    record Option(Span span, String key, String value) {}

    /**
     * One feature: {@code name = aggregate [FILTER (WHERE filter)] [FROM pattern] [OVER window]};
     * {@code filter}, {@code fromPattern} and {@code window} are null when absent (no window: lifetime).
     */
    record FeatureDef(Span span, Ident name, Expr aggregate, Expr filter, Ident fromPattern, Window window) {}

    /** {@code SLIDING INTERVAL size} or {@code HOPPING INTERVAL size EVERY INTERVAL hop} (hop null when sliding). */
    record Window(Span span, WindowKind kind, Expr size, Expr hop) {}

    enum WindowKind { SLIDING, HOPPING }
}
