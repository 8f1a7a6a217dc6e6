package io.peregrine.dsl;

import io.peregrine.cep.Match;
import io.peregrine.dsl.schema.Row;
import java.util.function.Consumer;

/**
 * Turns a match into the pattern's output rows (its MEASURES): one row, or one per matched row for
 * ALL ROWS PER MATCH. Called on the worker thread that owns the key; must not keep the match.
 */
@FunctionalInterface
public interface MatchProjector {

    /**
     * @param matchNumber the 1-based number of this match within its partition ({@code MATCH_NUMBER()})
     */
    void project(Match<Row> match, long matchNumber, Consumer<Row> out);
}
