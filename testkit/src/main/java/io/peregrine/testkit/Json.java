package io.peregrine.testkit;

import io.peregrine.dsl.schema.DataType;
import java.math.BigDecimal;

/** Renders generated values as the JSON a stream's decoder reads. */
final class Json {

    private Json() {
    }

    static void value(StringBuilder out, DataType type, Object value) {
        if (value == null) {
            out.append("null");
            return;
        }
        switch (type.kind()) {
            case STRING -> string(out, value.toString());
            case BOOLEAN -> out.append(((Boolean) value).booleanValue());
            case INT, BIGINT, TIMESTAMP -> out.append(((Number) value).longValue());
            case DOUBLE -> out.append(((Number) value).doubleValue());
            case DECIMAL -> out.append(value instanceof BigDecimal d ? d.toPlainString() : value.toString());
            default -> throw new IllegalArgumentException("cannot render a value of type " + type);
        }
    }

    static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        out.append('"');
    }
}
