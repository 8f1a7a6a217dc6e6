package io.peregrine.dsl.compile;

import io.peregrine.cep.Condition;
import io.peregrine.cep.Context;
import io.peregrine.cep.EventRef;
import io.peregrine.dsl.schema.Row;

/**
 * {@code ^}: the first variable may take its first row only at the partition's first row (later
 * rows of a looping first variable continue the match).
 */
final class StartAnchor implements Condition<Row> {

    private final EventRef<Row> first;

    StartAnchor(EventRef<Row> first) {
        this.first = first;
    }

    @Override
    public boolean test(Row event, Context<Row> context) {
        return context.position() == 0 || context.event(first) != null;
    }

    @Override
    public String description() {
        return "^ (the partition's first row)";
    }
}
