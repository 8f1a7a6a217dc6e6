package io.peregrine.dsl.ast;

import java.util.List;

/**
 * A type as written: {@code STRING}, {@code DECIMAL(10, 2)}, {@code TIMESTAMP(3)}; names are upper-cased
 * by the parser ({@code VARCHAR} and the like are kept as written so the checker can suggest STRING).
 */
public record TypeName(Span span, String name, List<Integer> params) {
    public TypeName {
        params = List.copyOf(params);
    }
}
