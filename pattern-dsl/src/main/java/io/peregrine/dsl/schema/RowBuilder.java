package io.peregrine.dsl.schema;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Arrays;

/**
 * Fills one row at a time for a schema and hands it over with {@link #build()}, after which the
 * builder starts a fresh row (every column null until set). Reuse one builder per decoder: the only
 * allocation per row is the row itself and its arrays.
 */
public final class RowBuilder {

    private final Schema schema;
    private final boolean hasRefs;
    /** Every column's bit set: a fresh row starts with this copy. */
    private final long[] allUnset;
    private long[] values;
    private Object[] refs;
    private long[] unset;
    /** Arrays are handed to the built row; new ones are allocated only when the next row starts. */
    private boolean handedOver;

    public RowBuilder(Schema schema) {
        this.schema = schema;
        boolean strings = false;
        for (Column c : schema.columns()) {
            strings |= c.type().kind() == DataType.Kind.STRING;
        }
        this.hasRefs = strings;
        int n = schema.size();
        this.allUnset = new long[(n + 63) >>> 6];
        for (int i = 0; i < n; i++) {
            allUnset[i >>> 6] |= 1L << i;
        }
        fresh();
    }

    private void fresh() {
        int n = schema.size();
        values = new long[n];
        refs = hasRefs ? new Object[n] : null;
        unset = allUnset.clone();
    }

    public Schema schema() {
        return schema;
    }

    private void ensureFresh() {
        if (handedOver) {
            fresh();
            handedOver = false;
        }
    }

    private void mark(int i) {
        unset[i >>> 6] &= ~(1L << i);
    }

    public RowBuilder setLong(int i, long v) {
        ensureFresh();
        values[i] = v;
        mark(i);
        return this;
    }

    public RowBuilder setBoolean(int i, boolean v) {
        return setLong(i, v ? 1 : 0);
    }

    public RowBuilder setDouble(int i, double v) {
        return setLong(i, Double.doubleToRawLongBits(v));
    }

    public RowBuilder setString(int i, String v) {
        if (v == null) {
            return setNull(i);
        }
        ensureFresh();
        refs[i] = v;
        mark(i);
        return this;
    }

    public RowBuilder setNull(int i) {
        ensureFresh();
        values[i] = 0;
        if (refs != null) {
            refs[i] = null;
        }
        unset[i >>> 6] |= 1L << i;
        return this;
    }

    /** Sets a column from a boxed Java value, converting between numeric types; not for hot paths. */
    public RowBuilder setObject(int i, Object v) {
        if (v == null) {
            return setNull(i);
        }
        DataType t = schema.column(i).type();
        switch (t.kind()) {
            case BOOLEAN:
                return setBoolean(i, (Boolean) v);
            case INT:
            case BIGINT:
            case INTERVAL:
                return setLong(i, ((Number) v).longValue());
            case DOUBLE:
                return setDouble(i, ((Number) v).doubleValue());
            case DECIMAL: {
                BigDecimal d = v instanceof BigDecimal ? (BigDecimal) v : new BigDecimal(v.toString());
                return setLong(i, d.setScale(t.scale(), RoundingMode.HALF_UP).unscaledValue().longValueExact());
            }
            case TIMESTAMP:
                return setLong(i, v instanceof Instant ? ((Instant) v).toEpochMilli() : ((Number) v).longValue());
            case STRING:
                return setString(i, v.toString());
            default:
                throw new IllegalArgumentException("cannot store a value of type " + t);
        }
    }

    /** The row as set so far (unset columns are null); the builder then starts a new row. */
    public Row build() {
        ensureFresh();
        boolean anyNull = false;
        for (long w : unset) {
            anyNull |= w != 0;
        }
        Row row = new Row(schema, values, refs, anyNull ? unset : null);
        handedOver = true;
        return row;
    }

    /** Starts the current row over without building it (after a decode error). */
    public void reset() {
        if (handedOver) {
            return;
        }
        Arrays.fill(values, 0);
        if (refs != null) {
            Arrays.fill(refs, null);
        }
        System.arraycopy(allUnset, 0, unset, 0, unset.length);
    }
}
