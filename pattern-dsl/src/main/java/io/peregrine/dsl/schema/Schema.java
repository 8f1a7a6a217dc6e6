package io.peregrine.dsl.schema;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The columns of a stream or of a pattern's output rows. Names are case-sensitive (as in Flink
 * SQL); lookups happen when a program is compiled, never per event.
 */
public final class Schema {

    private final List<Column> columns;
    private final Map<String, Column> byName;

    private Schema(List<Column> columns) {
        this.columns = Collections.unmodifiableList(columns);
        Map<String, Column> map = new HashMap<>();
        for (Column c : columns) {
            if (map.putIfAbsent(c.name(), c) != null) {
                throw new IllegalArgumentException("duplicate column " + c.name());
            }
        }
        this.byName = map;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Column> columns() {
        return columns;
    }

    public int size() {
        return columns.size();
    }

    public Column column(int index) {
        return columns.get(index);
    }

    public Optional<Column> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The column, or an {@link IllegalArgumentException} naming the columns there are. */
    public Column column(String name) {
        Column c = byName.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no column " + name + " in " + this);
        }
        return c;
    }

    public List<String> names() {
        List<String> names = new ArrayList<>(columns.size());
        for (Column c : columns) {
            names.add(c.name());
        }
        return names;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Schema && ((Schema) o).columns.equals(columns);
    }

    @Override
    public int hashCode() {
        return columns.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        for (Column c : columns) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(c.name()).append(' ').append(c.type());
        }
        return sb.append(')').toString();
    }

    /** Adds columns in order; indexes are assigned by position. */
    public static final class Builder {
        private final List<Column> columns = new ArrayList<>();

        public Builder add(String name, DataType type) {
            columns.add(new Column(name, type, columns.size()));
            return this;
        }

        public Schema build() {
            return new Schema(new ArrayList<>(columns));
        }
    }
}
