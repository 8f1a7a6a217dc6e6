package io.peregrine.runtime.format;

import io.peregrine.dsl.schema.Column;
import io.peregrine.dsl.schema.DataType;
import io.peregrine.dsl.schema.Row;
import io.peregrine.dsl.schema.RowBuilder;
import io.peregrine.dsl.schema.Schema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes CSV (RFC 4180: comma separated, fields optionally in double quotes, {@code ""} for a quote
 * inside one) whose first record in each file is a header naming the columns. Columns are matched
 * to the schema by name, in any order; extra columns are ignored; a header that lacks a column of the
 * schema is a {@link DecodeException} (the whole file is unusable). An empty field is the empty
 * string in a STRING column and a failure elsewhere (input columns are never NULL). Spaces around
 * non-string values are ignored. Values as
 * in {@link JsonRowDecoder}, except that TIMESTAMP text of digits is epoch milliseconds and anything
 * else ISO-8601, and BOOLEAN is {@code true}/{@code false} in any case.
 */
public final class CsvRowDecoder implements RowDecoder {

    private final Schema schema;
    private final DataType[] types;
    private final RowBuilder builder;
    private final TextValues values = new TextValues();
    private final StringCache[] caches;
    private boolean expectHeader = true;
    /** Per header field: the schema column it fills, or -1. */
    private int[] fieldColumns = new int[0];
    private byte[] scratch = new byte[64];
    private Row row;
    private String failure;

    public CsvRowDecoder(Schema schema) {
        this.schema = schema;
        this.types = new DataType[schema.size()];
        this.caches = new StringCache[schema.size()];
        for (Column c : schema.columns()) {
            types[c.index()] = c.type();
            if (c.type().kind() == DataType.Kind.STRING) {
                caches[c.index()] = new StringCache();
            }
        }
        this.builder = new RowBuilder(schema);
    }

    @Override
    public void startSplit() {
        expectHeader = true;
    }

    @Override
    public Row row() {
        return row;
    }

    @Override
    public String failure() {
        return failure;
    }

    @Override
    public Status decode(byte[] b, int from, int to) {
        row = null;
        if (from == to) {
            return Status.SKIPPED;
        }
        if (expectHeader) {
            header(b, from, to);
            expectHeader = false;
            return Status.SKIPPED;
        }
        int p = from;
        int field = 0;
        while (true) {
            if (field >= fieldColumns.length) {
                builder.reset();
                failure = "more fields than the " + fieldColumns.length + " of the header";
                return Status.FAILED;
            }
            int col = fieldColumns[field];
            int s;
            int e;
            byte[] src = b;
            boolean quoted = p < to && b[p] == '"';
            int next;
            if (quoted) {
                int i = p + 1;
                int n = 0;
                boolean escapes = false;
                while (true) {
                    if (i >= to) {
                        builder.reset();
                        failure = "unterminated quoted field " + (field + 1);
                        return Status.FAILED;
                    }
                    if (b[i] == '"') {
                        if (i + 1 < to && b[i + 1] == '"') {
                            escapes = true;
                            i += 2;
                            n++;
                            continue;
                        }
                        break;
                    }
                    i++;
                    n++;
                }
                if (escapes) {
                    if (scratch.length < n) {
                        scratch = new byte[Math.max(n, scratch.length * 2)];
                    }
                    int k = 0;
                    for (int j = p + 1; j < i; j++) {
                        scratch[k++] = b[j];
                        if (b[j] == '"') {
                            j++;
                        }
                    }
                    src = scratch;
                    s = 0;
                    e = k;
                } else {
                    s = p + 1;
                    e = i;
                }
                next = i + 1;
                if (next < to && b[next] != ',') {
                    builder.reset();
                    failure = "text after the closing quote of field " + (field + 1);
                    return Status.FAILED;
                }
            } else {
                int i = p;
                while (i < to && b[i] != ',') {
                    i++;
                }
                s = p;
                e = i;
                next = i;
            }
            if (col >= 0 && !setField(col, src, s, e)) {
                builder.reset();
                return Status.FAILED;
            }
            field++;
            if (next >= to) {
                break;
            }
            p = next + 1;
            if (p == to) {
                // a trailing comma: one more, empty field
                if (field >= fieldColumns.length) {
                    builder.reset();
                    failure = "more fields than the " + fieldColumns.length + " of the header";
                    return Status.FAILED;
                }
                int last = fieldColumns[field];
                if (last >= 0 && !setField(last, b, to, to)) {
                    builder.reset();
                    return Status.FAILED;
                }
                field++;
                break;
            }
        }
        if (field < fieldColumns.length) {
            for (int f = field; f < fieldColumns.length; f++) {
                if (fieldColumns[f] >= 0) {
                    builder.reset();
                    failure = "missing field '" + schema.column(fieldColumns[f]).name() + "'";
                    return Status.FAILED;
                }
            }
        }
        row = builder.build();
        return Status.ROW;
    }

    private boolean setField(int col, byte[] b, int s, int e) {
        DataType type = types[col];
        if (type.kind() == DataType.Kind.STRING) {
            int i = s;
            while (i < e && b[i] >= 0) {
                i++;
            }
            if (i == e) {
                builder.setString(col, caches[col].get(b, s, e));
                return true;
            }
            if (!values.decodeUtf8(b, s, e)) {
                return field(col, values.error);
            }
            builder.setString(col, values.stringValue);
            return true;
        }
        while (s < e && b[s] == ' ') {
            s++;
        }
        while (e > s && b[e - 1] == ' ') {
            e--;
        }
        if (s == e) {
            return field(col, "empty");
        }
        switch (type.kind()) {
            case BOOLEAN:
                if (equalsIgnoreCase(b, s, e, "true")) {
                    builder.setBoolean(col, true);
                    return true;
                }
                if (equalsIgnoreCase(b, s, e, "false")) {
                    builder.setBoolean(col, false);
                    return true;
                }
                return field(col, "expected BOOLEAN, got " + TextValues.quote(b, s, e));
            case INT:
                if (!values.parseInteger(b, s, e, Integer.MIN_VALUE, Integer.MAX_VALUE, type)) {
                    return field(col, values.error);
                }
                builder.setLong(col, values.longValue);
                return true;
            case BIGINT:
                if (!values.parseInteger(b, s, e, Long.MIN_VALUE, Long.MAX_VALUE, type)) {
                    return field(col, values.error);
                }
                builder.setLong(col, values.longValue);
                return true;
            case DOUBLE:
                if (!values.parseDouble(b, s, e)) {
                    return field(col, values.error);
                }
                builder.setDouble(col, values.doubleValue);
                return true;
            case DECIMAL:
                if (!values.parseDecimal(b, s, e, type)) {
                    return field(col, values.error);
                }
                builder.setLong(col, values.longValue);
                return true;
            case TIMESTAMP:
                if (!values.parseTimestamp(b, s, e, true, true)) {
                    return field(col, values.error);
                }
                builder.setLong(col, values.longValue);
                return true;
            default:
                return field(col, "columns of type " + type + " cannot be read");
        }
    }

    private static boolean equalsIgnoreCase(byte[] b, int s, int e, String word) {
        if (e - s != word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (Character.toLowerCase((char) b[s + i]) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void header(byte[] b, int from, int to) {
        List<String> names = new ArrayList<>();
        int p = from;
        // a UTF-8 byte order mark before the first name
        if (to - p >= 3 && (b[p] & 0xff) == 0xEF && (b[p + 1] & 0xff) == 0xBB && (b[p + 2] & 0xff) == 0xBF) {
            p += 3;
        }
        while (true) {
            StringBuilder name = new StringBuilder();
            if (p < to && b[p] == '"') {
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                int i = p + 1;
                while (i < to) {
                    if (b[i] == '"') {
                        if (i + 1 < to && b[i + 1] == '"') {
                            bytes.write('"');
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    bytes.write(b[i]);
                    i++;
                }
                byte[] raw = bytes.toByteArray();
                if (!values.decodeUtf8(raw, 0, raw.length)) {
                    throw new DecodeException("CSV header is not valid UTF-8");
                }
                name.append(values.stringValue);
                p = i + 1;
            } else {
                int i = p;
                while (i < to && b[i] != ',') {
                    i++;
                }
                if (!values.decodeUtf8(b, p, i)) {
                    throw new DecodeException("CSV header is not valid UTF-8");
                }
                name.append(values.stringValue.strip());
                p = i;
            }
            names.add(name.toString());
            if (p >= to) {
                break;
            }
            if (b[p] != ',') {
                throw new DecodeException("malformed CSV header (text after a closing quote)");
            }
            p++;
        }
        Map<String, Integer> positions = new HashMap<>();
        fieldColumns = new int[names.size()];
        for (int f = 0; f < names.size(); f++) {
            String n = names.get(f);
            if (positions.putIfAbsent(n, f) != null) {
                throw new DecodeException("CSV header names column '" + n + "' twice");
            }
            fieldColumns[f] = schema.find(n).map(Column::index).orElse(-1);
        }
        List<String> missing = new ArrayList<>();
        for (Column c : schema.columns()) {
            if (!positions.containsKey(c.name())) {
                missing.add(c.name());
            }
        }
        if (!missing.isEmpty()) {
            throw new DecodeException("CSV header " + names + " lacks column" + (missing.size() > 1 ? "s " : " ")
                    + missing + " of the stream");
        }
    }

    private boolean field(int col, String reason) {
        failure = "field '" + schema.column(col).name() + "': " + reason;
        return false;
    }
}
