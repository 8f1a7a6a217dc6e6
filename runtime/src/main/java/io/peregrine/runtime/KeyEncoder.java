package io.peregrine.runtime;

import io.peregrine.dsl.schema.DataType;
import io.peregrine.dsl.schema.Row;
import io.peregrine.dsl.schema.Schema;
import java.util.Arrays;

/**
 * Encodes a row's partition columns into bytes whose unsigned lexicographic order is the natural
 * order of the values (nulls first), column by column: the key's identity for state, its hash for
 * key groups, and the order of keys in outputs.
 *
 * <pre>
 * null      0x00
 * non-null  0x01, then
 *   BOOLEAN INT BIGINT DECIMAL TIMESTAMP   8 bytes big-endian of value ^ Long.MIN_VALUE
 *   DOUBLE                                 8 bytes big-endian of the IEEE bits, sign-flipped (-0.0 as 0.0)
 *   STRING                                 UTF-8, 0x00 escaped as 0x00 0xFF, ended by 0x00 0x00
 * </pre>
 * Not thread-safe: the buffer is reused.
 */
final class KeyEncoder {

    private final int[] columns;
    private final DataType.Kind[] kinds;
    private byte[] buf = new byte[32];
    private int length;

    KeyEncoder(Schema schema, int[] columns) {
        this.columns = columns.clone();
        this.kinds = new DataType.Kind[columns.length];
        for (int i = 0; i < columns.length; i++) {
            kinds[i] = schema.column(columns[i]).type().kind();
        }
    }

    int[] columns() {
        return columns.clone();
    }

    byte[] buffer() {
        return buf;
    }

    int length() {
        return length;
    }

    /** Encodes the row's key into {@link #buffer()}; returns its length. */
    int encode(Row row) {
        int n = 0;
        for (int i = 0; i < columns.length; i++) {
            int c = columns[i];
            ensure(n + 9);
            if (row.isNull(c)) {
                buf[n++] = 0;
                continue;
            }
            buf[n++] = 1;
            switch (kinds[i]) {
                case STRING:
                    n = string(row.getString(c), n);
                    break;
                case DOUBLE: {
                    double d = row.getDouble(c);
                    long bits = Double.doubleToLongBits(d == 0.0 ? 0.0 : d);
                    n = longBytes(bits ^ ((bits >> 63) | Long.MIN_VALUE), n);
                    break;
                }
                default:
                    n = longBytes(row.getLong(c) ^ Long.MIN_VALUE, n);
            }
        }
        length = n;
        return n;
    }

    private int longBytes(long v, int n) {
        byte[] b = buf;
        b[n] = (byte) (v >>> 56);
        b[n + 1] = (byte) (v >>> 48);
        b[n + 2] = (byte) (v >>> 40);
        b[n + 3] = (byte) (v >>> 32);
        b[n + 4] = (byte) (v >>> 24);
        b[n + 5] = (byte) (v >>> 16);
        b[n + 6] = (byte) (v >>> 8);
        b[n + 7] = (byte) v;
        return n + 8;
    }

    private int string(String s, int at) {
        int len = s.length();
        ensure(at + 3 * len + 4);
        byte[] b = buf;
        int n = at;
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c > 0 && c < 0x80) {
                b[n++] = (byte) c;
            } else if (c == 0) {
                b[n++] = 0;
                b[n++] = (byte) 0xFF;
            } else if (c < 0x800) {
                b[n++] = (byte) (0xC0 | c >> 6);
                b[n++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b[n++] = (byte) (0xF0 | cp >> 18);
                b[n++] = (byte) (0x80 | (cp >> 12 & 0x3F));
                b[n++] = (byte) (0x80 | (cp >> 6 & 0x3F));
                b[n++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                b[n++] = (byte) (0xE0 | c >> 12);
                b[n++] = (byte) (0x80 | (c >> 6 & 0x3F));
                b[n++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        b[n++] = 0;
        b[n++] = 0;
        return n;
    }

    private void ensure(int n) {
        if (n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(n, buf.length * 2));
        }
    }
}
