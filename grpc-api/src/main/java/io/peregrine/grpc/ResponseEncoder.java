package io.peregrine.grpc;

import com.google.protobuf.CodedOutputStream;
import io.peregrine.feature.FeatureResponse;
import io.peregrine.feature.FeatureValue;
import io.peregrine.feature.KeyFeatures;
import io.peregrine.grpc.v1.FeatureType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;

/**
 * Writes a {@code peregrine.v1.GetFeaturesResponse} straight from a {@link FeatureResponse} into
 * its wire bytes, without building the message tree: a 100-key read would otherwise build about
 * 2,000 nested messages and their builders only to serialize them once. The bytes equal what the
 * generated {@code GetFeaturesResponse.toByteArray()} gives for the same content (same field
 * order, same packing), so any protobuf client reads them unchanged.
 */
public final class ResponseEncoder {

    // field numbers of features.proto and values.proto
    private static final int RESP_FEATURE_SET = 1;
    private static final int RESP_FEATURES = 2;
    private static final int RESP_TYPES = 3;
    private static final int RESP_ROWS = 4;
    private static final int RESP_AS_OF = 5;
    private static final int RESP_WATERMARK = 6;
    private static final int KEY_KEY = 1;
    private static final int KEY_FOUND = 2;
    private static final int KEY_LAST_EVENT = 3;
    private static final int KEY_VALUES = 4;
    private static final int FV_STATUS = 1;
    private static final int FV_VALUE = 2;
    private static final int V_INT64 = 1;
    private static final int V_DOUBLE = 2;
    private static final int V_STRING = 3;
    private static final int V_BOOL = 4;
    private static final int V_LIST = 5;
    private static final int LIST_VALUES = 1;

    private static final int PRESENT = io.peregrine.grpc.v1.FeatureStatus.PRESENT_VALUE;
    private static final int NOT_FOUND = io.peregrine.grpc.v1.FeatureStatus.NOT_FOUND_VALUE;
    private static final int OUT_OF_WINDOW = io.peregrine.grpc.v1.FeatureStatus.OUT_OF_WINDOW_VALUE;

    private ResponseEncoder() {}

    /**
     * The response's fields 1 to 3 (feature set, feature names, types): the same for every read of
     * all of a feature set's features, so callers cache it per feature set.
     */
    public static byte[] header(String featureSet, List<String> features, List<FeatureType> types) {
        int size = headerSize(featureSet, features, types);
        byte[] out = new byte[size];
        CodedOutputStream o = CodedOutputStream.newInstance(out);
        try {
            writeHeader(o, featureSet, features, types);
            o.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The whole response, after a {@link #header} for its feature set, names and types. */
    public static byte[] encode(byte[] header, FeatureResponse r) {
        List<KeyFeatures> rows = r.rows();
        int[] rowSizes = new int[rows.size()];
        int size = header.length;
        for (int i = 0; i < rowSizes.length; i++) {
            rowSizes[i] = rowSize(rows.get(i));
            size += CodedOutputStream.computeTagSize(RESP_ROWS) + CodedOutputStream.computeUInt32SizeNoTag(rowSizes[i])
                    + rowSizes[i];
        }
        if (r.asOfMillis() != 0) {
            size += CodedOutputStream.computeInt64Size(RESP_AS_OF, r.asOfMillis());
        }
        if (r.watermarkMillis() != 0) {
            size += CodedOutputStream.computeInt64Size(RESP_WATERMARK, r.watermarkMillis());
        }
        byte[] out = new byte[size];
        System.arraycopy(header, 0, out, 0, header.length);
        CodedOutputStream o = CodedOutputStream.newInstance(out, header.length, size - header.length);
        try {
            for (int i = 0; i < rowSizes.length; i++) {
                KeyFeatures k = rows.get(i);
                o.writeTag(RESP_ROWS, 2);
                o.writeUInt32NoTag(rowSizes[i]);
                writeRow(o, k);
            }
            if (r.asOfMillis() != 0) {
                o.writeInt64(RESP_AS_OF, r.asOfMillis());
            }
            if (r.watermarkMillis() != 0) {
                o.writeInt64(RESP_WATERMARK, r.watermarkMillis());
            }
            o.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static int headerSize(String featureSet, List<String> features, List<FeatureType> types) {
        int size = featureSet.isEmpty() ? 0 : CodedOutputStream.computeStringSize(RESP_FEATURE_SET, featureSet);
        for (int i = 0; i < features.size(); i++) {
            size += CodedOutputStream.computeStringSize(RESP_FEATURES, features.get(i));
        }
        int packed = packedTypesSize(types);
        if (packed > 0) {
            size += CodedOutputStream.computeTagSize(RESP_TYPES) + CodedOutputStream.computeUInt32SizeNoTag(packed) + packed;
        }
        return size;
    }

    private static int packedTypesSize(List<FeatureType> types) {
        int packed = 0;
        for (int i = 0; i < types.size(); i++) {
            packed += CodedOutputStream.computeEnumSizeNoTag(types.get(i).getNumber());
        }
        return packed;
    }

    private static void writeHeader(CodedOutputStream o, String featureSet, List<String> features, List<FeatureType> types)
            throws IOException {
        if (!featureSet.isEmpty()) {
            o.writeString(RESP_FEATURE_SET, featureSet);
        }
        for (int i = 0; i < features.size(); i++) {
            o.writeString(RESP_FEATURES, features.get(i));
        }
        int packed = packedTypesSize(types);
        if (packed > 0) {
            o.writeTag(RESP_TYPES, 2);
            o.writeUInt32NoTag(packed);
            for (int i = 0; i < types.size(); i++) {
                o.writeEnumNoTag(types.get(i).getNumber());
            }
        }
    }

    private static int rowSize(KeyFeatures k) {
        int size = k.key().isEmpty() ? 0 : CodedOutputStream.computeStringSize(KEY_KEY, k.key());
        if (k.found()) {
            size += CodedOutputStream.computeBoolSize(KEY_FOUND, true)
                    + CodedOutputStream.computeInt64Size(KEY_LAST_EVENT, k.lastEventMillis());
        }
        List<FeatureValue> values = k.values();
        for (int i = 0; i < values.size(); i++) {
            int v = featureValueSize(values.get(i));
            size += CodedOutputStream.computeTagSize(KEY_VALUES) + CodedOutputStream.computeUInt32SizeNoTag(v) + v;
        }
        return size;
    }

    private static void writeRow(CodedOutputStream o, KeyFeatures k) throws IOException {
        if (!k.key().isEmpty()) {
            o.writeString(KEY_KEY, k.key());
        }
        if (k.found()) {
            o.writeBool(KEY_FOUND, true);
            o.writeInt64(KEY_LAST_EVENT, k.lastEventMillis());
        }
        List<FeatureValue> values = k.values();
        for (int i = 0; i < values.size(); i++) {
            FeatureValue v = values.get(i);
            o.writeTag(KEY_VALUES, 2);
            o.writeUInt32NoTag(featureValueSize(v));
            writeFeatureValue(o, v);
        }
    }

    private static int status(FeatureValue v) {
        switch (v.status()) {
            case NOT_FOUND:
                return NOT_FOUND;
            case OUT_OF_WINDOW:
                return OUT_OF_WINDOW;
            default:
                return PRESENT;
        }
    }

    private static int featureValueSize(FeatureValue v) {
        int status = status(v);
        int size = CodedOutputStream.computeEnumSize(FV_STATUS, status);
        // as the builder path: only a PRESENT value carries a Value, and only when it is not null
        if (status == PRESENT && v.value() != null) {
            int vs = valueSize(v.value());
            size += CodedOutputStream.computeTagSize(FV_VALUE) + CodedOutputStream.computeUInt32SizeNoTag(vs) + vs;
        }
        return size;
    }

    private static void writeFeatureValue(CodedOutputStream o, FeatureValue v) throws IOException {
        int status = status(v);
        o.writeEnum(FV_STATUS, status);
        if (status == PRESENT && v.value() != null) {
            o.writeTag(FV_VALUE, 2);
            o.writeUInt32NoTag(valueSize(v.value()));
            writeValue(o, v.value());
        }
    }

    /** The size of a {@code Value} message; the same cases, in the same order, as {@link ProtoValues#of}. */
    private static int valueSize(Object v) {
        if (v == null) {
            return 0;
        }
        if (v instanceof Long l) {
            return CodedOutputStream.computeInt64Size(V_INT64, l);
        }
        if (v instanceof Integer i) {
            return CodedOutputStream.computeInt64Size(V_INT64, i);
        }
        if (v instanceof Double || v instanceof Float) {
            return CodedOutputStream.computeDoubleSize(V_DOUBLE, 0);
        }
        if (v instanceof String s) {
            return CodedOutputStream.computeStringSize(V_STRING, s);
        }
        if (v instanceof Boolean) {
            return CodedOutputStream.computeBoolSize(V_BOOL, true);
        }
        if (v instanceof BigDecimal d) {
            return CodedOutputStream.computeStringSize(V_STRING, d.toPlainString());
        }
        if (v instanceof java.time.Instant t) {
            return CodedOutputStream.computeInt64Size(V_INT64, t.toEpochMilli());
        }
        if (v instanceof List<?> list) {
            int ls = listSize(list);
            return CodedOutputStream.computeTagSize(V_LIST) + CodedOutputStream.computeUInt32SizeNoTag(ls) + ls;
        }
        throw new IllegalArgumentException("no peregrine.v1.Value for a " + v.getClass().getName());
    }

    private static int listSize(List<?> list) {
        int size = 0;
        for (int i = 0; i < list.size(); i++) {
            int es = valueSize(list.get(i));
            size += CodedOutputStream.computeTagSize(LIST_VALUES) + CodedOutputStream.computeUInt32SizeNoTag(es) + es;
        }
        return size;
    }

    private static void writeValue(CodedOutputStream o, Object v) throws IOException {
        if (v == null) {
            return;
        }
        if (v instanceof Long l) {
            o.writeInt64(V_INT64, l);
        } else if (v instanceof Integer i) {
            o.writeInt64(V_INT64, i);
        } else if (v instanceof Double d) {
            o.writeDouble(V_DOUBLE, d);
        } else if (v instanceof Float f) {
            o.writeDouble(V_DOUBLE, f);
        } else if (v instanceof String s) {
            o.writeString(V_STRING, s);
        } else if (v instanceof Boolean b) {
            o.writeBool(V_BOOL, b);
        } else if (v instanceof BigDecimal d) {
            o.writeString(V_STRING, d.toPlainString());
        } else if (v instanceof java.time.Instant t) {
            o.writeInt64(V_INT64, t.toEpochMilli());
        } else if (v instanceof List<?> list) {
            o.writeTag(V_LIST, 2);
            o.writeUInt32NoTag(listSize(list));
            for (int i = 0; i < list.size(); i++) {
                Object e = list.get(i);
                o.writeTag(LIST_VALUES, 2);
                o.writeUInt32NoTag(valueSize(e));
                writeValue(o, e);
            }
        } else {
            throw new IllegalArgumentException("no peregrine.v1.Value for a " + v.getClass().getName());
        }
    }
}
