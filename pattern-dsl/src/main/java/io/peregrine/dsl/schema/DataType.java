package io.peregrine.dsl.schema;

import java.util.Objects;

/**
 * A SQL type of the language. Values live in {@link Row}s without boxing: BOOLEAN, INT, BIGINT,
 * DECIMAL (unscaled, at most 18 digits) and TIMESTAMP (epoch milliseconds) as {@code long}, DOUBLE as
 * {@code double}, STRING as {@link String}. INTERVAL (milliseconds) and NULL only occur in expressions.
 */
public record DataType(Kind kind, int precision, int scale) {

    /** Type kinds; the order is the numeric widening order where it applies. */
    public enum Kind { NULL, BOOLEAN, INT, BIGINT, DECIMAL, DOUBLE, STRING, TIMESTAMP, INTERVAL }

    public static final int MAX_DECIMAL_PRECISION = 18;

    public static final DataType NULL = new DataType(Kind.NULL, 0, 0);
    public static final DataType BOOLEAN = new DataType(Kind.BOOLEAN, 0, 0);
    public static final DataType INT = new DataType(Kind.INT, 0, 0);
    public static final DataType BIGINT = new DataType(Kind.BIGINT, 0, 0);
    public static final DataType DOUBLE = new DataType(Kind.DOUBLE, 0, 0);
    public static final DataType STRING = new DataType(Kind.STRING, 0, 0);
    public static final DataType TIMESTAMP = new DataType(Kind.TIMESTAMP, 3, 0);
    public static final DataType INTERVAL = new DataType(Kind.INTERVAL, 0, 0);

    public DataType {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.DECIMAL) {
            if (precision < 1 || precision > MAX_DECIMAL_PRECISION || scale < 0 || scale > precision) {
                throw new IllegalArgumentException("DECIMAL(" + precision + "," + scale + ") is out of range");
            }
        }
    }

    public static DataType decimal(int precision, int scale) {
        return new DataType(Kind.DECIMAL, precision, scale);
    }

    public boolean isNumeric() {
        return kind == Kind.INT || kind == Kind.BIGINT || kind == Kind.DECIMAL || kind == Kind.DOUBLE;
    }

    /** Whether a value of this type is held in a row's {@code long} slot. */
    public boolean isLongBacked() {
        return kind == Kind.BOOLEAN || kind == Kind.INT || kind == Kind.BIGINT || kind == Kind.DECIMAL
                || kind == Kind.TIMESTAMP || kind == Kind.INTERVAL;
    }

    @Override
    public String toString() {
        switch (kind) {
            case DECIMAL:
                return "DECIMAL(" + precision + ", " + scale + ")";
            case TIMESTAMP:
                return "TIMESTAMP(3)";
            default:
                return kind.name();
        }
    }
}
