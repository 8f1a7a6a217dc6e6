package io.peregrine.runtime.format;

import io.peregrine.dsl.schema.Column;
import io.peregrine.dsl.schema.DataType;
import io.peregrine.dsl.schema.Row;
import io.peregrine.dsl.schema.RowBuilder;
import io.peregrine.dsl.schema.Schema;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Decodes one JSON object per record straight into a {@link RowBuilder}: a single pass over the
 * bytes, field names matched against the schema's column names as bytes (the column after the
 * previous one is tried first, since producers write fields in a fixed order), values parsed in
 * place by the column's type. Unknown fields are skipped; every column must be present and not
 * {@code null} (input columns are never NULL, as the language promises).
 *
 * <p>Types: BOOLEAN {@code true/false}; INT, BIGINT integers in range; DOUBLE any finite number;
 * DECIMAL(p, s) a number or a string holding one, rounded half up to s places, at most p digits;
 * STRING a string; TIMESTAMP(3) integer epoch milliseconds or an ISO-8601 string.
 */
public final class JsonRowDecoder implements RowDecoder {

    private static final int MAX_DEPTH = 64;

    private final Schema schema;
    private final int columnCount;
    private final byte[][] names;
    private final DataType[] types;
    private final RowBuilder builder;
    private final long[] seen;
    private final TextValues values = new TextValues();
    private final StringCache[] caches;

    private byte[] b;
    private int p;
    private int end;
    private int start;
    private int expected;
    private Row row;
    private String failure;

    public JsonRowDecoder(Schema schema) {
        this.schema = schema;
        this.columnCount = schema.size();
        this.names = new byte[columnCount][];
        this.types = new DataType[columnCount];
        this.caches = new StringCache[columnCount];
        for (Column c : schema.columns()) {
            names[c.index()] = c.name().getBytes(StandardCharsets.UTF_8);
            types[c.index()] = c.type();
            if (c.type().kind() == DataType.Kind.STRING) {
                caches[c.index()] = new StringCache();
            }
        }
        this.builder = new RowBuilder(schema);
        this.seen = new long[(columnCount + 63) >>> 6];
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
    public Status decode(byte[] buf, int from, int to) {
        b = buf;
        p = from;
        end = to;
        start = from;
        row = null;
        for (int i = 0; i < seen.length; i++) {
            seen[i] = 0;
        }
        skipWs();
        if (p == end) {
            return Status.SKIPPED;
        }
        if (!parseObject()) {
            builder.reset();
            return Status.FAILED;
        }
        for (int i = 0; i < columnCount; i++) {
            if ((seen[i >>> 6] & (1L << i)) == 0) {
                builder.reset();
                failure = "missing field '" + schema.column(i).name() + "'";
                return Status.FAILED;
            }
        }
        row = builder.build();
        return Status.ROW;
    }

    private boolean parseObject() {
        if (b[p] != '{') {
            return syntax("expected a JSON object");
        }
        p++;
        skipWs();
        if (p < end && b[p] == '}') {
            p++;
        } else {
            while (true) {
                if (p >= end || b[p] != '"') {
                    return syntax("expected a field name");
                }
                int col = fieldName();
                if (col == -2) {
                    return false;
                }
                skipWs();
                if (p >= end || b[p] != ':') {
                    return syntax("expected ':'");
                }
                p++;
                skipWs();
                if (p >= end) {
                    return syntax("expected a value");
                }
                if (col >= 0) {
                    if (!value(col)) {
                        return false;
                    }
                    seen[col >>> 6] |= 1L << col;
                } else if (!skipValue(0)) {
                    return false;
                }
                skipWs();
                if (p < end && b[p] == ',') {
                    p++;
                    skipWs();
                    continue;
                }
                if (p < end && b[p] == '}') {
                    p++;
                    break;
                }
                return syntax("expected ',' or '}'");
            }
        }
        skipWs();
        if (p != end) {
            return syntax("unexpected text after the JSON object");
        }
        return true;
    }

    /** The column of the field name at p (a quote), -1 for an unknown field, -2 on error. */
    private int fieldName() {
        int s = ++p;
        while (p < end) {
            byte c = b[p];
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                p = s - 1;
                String name = string();
                if (name == null) {
                    return -2;
                }
                Optional<Column> col = schema.find(name);
                return col.isPresent() ? col.get().index() : -1;
            }
            if (c >= 0 && c < 0x20) {
                syntax("control character in a string");
                return -2;
            }
            p++;
        }
        if (p >= end) {
            syntax("unterminated string");
            return -2;
        }
        int len = p - s;
        p++;
        int guess = expected;
        if (guess < columnCount && matches(names[guess], s, len)) {
            expected = guess + 1;
            return guess;
        }
        for (int i = 0; i < columnCount; i++) {
            if (matches(names[i], s, len)) {
                expected = i + 1;
                return i;
            }
        }
        return -1;
    }

    private boolean matches(byte[] name, int s, int len) {
        if (name.length != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (name[i] != b[s + i]) {
                return false;
            }
        }
        return true;
    }

    private boolean value(int col) {
        DataType type = types[col];
        byte c = b[p];
        if (c == 'n') {
            if (!literal("null")) {
                return false;
            }
            // the language promises input columns are never NULL
            return nullField(col);
        }
        switch (type.kind()) {
            case STRING: {
                if (c != '"') {
                    return mistyped(col);
                }
                String s = cachedString(col);
                if (s == null) {
                    return false;
                }
                builder.setString(col, s);
                return true;
            }
            case BOOLEAN:
                if (c == 't' || c == 'f') {
                    boolean v = c == 't';
                    if (!literal(v ? "true" : "false")) {
                        return false;
                    }
                    builder.setBoolean(col, v);
                    return true;
                }
                return mistyped(col);
            case INT:
            case BIGINT: {
                if (!isNumberStart(c)) {
                    return mistyped(col);
                }
                int s = p;
                if (!number()) {
                    return false;
                }
                long min = type.kind() == DataType.Kind.INT ? Integer.MIN_VALUE : Long.MIN_VALUE;
                long max = type.kind() == DataType.Kind.INT ? Integer.MAX_VALUE : Long.MAX_VALUE;
                if (!values.parseInteger(b, s, p, min, max, type)) {
                    return field(col, values.error);
                }
                builder.setLong(col, values.longValue);
                return true;
            }
            case DOUBLE: {
                if (!isNumberStart(c)) {
                    return mistyped(col);
                }
                int s = p;
                if (!number()) {
                    return false;
                }
                if (!values.parseDouble(b, s, p)) {
                    return field(col, values.error);
                }
                builder.setDouble(col, values.doubleValue);
                return true;
            }
            case DECIMAL: {
                int s;
                int e;
                if (c == '"') {
                    s = p + 1;
                    if (!skipString()) {
                        return false;
                    }
                    e = p - 1;
                } else if (isNumberStart(c)) {
                    s = p;
                    if (!number()) {
                        return false;
                    }
                    e = p;
                } else {
                    return mistyped(col);
                }
                if (!values.parseDecimal(b, s, e, type)) {
                    return field(col, values.error);
                }
                builder.setLong(col, values.longValue);
                return true;
            }
            case TIMESTAMP: {
                boolean ok;
                if (c == '"') {
                    int s = p + 1;
                    if (!skipString()) {
                        return false;
                    }
                    ok = values.parseTimestamp(b, s, p - 1, false, true);
                } else if (isNumberStart(c)) {
                    int s = p;
                    if (!number()) {
                        return false;
                    }
                    ok = values.parseTimestamp(b, s, p, true, false);
                } else {
                    return mistyped(col);
                }
                if (!ok) {
                    return field(col, values.error);
                }
                builder.setLong(col, values.longValue);
                return true;
            }
            default:
                return field(col, "columns of type " + type + " cannot be read");
        }
    }

    private String cachedString(int col) {
        int s = p + 1;
        int i = s;
        while (i < end) {
            byte c = b[i];
            if (c == '"') {
                p = i + 1;
                return caches[col].get(b, s, i);
            }
            if (c == '\\' || c < 0x20) {
                break; // escapes, control characters or non-ASCII: the general path
            }
            i++;
        }
        return string();
    }

    private static boolean isNumberStart(byte c) {
        return c == '-' || (c >= '0' && c <= '9');
    }

    /** Scans a JSON number at p (grammar checked); leaves p after it. */
    private boolean number() {
        int i = p;
        if (b[i] == '-') {
            i++;
        }
        if (i >= end) {
            return syntax("malformed number");
        }
        if (b[i] == '0') {
            i++;
        } else if (b[i] >= '1' && b[i] <= '9') {
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
        } else {
            return syntax("malformed number");
        }
        if (i < end && b[i] == '.') {
            i++;
            int s = i;
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
            if (i == s) {
                return syntax("malformed number");
            }
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            int s = i;
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
            if (i == s) {
                return syntax("malformed number");
            }
        }
        p = i;
        return true;
    }

    private boolean literal(String word) {
        int n = word.length();
        if (end - p < n) {
            return syntax("invalid literal");
        }
        for (int i = 0; i < n; i++) {
            if (b[p + i] != word.charAt(i)) {
                return syntax("invalid literal");
            }
        }
        p += n;
        return true;
    }

    /** A JSON string at p (a quote) decoded, with p after its closing quote; null on error. */
    private String string() {
        int i = p + 1;
        char[] out = values.chars(end - i);
        int n = 0;
        while (true) {
            if (i >= end) {
                syntax("unterminated string");
                return null;
            }
            int c = b[i];
            if (c == '"') {
                p = i + 1;
                return new String(out, 0, n);
            }
            if (c == '\\') {
                if (i + 1 >= end) {
                    syntax("unterminated string");
                    return null;
                }
                byte esc = b[i + 1];
                i += 2;
                switch (esc) {
                    case '"':
                        out[n++] = '"';
                        break;
                    case '\\':
                        out[n++] = '\\';
                        break;
                    case '/':
                        out[n++] = '/';
                        break;
                    case 'b':
                        out[n++] = '\b';
                        break;
                    case 'f':
                        out[n++] = '\f';
                        break;
                    case 'n':
                        out[n++] = '\n';
                        break;
                    case 'r':
                        out[n++] = '\r';
                        break;
                    case 't':
                        out[n++] = '\t';
                        break;
                    case 'u': {
                        int v = 0;
                        for (int k = 0; k < 4; k++) {
                            int h = i + k < end ? Character.digit(b[i + k], 16) : -1;
                            if (h < 0) {
                                p = i;
                                syntax("bad \\u escape");
                                return null;
                            }
                            v = v << 4 | h;
                        }
                        i += 4;
                        out[n++] = (char) v;
                        break;
                    }
                    default:
                        p = i - 1;
                        syntax("bad escape");
                        return null;
                }
            } else if (c >= 0 && c < 0x20) {
                p = i;
                syntax("control character in a string");
                return null;
            } else if (c >= 0) {
                out[n++] = (char) c;
                i++;
            } else {
                int cp = TextValues.decodeMultiByte(b, i, end);
                if (cp < 0) {
                    p = i;
                    syntax("invalid UTF-8 in a string");
                    return null;
                }
                i += TextValues.utf8Length(cp);
                n = TextValues.appendCodePoint(out, n, cp);
            }
        }
    }

    /** Steps over a string at p (a quote) without decoding it. */
    private boolean skipString() {
        int i = p + 1;
        while (i < end) {
            byte c = b[i];
            if (c == '"') {
                p = i + 1;
                return true;
            }
            if (c == '\\') {
                i += 2;
            } else if (c >= 0 && c < 0x20) {
                p = i;
                return syntax("control character in a string");
            } else {
                i++;
            }
        }
        return syntax("unterminated string");
    }

    private boolean skipValue(int depth) {
        if (depth > MAX_DEPTH) {
            return syntax("nested too deeply");
        }
        byte c = b[p];
        switch (c) {
            case '"':
                return skipString();
            case 't':
                return literal("true");
            case 'f':
                return literal("false");
            case 'n':
                return literal("null");
            case '{':
            case '[': {
                byte close = c == '{' ? (byte) '}' : (byte) ']';
                p++;
                skipWs();
                if (p < end && b[p] == close) {
                    p++;
                    return true;
                }
                while (true) {
                    if (c == '{') {
                        if (p >= end || b[p] != '"') {
                            return syntax("expected a field name");
                        }
                        if (!skipString()) {
                            return false;
                        }
                        skipWs();
                        if (p >= end || b[p] != ':') {
                            return syntax("expected ':'");
                        }
                        p++;
                        skipWs();
                    }
                    if (p >= end) {
                        return syntax("expected a value");
                    }
                    if (!skipValue(depth + 1)) {
                        return false;
                    }
                    skipWs();
                    if (p < end && b[p] == ',') {
                        p++;
                        skipWs();
                        continue;
                    }
                    if (p < end && b[p] == close) {
                        p++;
                        return true;
                    }
                    return syntax("expected ',' or '" + (char) close + "'");
                }
            }
            default:
                if (isNumberStart(c)) {
                    return number();
                }
                return syntax("expected a value");
        }
    }

    private void skipWs() {
        while (p < end) {
            byte c = b[p];
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return;
            }
            p++;
        }
    }

    private boolean mistyped(int col) {
        byte c = b[p];
        String got = c == '"' ? "a string" : c == '{' ? "an object" : c == '[' ? "an array"
                : c == 't' || c == 'f' ? "a boolean" : isNumberStart(c) ? "a number" : "'" + (char) c + "'";
        if (!isNumberStart(c) && c != '"' && c != '{' && c != '[' && c != 't' && c != 'f') {
            return syntax("expected a value");
        }
        return field(col, "expected " + types[col] + ", got " + got);
    }

    private boolean nullField(int col) {
        failure = "field '" + schema.column(col).name() + "' is null";
        return false;
    }

    private boolean field(int col, String reason) {
        failure = "field '" + schema.column(col).name() + "': " + reason;
        return false;
    }

    private boolean syntax(String what) {
        failure = "bad JSON at column " + (p - start + 1) + ": " + what;
        return false;
    }
}
