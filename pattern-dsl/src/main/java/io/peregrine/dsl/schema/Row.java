package io.peregrine.dsl.schema;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One immutable row of a {@link Schema}: the events patterns match and the rows they emit.
 *
 * <p>Values are unboxed: every non-string column has a {@code long} slot (DOUBLE as its raw bits),
 * strings a reference slot, and a null bitmap exists only when some column is null. Compiled
 * expressions read columns by index through the typed getters, which the JIT inlines to an array
 * load. Build rows with {@link RowBuilder}.
 */
public final class Row {

    private final Schema schema;
    private final long[] values;
    private final Object[] refs;
    private final long[] nulls;

    Row(Schema schema, long[] values, Object[] refs, long[] nulls) {
        this.schema = schema;
        this.values = values;
        this.refs = refs;
        this.nulls = nulls;
    }

    /** A row from boxed values in column order (tests and tools; decoders use {@link RowBuilder}). */
    public static Row of(Schema schema, Object... values) {
        if (values.length != schema.size()) {
            throw new IllegalArgumentException("expected " + schema.size() + " values, got " + values.length);
        }
        RowBuilder b = new RowBuilder(schema);
        for (int i = 0; i < values.length; i++) {
            b.setObject(i, values[i]);
        }
        return b.build();
    }

    public Schema schema() {
        return schema;
    }

    public int size() {
        return values.length;
    }

    public boolean isNull(int i) {
        return nulls != null && (nulls[i >>> 6] & (1L << i)) != 0;
    }

    /** BOOLEAN, INT, BIGINT, TIMESTAMP (epoch ms), DECIMAL (unscaled) and INTERVAL columns. */
    public long getLong(int i) {
        return values[i];
    }

    public int getInt(int i) {
        return (int) values[i];
    }

    public boolean getBoolean(int i) {
        return values[i] != 0;
    }

    public double getDouble(int i) {
        return Double.longBitsToDouble(values[i]);
    }

    public String getString(int i) {
        return refs == null ? null : (String) refs[i];
    }

    /**
     * The value boxed as its natural Java type (Boolean, Integer, Long, Double, BigDecimal, String,
     * Instant for TIMESTAMP, Long milliseconds for INTERVAL), or null. Not for hot paths.
     */
    public Object get(int i) {
        if (isNull(i)) {
            return null;
        }
        DataType t = schema.column(i).type();
        switch (t.kind()) {
            case BOOLEAN:
                return getBoolean(i);
            case INT:
                return getInt(i);
            case BIGINT:
            case INTERVAL:
                return getLong(i);
            case DOUBLE:
                return getDouble(i);
            case DECIMAL:
                return BigDecimal.valueOf(getLong(i), t.scale());
            case TIMESTAMP:
                return Instant.ofEpochMilli(getLong(i));
            case STRING:
                return getString(i);
            default:
                return null;
        }
    }

    public Object get(String column) {
        return get(schema.column(column).index());
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Row)) {
            return false;
        }
        Row r = (Row) o;
        if (!schema.equals(r.schema)) {
            return false;
        }
        for (int i = 0; i < values.length; i++) {
            if (!Objects.equals(get(i), r.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = 0; i < values.length; i++) {
            h = 31 * h + Objects.hashCode(get(i));
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            Object v = get(i);
            sb.append(schema.column(i).name()).append('=');
            sb.append(v instanceof String ? "'" + v + "'" : String.valueOf(v));
        }
        return sb.append('}').toString();
    }

    long[] rawValues() {
        return values;
    }

    Object[] rawRefs() {
        return refs;
    }

    long[] rawNulls() {
        return nulls == null ? null : Arrays.copyOf(nulls, nulls.length);
    }
}
