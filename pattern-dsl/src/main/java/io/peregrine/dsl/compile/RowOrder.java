package io.peregrine.dsl.compile;

import io.peregrine.dsl.schema.Column;
import io.peregrine.dsl.schema.Row;
import java.util.Comparator;

/** Orders rows by one column, for ORDER BY columns after the event time (nulls first). */
final class RowOrder implements Comparator<Row> {

    private final int index;
    private final Column column;

    private RowOrder(Column column) {
        this.column = column;
        this.index = column.index();
    }

    static Comparator<Row> byColumn(Column column) {
        return new RowOrder(column);
    }

    @Override
    public int compare(Row a, Row b) {
        boolean an = a.isNull(index);
        boolean bn = b.isNull(index);
        if (an || bn) {
            return Boolean.compare(!an, !bn);
        }
        switch (column.type().kind()) {
            case DOUBLE:
                return Double.compare(a.getDouble(index), b.getDouble(index));
            case STRING:
                return a.getString(index).compareTo(b.getString(index));
            default:
                return Long.compare(a.getLong(index), b.getLong(index));
        }
    }
}
