package io.peregrine.dsl.compile;

import io.peregrine.dsl.schema.DataType;
import io.peregrine.dsl.schema.Row;
import java.util.function.ToDoubleFunction;

/**
 * Feeds one numeric column to a cep-core running aggregate. DECIMAL columns feed their unscaled
 * value, so sums stay exact integers (below 2^53) and are scaled back when read.
 */
final class ColumnValue implements ToDoubleFunction<Row> {

    private final int index;
    private final boolean isDouble;

    ColumnValue(int index, DataType type) {
        this.index = index;
        this.isDouble = type.kind() == DataType.Kind.DOUBLE;
    }

    @Override
    public double applyAsDouble(Row row) {
        return isDouble ? row.getDouble(index) : (double) row.getLong(index);
    }
}
