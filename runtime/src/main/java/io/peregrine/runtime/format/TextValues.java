package io.peregrine.runtime.format;

import io.peregrine.dsl.schema.DataType;
import java.nio.charset.StandardCharsets;

/**
 * Typed values from text, shared by the JSON and CSV decoders: integers with range checks,
 * doubles (exact fast path, the JDK for the rest), decimals to unscaled longs, timestamps, UTF-8.
 * Results land in fields (no boxing); failures leave a reason in {@link #error}. Not thread-safe.
 */
final class TextValues {

    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
    };
    private static final long[] LONG_POW10 = new long[19];

    static {
        long v = 1;
        for (int i = 0; i < LONG_POW10.length; i++) {
            LONG_POW10[i] = v;
            v *= 10;
        }
    }

    long longValue;
    double doubleValue;
    String stringValue;
    String error;
    private char[] chars = new char[64];

    /** Integer text ({@code [+-]digits}) in {@code [min, max]}. */
    boolean parseInteger(byte[] b, int s, int e, long min, long max, DataType type) {
        int i = s;
        boolean neg = false;
        if (i < e && (b[i] == '-' || b[i] == '+')) {
            neg = b[i] == '-';
            i++;
        }
        if (i == e) {
            return fail("expected " + type + ", got " + quote(b, s, e));
        }
        long limit = neg ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long multmin = limit / 10;
        long v = 0;
        for (; i < e; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return fail("expected " + type + ", got " + quote(b, s, e));
            }
            if (v < multmin) {
                return fail(text(b, s, e) + " is out of range for " + type);
            }
            v *= 10;
            if (v < limit + d) {
                return fail(text(b, s, e) + " is out of range for " + type);
            }
            v -= d;
        }
        v = neg ? v : -v;
        if (v < min || v > max) {
            return fail(text(b, s, e) + " is out of range for " + type);
        }
        longValue = v;
        return true;
    }

    /** A finite double from decimal text ({@code [+-]digits[.digits][(e|E)[+-]digits]}). */
    boolean parseDouble(byte[] b, int s, int e) {
        int i = s;
        boolean neg = false;
        if (i < e && (b[i] == '-' || b[i] == '+')) {
            neg = b[i] == '-';
            i++;
        }
        long m = 0;
        int sig = 0;
        int exp = 0;
        boolean any = false;
        boolean inexact = false;
        for (; i < e; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            any = true;
            if (m == 0 && d == 0) {
                continue;
            }
            if (sig < 19) {
                m = m * 10 + d;
                sig++;
            } else {
                exp++;
                inexact = true;
            }
        }
        if (i < e && b[i] == '.') {
            i++;
            for (; i < e; i++) {
                int d = b[i] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                any = true;
                if (m == 0 && d == 0) {
                    exp--;
                } else if (sig < 19) {
                    m = m * 10 + d;
                    sig++;
                    exp--;
                } else {
                    inexact = true;
                }
            }
        }
        if (!any) {
            return fail("expected DOUBLE, got " + quote(b, s, e));
        }
        if (i < e && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            boolean eneg = false;
            if (i < e && (b[i] == '-' || b[i] == '+')) {
                eneg = b[i] == '-';
                i++;
            }
            int start = i;
            int x = 0;
            for (; i < e; i++) {
                int d = b[i] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                if (x < 100_000) {
                    x = x * 10 + d;
                }
            }
            if (i == start) {
                return fail("expected DOUBLE, got " + quote(b, s, e));
            }
            exp += eneg ? -x : x;
        }
        if (i != e) {
            return fail("expected DOUBLE, got " + quote(b, s, e));
        }
        double v;
        if (m == 0) {
            v = 0.0;
        } else if (!inexact && sig <= 15 && exp >= -22 && exp <= 22) {
            // both operands exact: one IEEE operation rounds correctly (Clinger's fast path)
            v = exp < 0 ? m / POW10[-exp] : m * POW10[exp];
        } else {
            v = Math.abs(Double.parseDouble(new String(b, s, e - s, StandardCharsets.ISO_8859_1)));
        }
        if (Double.isInfinite(v)) {
            return fail("non-finite number " + text(b, s, e));
        }
        doubleValue = neg ? -v : v;
        return true;
    }

    /** Decimal text to the unscaled value at {@code type.scale()}, rounded half up, within its precision. */
    boolean parseDecimal(byte[] b, int s, int e, DataType type) {
        int i = s;
        boolean neg = false;
        if (i < e && (b[i] == '-' || b[i] == '+')) {
            neg = b[i] == '-';
            i++;
        }
        int intStart = i;
        while (i < e && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        int intEnd = i;
        int fracStart = i;
        int fracEnd = i;
        if (i < e && b[i] == '.') {
            fracStart = ++i;
            while (i < e && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
            fracEnd = i;
        }
        int count = (intEnd - intStart) + (fracEnd - fracStart);
        if (count == 0) {
            return fail("expected " + type + ", got " + quote(b, s, e));
        }
        long exp = 0;
        if (i < e && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            boolean eneg = false;
            if (i < e && (b[i] == '-' || b[i] == '+')) {
                eneg = b[i] == '-';
                i++;
            }
            int start = i;
            for (; i < e && b[i] >= '0' && b[i] <= '9'; i++) {
                if (exp < 1_000_000) {
                    exp = exp * 10 + (b[i] - '0');
                }
            }
            if (i == start) {
                return fail("expected " + type + ", got " + quote(b, s, e));
            }
            if (eneg) {
                exp = -exp;
            }
        }
        if (i != e) {
            return fail("expected " + type + ", got " + quote(b, s, e));
        }
        long keep = count + exp - (fracEnd - fracStart) + type.scale();
        long limit = LONG_POW10[type.precision()];
        long unscaled = 0;
        int roundDigit = 0;
        int j = 0;
        for (int k = intStart; k < fracEnd; k++) {
            if (k == intEnd) {
                k = fracStart;
                if (k == fracEnd) {
                    break;
                }
            }
            int d = b[k] - '0';
            if (j < keep) {
                if (unscaled > (limit - 1 - d) / 10) {
                    return fail(text(b, s, e) + " is out of range for " + type);
                }
                unscaled = unscaled * 10 + d;
            } else if (j == keep) {
                roundDigit = d;
            }
            j++;
        }
        if (keep > count && unscaled != 0) {
            long zeros = keep - count;
            if (zeros > 18) {
                return fail(text(b, s, e) + " is out of range for " + type);
            }
            long p = LONG_POW10[(int) zeros];
            if (unscaled >= (limit + p - 1) / p) {
                return fail(text(b, s, e) + " is out of range for " + type);
            }
            unscaled *= p;
        }
        if (roundDigit >= 5) {
            unscaled++;
            if (unscaled >= limit) {
                return fail(text(b, s, e) + " is out of range for " + type);
            }
        }
        longValue = neg ? -unscaled : unscaled;
        return true;
    }

    /** Epoch milliseconds: an integer, or ISO-8601 text when {@code isoOnly} or not an integer. */
    boolean parseTimestamp(byte[] b, int s, int e, boolean numberAllowed, boolean isoAllowed) {
        if (numberAllowed && s < e && (b[s] == '-' || (b[s] >= '0' && b[s] <= '9'))
                && (!isoAllowed || looksLikeInteger(b, s, e))) {
            if (!parseInteger(b, s, e, Long.MIN_VALUE, Long.MAX_VALUE, DataType.BIGINT)) {
                return fail("expected epoch milliseconds or an ISO-8601 timestamp, got " + quote(b, s, e));
            }
            return true;
        }
        if (isoAllowed) {
            long v = Timestamps.parseIso(b, s, e);
            if (v != Long.MIN_VALUE) {
                longValue = v;
                return true;
            }
        }
        return fail("expected epoch milliseconds or an ISO-8601 timestamp, got " + quote(b, s, e));
    }

    private static boolean looksLikeInteger(byte[] b, int s, int e) {
        int i = b[s] == '-' ? s + 1 : s;
        if (i == e) {
            return false;
        }
        for (; i < e; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return false;
            }
        }
        return true;
    }

    /** Decodes UTF-8 bytes into {@link #stringValue}; fails on malformed UTF-8. */
    boolean decodeUtf8(byte[] b, int s, int e) {
        int i = s;
        while (i < e && b[i] >= 0) {
            i++;
        }
        if (i == e) {
            stringValue = new String(b, s, e - s, StandardCharsets.ISO_8859_1);
            return true;
        }
        char[] out = chars(e - s);
        int n = 0;
        for (int k = s; k < i; k++) {
            out[n++] = (char) b[k];
        }
        while (i < e) {
            int c = b[i];
            if (c >= 0) {
                out[n++] = (char) c;
                i++;
                continue;
            }
            int cp = decodeMultiByte(b, i, e);
            if (cp < 0) {
                return fail("invalid UTF-8 in text");
            }
            i += utf8Length(cp);
            n = appendCodePoint(out, n, cp);
        }
        stringValue = new String(out, 0, n);
        return true;
    }

    char[] chars(int atLeast) {
        if (chars.length < atLeast) {
            chars = new char[Math.max(atLeast, chars.length * 2)];
        }
        return chars;
    }

    /** The code point of a 2-4 byte UTF-8 sequence at {@code i}, or -1 if malformed. */
    static int decodeMultiByte(byte[] b, int i, int e) {
        int c = b[i] & 0xff;
        if (c >= 0xC2 && c <= 0xDF) {
            if (i + 1 < e && (b[i + 1] & 0xC0) == 0x80) {
                return (c & 0x1F) << 6 | (b[i + 1] & 0x3F);
            }
        } else if (c >= 0xE0 && c <= 0xEF) {
            if (i + 2 < e && (b[i + 1] & 0xC0) == 0x80 && (b[i + 2] & 0xC0) == 0x80) {
                int cp = (c & 0x0F) << 12 | (b[i + 1] & 0x3F) << 6 | (b[i + 2] & 0x3F);
                if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
                    return cp;
                }
            }
        } else if (c >= 0xF0 && c <= 0xF4) {
            if (i + 3 < e && (b[i + 1] & 0xC0) == 0x80 && (b[i + 2] & 0xC0) == 0x80 && (b[i + 3] & 0xC0) == 0x80) {
                int cp = (c & 0x07) << 18 | (b[i + 1] & 0x3F) << 12 | (b[i + 2] & 0x3F) << 6 | (b[i + 3] & 0x3F);
                if (cp >= 0x10000 && cp <= 0x10FFFF) {
                    return cp;
                }
            }
        }
        return -1;
    }

    static int utf8Length(int cp) {
        return cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }

    static int appendCodePoint(char[] out, int n, int cp) {
        if (cp < 0x10000) {
            out[n] = (char) cp;
            return n + 1;
        }
        out[n] = Character.highSurrogate(cp);
        out[n + 1] = Character.lowSurrogate(cp);
        return n + 2;
    }

    boolean fail(String reason) {
        error = reason;
        return false;
    }

    /** The text for an error message, cut at 40 characters. */
    static String text(byte[] b, int s, int e) {
        int len = Math.min(e - s, 40);
        String t = new String(b, s, len, StandardCharsets.UTF_8);
        return len < e - s ? t + "..." : t;
    }

    static String quote(byte[] b, int s, int e) {
        return "'" + text(b, s, e) + "'";
    }
}
