package io.peregrine.cli;

import io.peregrine.feature.FeatureInfo;
import io.peregrine.feature.FeatureStatus;
import io.peregrine.feature.FeatureType;
import io.peregrine.feature.FeatureValue;
import io.peregrine.runtime.format.Timestamps;
import io.peregrine.runtime.sink.JsonWriter;
import java.util.List;

/** Feature values as JSON (for {@code run --features-out}) and CSV cells (for {@code backfill}). */
final class FeatureText {

    private FeatureText() {
    }

    /** {@code {"<key column>":key, "<feature>":value, ...}}; values that are not PRESENT are null. */
    static String json(String keyColumn, Object key, List<FeatureInfo> features, List<FeatureValue> values) {
        JsonWriter w = new JsonWriter();
        w.raw((byte) '{').raw(JsonWriter.fieldName(keyColumn));
        if (key instanceof Long l) {
            w.number(l);
        } else {
            w.string(String.valueOf(key));
        }
        for (int i = 0; i < features.size(); i++) {
            w.raw((byte) ',').raw(JsonWriter.fieldName(features.get(i).name()));
            value(w, features.get(i).type(), values.get(i));
        }
        w.raw((byte) '}');
        return w.toString();
    }

    private static void value(JsonWriter w, FeatureType type, FeatureValue v) {
        if (v.status() != FeatureStatus.PRESENT) {
            w.nullValue();
            return;
        }
        element(w, type, v.value());
    }

    private static void element(JsonWriter w, FeatureType type, Object o) {
        if (o instanceof List<?> list) {
            w.raw((byte) '[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    w.raw((byte) ',');
                }
                element(w, null, list.get(i));
            }
            w.raw((byte) ']');
        } else if (o instanceof Long l) {
            if (type == FeatureType.TIMESTAMP) {
                w.timestamp(l);
            } else {
                w.number(l);
            }
        } else if (o instanceof Double d) {
            w.number(d);
        } else if (o instanceof Boolean b) {
            w.bool(b);
        } else {
            w.string(String.valueOf(o));
        }
    }

    /** A CSV cell: empty unless PRESENT; timestamps in ISO-8601, lists as JSON arrays; quoted when needed. */
    static String csv(FeatureType type, FeatureValue v) {
        if (v.status() != FeatureStatus.PRESENT) {
            return "";
        }
        Object o = v.value();
        String text;
        if (o instanceof List<?>) {
            JsonWriter w = new JsonWriter();
            element(w, type, o);
            text = w.toString();
        } else if (type == FeatureType.TIMESTAMP && o instanceof Long l) {
            text = Timestamps.formatIso(l);
        } else {
            text = String.valueOf(o);
        }
        return quote(text);
    }

    static String quote(String text) {
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
