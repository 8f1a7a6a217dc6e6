package io.peregrine.dsl;

import io.peregrine.cep.Nfa;
import io.peregrine.dsl.schema.Row;
import io.peregrine.dsl.schema.Schema;
import java.util.Comparator;
import java.util.Objects;

/**
 * A pattern ready to run: the NFA over rows of its input stream, how rows are partitioned and
 * ordered, and how matches become output rows. Built by {@link Programs#compile}, or by hand from a
 * Java {@link io.peregrine.cep.Pattern} over rows.
 *
 * @param partitionColumns  input columns of {@code PARTITION BY}, in order (empty: one partition)
 * @param rowtimeColumn     the input's TIMESTAMP column that {@code ORDER BY} starts with
 * @param tieOrder          order of rows with equal timestamps (further ORDER BY columns), or null for arrival order
 * @param outputSchema      columns of the output rows: the PARTITION BY columns, then the MEASURES
 * @param timeoutProjector  projects timed-out partial matches ({@code EMIT TIMEOUTS}), or null when they are not emitted
 * @param timeoutSchema     columns of the timeout rows (one per partial match even for ALL ROWS PER MATCH, so
 *                          without the input columns), or null when timeouts are not emitted
 */
public record CompiledPattern(
        String name,
        StreamDef input,
        int[] partitionColumns,
        int rowtimeColumn,
        Comparator<Row> tieOrder,
        Nfa<Row> nfa,
        Schema outputSchema,
        MatchProjector projector,
        MatchProjector timeoutProjector,
        Schema timeoutSchema) {

    public CompiledPattern {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(nfa, "nfa");
        Objects.requireNonNull(outputSchema, "outputSchema");
        Objects.requireNonNull(projector, "projector");
        partitionColumns = partitionColumns.clone();
        if (rowtimeColumn < 0 || rowtimeColumn >= input.schema().size()) {
            throw new IllegalArgumentException("pattern " + name + " needs a rowtime column of " + input.name());
        }
        if ((timeoutProjector != null) != nfa.options().timedOutMatches()) {
            throw new IllegalArgumentException("a timeout projector needs an NFA that emits timed-out matches, and back");
        }
        if ((timeoutProjector != null) != (timeoutSchema != null)) {
            throw new IllegalArgumentException("a timeout projector needs a timeout schema, and back");
        }
    }

    /** A pattern whose timeout rows, if any, have the columns of its match rows. */
    public CompiledPattern(String name, StreamDef input, int[] partitionColumns, int rowtimeColumn,
                           Comparator<Row> tieOrder, Nfa<Row> nfa, Schema outputSchema, MatchProjector projector,
                           MatchProjector timeoutProjector) {
        this(name, input, partitionColumns, rowtimeColumn, tieOrder, nfa, outputSchema, projector, timeoutProjector,
                timeoutProjector == null ? null : outputSchema);
    }

    @Override
    public int[] partitionColumns() {
        return partitionColumns.clone();
    }

    public boolean emitsTimeouts() {
        return timeoutProjector != null;
    }
}
