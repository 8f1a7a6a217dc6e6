package io.peregrine.grpc;

import io.peregrine.dsl.schema.DataType;
import io.peregrine.dsl.schema.Row;
import io.peregrine.feature.FeatureStatus;
import io.peregrine.feature.FeatureType;
import io.peregrine.grpc.v1.Value;
import io.peregrine.grpc.v1.ValueList;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Conversions between Java values (feature values, row columns) and {@code peregrine.v1.Value}. */
public final class ProtoValues {

    private static final Value NULL = Value.getDefaultInstance();

    private ProtoValues() {}

    /** A feature value as {@link io.peregrine.feature.FeatureValue#value()} holds it. */
    public static Value of(Object v) {
        if (v == null) {
            return NULL;
        }
        if (v instanceof Long l) {
            return Value.newBuilder().setInt64Value(l).build();
        }
        if (v instanceof Integer i) {
            return Value.newBuilder().setInt64Value(i).build();
        }
        if (v instanceof Double d) {
            return Value.newBuilder().setDoubleValue(d).build();
        }
        if (v instanceof Float f) {
            return Value.newBuilder().setDoubleValue(f).build();
        }
        if (v instanceof String s) {
            return Value.newBuilder().setStringValue(s).build();
        }
        if (v instanceof Boolean b) {
            return Value.newBuilder().setBoolValue(b).build();
        }
        if (v instanceof BigDecimal d) {
            return Value.newBuilder().setStringValue(d.toPlainString()).build();
        }
        if (v instanceof java.time.Instant t) {
            return Value.newBuilder().setInt64Value(t.toEpochMilli()).build();
        }
        if (v instanceof List<?> list) {
            ValueList.Builder b = ValueList.newBuilder();
            for (Object o : list) {
                b.addValues(of(o));
            }
            return Value.newBuilder().setListValue(b).build();
        }
        throw new IllegalArgumentException("no peregrine.v1.Value for a " + v.getClass().getName());
    }

    /** The Java value of a proto value, as a feature value holds it (the inverse of {@link #of}). */
    public static Object toJava(Value v) {
        switch (v.getKindCase()) {
            case INT64_VALUE:
                return v.getInt64Value();
            case DOUBLE_VALUE:
                return v.getDoubleValue();
            case STRING_VALUE:
                return v.getStringValue();
            case BOOL_VALUE:
                return v.getBoolValue();
            case LIST_VALUE: {
                List<Object> out = new ArrayList<>(v.getListValue().getValuesCount());
                for (Value e : v.getListValue().getValuesList()) {
                    out.add(toJava(e));
                }
                return out;
            }
            default:
                return null;
        }
    }

    /** Column {@code i} of a row, unboxed where the type allows. */
    public static Value column(Row row, int i) {
        if (row.isNull(i)) {
            return NULL;
        }
        DataType t = row.schema().column(i).type();
        switch (t.kind()) {
            case BOOLEAN:
                return Value.newBuilder().setBoolValue(row.getBoolean(i)).build();
            case INT:
            case BIGINT:
            case INTERVAL:
            case TIMESTAMP:
                return Value.newBuilder().setInt64Value(row.getLong(i)).build();
            case DOUBLE:
                return Value.newBuilder().setDoubleValue(row.getDouble(i)).build();
            case DECIMAL:
                return Value.newBuilder().setStringValue(BigDecimal.valueOf(row.getLong(i), t.scale()).toPlainString()).build();
            case STRING:
                return Value.newBuilder().setStringValue(row.getString(i)).build();
            default:
                return NULL;
        }
    }

    static io.peregrine.grpc.v1.FeatureStatus status(FeatureStatus s) {
        switch (s) {
            case PRESENT:
                return io.peregrine.grpc.v1.FeatureStatus.PRESENT;
            case NOT_FOUND:
                return io.peregrine.grpc.v1.FeatureStatus.NOT_FOUND;
            case OUT_OF_WINDOW:
                return io.peregrine.grpc.v1.FeatureStatus.OUT_OF_WINDOW;
            default:
                throw new IllegalArgumentException(String.valueOf(s));
        }
    }

    static FeatureStatus status(io.peregrine.grpc.v1.FeatureStatus s) {
        switch (s) {
            case PRESENT:
                return FeatureStatus.PRESENT;
            case OUT_OF_WINDOW:
                return FeatureStatus.OUT_OF_WINDOW;
            default:
                return FeatureStatus.NOT_FOUND;
        }
    }

    static io.peregrine.grpc.v1.FeatureType type(FeatureType t) {
        switch (t) {
            case BIGINT:
                return io.peregrine.grpc.v1.FeatureType.BIGINT;
            case DOUBLE:
                return io.peregrine.grpc.v1.FeatureType.DOUBLE;
            case STRING:
                return io.peregrine.grpc.v1.FeatureType.STRING;
            case BOOLEAN:
                return io.peregrine.grpc.v1.FeatureType.BOOLEAN;
            case TIMESTAMP:
                return io.peregrine.grpc.v1.FeatureType.TIMESTAMP;
            case DURATION:
                return io.peregrine.grpc.v1.FeatureType.DURATION;
            case LIST:
                return io.peregrine.grpc.v1.FeatureType.LIST;
            default:
                throw new IllegalArgumentException(String.valueOf(t));
        }
    }
}
