package io.peregrine.dsl.ast;

import java.util.List;

/**
 * The row pattern of a {@code PATTERN ( ... )} clause. Parentheses create no node: the printer
 * adds them back where precedence needs them (alternation binds loosest, then concatenation, then
 * quantifiers).
 */
public sealed interface RowPattern {

    Span span();

    /** A pattern variable. */
    record Var(Span span, Ident name) implements RowPattern {}

    /**
     * Items in sequence. {@code links.get(i)} joins item i and i+1: SQL's juxtaposition is
     * {@link Contiguity#STRICT}; the extensions {@code ->} and {@code ->>} are relaxed and
     * non-deterministic relaxed contiguity.
     */
    record Concat(Span span, List<RowPattern> items, List<Contiguity> links) implements RowPattern {
        public Concat {
            items = List.copyOf(items);
            links = List.copyOf(links);
            if (items.size() < 2 || links.size() != items.size() - 1) {
                throw new IllegalArgumentException("a sequence needs n >= 2 items and n - 1 links");
            }
        }
    }

    /** {@code a | b | ...}: the first alternative that leads to a match is preferred. */
    record Alternation(Span span, List<RowPattern> alternatives) implements RowPattern {
        public Alternation {
            alternatives = List.copyOf(alternatives);
        }
    }

    /**
     * {@code body*}, {@code +}, {@code ?}, {@code {n}}, {@code {n,}}, {@code {n,m}}, {@code {,m}}, each
     * optionally reluctant ({@code ?} suffix). {@code max} is -1 when unbounded. {@code loop} is the
     * contiguity between repetitions: STRICT in SQL, relaxed with the extension {@code ->+}.
     */
    record Quantified(Span span, RowPattern body, int min, int max, boolean reluctant, Contiguity loop)
            implements RowPattern {
        public static final int UNBOUNDED = -1;
    }

    /** {@code PERMUTE(a, b, ...)}: all orders, preferring the one written. */
    record Permute(Span span, List<RowPattern> items) implements RowPattern {
        public Permute {
            items = List.copyOf(items);
        }
    }

    /** {@code {- body -}}: matched but left out of ALL ROWS PER MATCH output. */
    record Exclusion(Span span, RowPattern body) implements RowPattern {}

    /** {@code ^} (start of the partition) or {@code $} (end of the partition). */
    record Anchor(Span span, boolean start) implements RowPattern {}

    /** The extension {@code !var}: no row matching {@code var} (NOT NEXT, or NOT FOLLOWED BY after {@code ->}). */
    record Not(Span span, Var variable) implements RowPattern {}

    /** How consecutive items (or repetitions) may be separated by rows that match neither. */
    enum Contiguity {
        /** Juxtaposition: the next row must match (SQL, FlinkCEP {@code next}). */
        STRICT,
        /** {@code ->}: skip rows until one matches (FlinkCEP {@code followedBy}). */
        RELAXED,
        /** {@code ->>}: every later matching row starts another branch (FlinkCEP {@code followedByAny}). */
        ANY
    }
}
