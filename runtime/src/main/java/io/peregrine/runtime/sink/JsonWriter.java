package io.peregrine.runtime.sink;

import io.peregrine.runtime.format.Timestamps;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds JSON text as UTF-8 bytes in a growable buffer, for the JSON-lines outputs. Strings are
 * escaped ({@code "}, {@code \}, control characters, lone surrogates as {@code \\uXXXX}); DOUBLE
 * is {@link Double#toString} (non-finite values are written as {@code null}, which JSON has no
 * other way to say); DECIMAL is its exact digits; TIMESTAMP is ISO-8601 UTC with milliseconds.
 */
public final class JsonWriter {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private byte[] buf = new byte[512];
    private int size;

    public void reset() {
        size = 0;
    }

    public int size() {
        return size;
    }

    public void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, size);
    }

    @Override
    public String toString() {
        return new String(buf, 0, size, StandardCharsets.UTF_8);
    }

    private void ensure(int n) {
        if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(size + n, buf.length * 2));
        }
    }

    public JsonWriter raw(byte b) {
        ensure(1);
        buf[size++] = b;
        return this;
    }

    public JsonWriter raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, size, bytes.length);
        size += bytes.length;
        return this;
    }

    public JsonWriter raw(String ascii) {
        ensure(ascii.length());
        for (int i = 0; i < ascii.length(); i++) {
            buf[size++] = (byte) ascii.charAt(i);
        }
        return this;
    }

    /** {@code "name":} pre-encoded, for writers that repeat the same field names. */
    public static byte[] fieldName(String name) {
        JsonWriter w = new JsonWriter();
        w.string(name).raw((byte) ':');
        return Arrays.copyOf(w.buf, w.size);
    }

    public JsonWriter nullValue() {
        return raw("null");
    }

    public JsonWriter bool(boolean v) {
        return raw(v ? "true" : "false");
    }

    public JsonWriter number(long v) {
        if (v >= 0 && v < 10) {
            return raw((byte) ('0' + v));
        }
        return raw(Long.toString(v));
    }

    public JsonWriter number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return nullValue();
        }
        return raw(Double.toString(v));
    }

    /** The exact decimal {@code unscaled * 10^-scale}. */
    public JsonWriter decimal(long unscaled, int scale) {
        if (scale == 0) {
            return number(unscaled);
        }
        String digits = Long.toString(Math.abs(unscaled));
        if (unscaled == Long.MIN_VALUE) {
            digits = digits.substring(1);
        }
        ensure(digits.length() + scale + 3);
        if (unscaled < 0) {
            buf[size++] = '-';
        }
        int intDigits = digits.length() - scale;
        if (intDigits <= 0) {
            buf[size++] = '0';
            buf[size++] = '.';
            for (int i = intDigits; i < 0; i++) {
                buf[size++] = '0';
            }
            for (int i = 0; i < digits.length(); i++) {
                buf[size++] = (byte) digits.charAt(i);
            }
        } else {
            for (int i = 0; i < digits.length(); i++) {
                if (i == intDigits) {
                    buf[size++] = '.';
                }
                buf[size++] = (byte) digits.charAt(i);
            }
        }
        return this;
    }

    /** {@code "2024-01-01T00:00:00.000Z"}, quoted. */
    public JsonWriter timestamp(long epochMillis) {
        ensure(34);
        buf[size++] = '"';
        size += Timestamps.writeIso(buf, size, epochMillis);
        buf[size++] = '"';
        return this;
    }

    public JsonWriter string(String s) {
        if (s == null) {
            return nullValue();
        }
        int n = s.length();
        ensure(n + 2);
        buf[size++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                if (size == buf.length) {
                    ensure(n - i + 8);
                }
                buf[size++] = (byte) c;
                continue;
            }
            ensure(n - i + 12);
            if (c == '"' || c == '\\') {
                buf[size++] = '\\';
                buf[size++] = (byte) c;
            } else if (c < 0x20) {
                buf[size++] = '\\';
                switch (c) {
                    case '\n':
                        buf[size++] = 'n';
                        break;
                    case '\r':
                        buf[size++] = 'r';
                        break;
                    case '\t':
                        buf[size++] = 't';
                        break;
                    case '\b':
                        buf[size++] = 'b';
                        break;
                    case '\f':
                        buf[size++] = 'f';
                        break;
                    default:
                        unicodeEscape(c);
                }
            } else if (c < 0x800) {
                buf[size++] = (byte) (0xC0 | c >> 6);
                buf[size++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                buf[size++] = (byte) (0xF0 | cp >> 18);
                buf[size++] = (byte) (0x80 | (cp >> 12 & 0x3F));
                buf[size++] = (byte) (0x80 | (cp >> 6 & 0x3F));
                buf[size++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                buf[size++] = '\\';
                unicodeEscape(c);
            } else {
                buf[size++] = (byte) (0xE0 | c >> 12);
                buf[size++] = (byte) (0x80 | (c >> 6 & 0x3F));
                buf[size++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        ensure(1);
        buf[size++] = '"';
        return this;
    }

    private void unicodeEscape(char c) {
        buf[size++] = 'u';
        buf[size++] = HEX[c >> 12 & 0xF];
        buf[size++] = HEX[c >> 8 & 0xF];
        buf[size++] = HEX[c >> 4 & 0xF];
        buf[size++] = HEX[c & 0xF];
    }
}
