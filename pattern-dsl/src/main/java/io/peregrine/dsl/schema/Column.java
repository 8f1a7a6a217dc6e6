package io.peregrine.dsl.schema;

import java.util.Objects;

/** A named, typed column; {@code index} is its position in the schema and in every row. */
public record Column(String name, DataType type, int index) {

    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (index < 0) {
            throw new IllegalArgumentException("negative column index");
        }
    }
}
