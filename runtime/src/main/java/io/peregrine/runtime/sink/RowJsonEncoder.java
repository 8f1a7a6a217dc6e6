package io.peregrine.runtime.sink;

import io.peregrine.dsl.schema.Column;
import io.peregrine.dsl.schema.DataType;
import io.peregrine.dsl.schema.Row;
import io.peregrine.dsl.schema.Schema;

/**
 * A row as a JSON object: its schema's columns in order, by name. BOOLEAN as {@code true/false},
 * INT and BIGINT as integers, DOUBLE as a number, DECIMAL as its exact decimal number, TIMESTAMP as
 * {@code "2024-01-01T00:00:00.000Z"}, INTERVAL as milliseconds, STRING escaped, null as {@code null}.
 */
public final class RowJsonEncoder implements JsonEncoder<Row> {

    private final byte[][] names;
    private final DataType[] types;
    private final byte[] prefix;

    public RowJsonEncoder(Schema schema) {
        this(schema, null, null);
    }

    private RowJsonEncoder(Schema schema, String tagField, String tagValue) {
        this.names = new byte[schema.size()][];
        this.types = new DataType[schema.size()];
        for (Column c : schema.columns()) {
            names[c.index()] = JsonWriter.fieldName(c.name());
            types[c.index()] = c.type();
        }
        if (tagField == null) {
            prefix = null;
        } else {
            JsonWriter w = new JsonWriter();
            w.raw(JsonWriter.fieldName(tagField)).string(tagValue);
            prefix = w.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** The same objects with a first field naming where they come from, e.g. {@code "@pattern":"card_testing"}. */
    public static RowJsonEncoder tagged(Schema schema, String field, String value) {
        return new RowJsonEncoder(schema, field, value);
    }

    @Override
    public void encode(Row row, JsonWriter out) {
        out.raw((byte) '{');
        if (prefix != null) {
            out.raw(prefix);
            if (names.length > 0) {
                out.raw((byte) ',');
            }
        }
        for (int i = 0; i < names.length; i++) {
            if (i > 0) {
                out.raw((byte) ',');
            }
            out.raw(names[i]);
            writeValue(row, i, types[i], out);
        }
        out.raw((byte) '}');
    }

    static void writeValue(Row row, int i, DataType type, JsonWriter out) {
        if (row.isNull(i)) {
            out.nullValue();
            return;
        }
        switch (type.kind()) {
            case BOOLEAN:
                out.bool(row.getBoolean(i));
                break;
            case INT:
            case BIGINT:
            case INTERVAL:
                out.number(row.getLong(i));
                break;
            case DOUBLE:
                out.number(row.getDouble(i));
                break;
            case DECIMAL:
                out.decimal(row.getLong(i), type.scale());
                break;
            case TIMESTAMP:
                out.timestamp(row.getLong(i));
                break;
            case STRING:
                out.string(row.getString(i));
                break;
            default:
                out.nullValue();
        }
    }
}
