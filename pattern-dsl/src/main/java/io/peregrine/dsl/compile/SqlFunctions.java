package io.peregrine.dsl.compile;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Run-time helpers called by compiled expressions. Public only because generated classes live in
 * their own class loader; not an API. Failures throw {@link ArithmeticException} or
 * {@link IllegalArgumentException}, which the generated code turns into "condition false" or a NULL
 * measure.
 */
public final class SqlFunctions {

    private SqlFunctions() {}

    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    public static long pow10(int n) {
        return POW10[n];
    }

    /** Unscaled decimal times 10^n, failing on overflow. */
    public static long scaleUp(long unscaled, int n) {
        return Math.multiplyExact(unscaled, POW10[n]);
    }

    /** Unscaled decimal divided by 10^n, rounding half away from zero. */
    public static long scaleDown(long unscaled, int n) {
        if (n == 0) {
            return unscaled;
        }
        long f = POW10[n];
        long q = unscaled / f;
        long r = unscaled % f;
        if (Math.abs(r) * 2 >= f) {
            q += unscaled < 0 ? -1 : 1;
        }
        return q;
    }

    public static long rescale(long unscaled, int from, int to) {
        return to >= from ? scaleUp(unscaled, to - from) : scaleDown(unscaled, from - to);
    }

    public static double decimalToDouble(long unscaled, int scale) {
        return scale == 0 ? unscaled : unscaled / (double) POW10[scale];
    }

    /** A double rounded half away from zero to a decimal of the given scale and precision. */
    public static long doubleToDecimal(double v, int precision, int scale) {
        if (!Double.isFinite(v)) {
            throw new ArithmeticException("cannot represent " + v + " as DECIMAL");
        }
        return checkPrecision(BigDecimal.valueOf(v).setScale(scale, RoundingMode.HALF_UP).unscaledValue().longValueExact(),
                precision);
    }

    public static long checkPrecision(long unscaled, int precision) {
        if (precision < 18 && Math.abs(unscaled) >= POW10[precision]) {
            throw new ArithmeticException("value does not fit DECIMAL with precision " + precision);
        }
        return unscaled;
    }

    public static long divideDecimal(long a, int sa, long b, int sb, int scale) {
        if (b == 0) {
            throw new ArithmeticException("division by zero");
        }
        return BigDecimal.valueOf(a, sa).divide(BigDecimal.valueOf(b, sb), scale, RoundingMode.HALF_UP)
                .unscaledValue().longValueExact();
    }

    public static long multiplyDecimal(long a, long b) {
        return Math.multiplyExact(a, b);
    }

    public static int divideInt(int a, int b) {
        if (b == 0) {
            throw new ArithmeticException("division by zero");
        }
        return a / b;
    }

    public static long divideLong(long a, long b) {
        if (b == 0) {
            throw new ArithmeticException("division by zero");
        }
        return a / b;
    }

    public static int modInt(int a, int b) {
        if (b == 0) {
            throw new ArithmeticException("division by zero");
        }
        return a % b;
    }

    public static long modLong(long a, long b) {
        if (b == 0) {
            throw new ArithmeticException("division by zero");
        }
        return a % b;
    }

    public static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }

    public static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    public static int charLength(String s) {
        return s.codePointCount(0, s.length());
    }

    /** SQL SUBSTRING: 1-based start, characters before position 1 count against the length. */
    public static String substring(String s, long start, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative substring length " + length);
        }
        long from = start - 1;
        long to = length == Long.MAX_VALUE ? Long.MAX_VALUE : from + length;
        int n = s.length();
        int a = (int) Math.max(0, Math.min(n, from));
        int b = (int) Math.max(a, Math.min(n, to));
        return s.substring(a, b);
    }

    public static String substring(String s, long start) {
        return substring(s, start, Long.MAX_VALUE);
    }

    /** SQL LIKE with {@code %} and {@code _}; {@code escape} is 0 for none. No allocation. */
    public static boolean like(String s, String p, char escape) {
        return like(s, 0, p, 0, escape);
    }

    private static boolean like(String s, int si, String p, int pi, char escape) {
        int sn = s.length();
        int pn = p.length();
        while (pi < pn) {
            char c = p.charAt(pi);
            if (escape != 0 && c == escape) {
                if (pi + 1 >= pn) {
                    throw new IllegalArgumentException("LIKE pattern ends with the escape character");
                }
                if (si >= sn || s.charAt(si) != p.charAt(pi + 1)) {
                    return false;
                }
                si++;
                pi += 2;
            } else if (c == '%') {
                while (pi < pn && p.charAt(pi) == '%') {
                    pi++;
                }
                if (pi == pn) {
                    return true;
                }
                for (int k = si; k <= sn; k++) {
                    if (like(s, k, p, pi, escape)) {
                        return true;
                    }
                }
                return false;
            } else if (c == '_') {
                if (si >= sn) {
                    return false;
                }
                si++;
                pi++;
            } else {
                if (si >= sn || s.charAt(si) != c) {
                    return false;
                }
                si++;
                pi++;
            }
        }
        return si == sn;
    }

    public static String decimalToString(long unscaled, int scale) {
        return BigDecimal.valueOf(unscaled, scale).toPlainString();
    }

    public static long parseDecimal(String s, int precision, int scale) {
        return checkPrecision(new BigDecimal(s.trim()).setScale(scale, RoundingMode.HALF_UP).unscaledValue().longValueExact(),
                precision);
    }

    public static String doubleToString(double d) {
        return Double.toString(d);
    }

    public static boolean parseBoolean(String s) {
        String t = s.trim();
        if (t.equalsIgnoreCase("true")) {
            return true;
        }
        if (t.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("not a BOOLEAN: " + s);
    }

    private static final DateTimeFormatter TIMESTAMP_TEXT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    /** TIMESTAMP(3) as SQL prints it, in UTC: {@code 2024-01-31 12:00:00.000}. */
    public static String timestampToString(long millis) {
        return TIMESTAMP_TEXT.format(LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000),
                (int) Math.floorMod(millis, 1000) * 1_000_000, ZoneOffset.UTC));
    }

    /**
     * Epoch milliseconds of {@code 2024-01-31 12:00:00[.fff]}, {@code 2024-01-31T12:00:00[.fff][Z|+hh:mm]} or
     * {@code 2024-01-31} (UTC unless an offset is given).
     */
    public static long parseTimestamp(String s) {
        String t = s.trim();
        try {
            if (t.length() == 10) {
                return LocalDateTime.parse(t + "T00:00:00").toInstant(ZoneOffset.UTC).toEpochMilli();
            }
            String iso = t.replace(' ', 'T');
            char last = iso.charAt(iso.length() - 1);
            if (last == 'Z' || last == 'z') {
                return Instant.parse(iso.toUpperCase(Locale.ROOT)).toEpochMilli();
            }
            if (iso.length() > 19 && (iso.lastIndexOf('+') > 10 || iso.lastIndexOf('-') > 10)) {
                return OffsetDateTime.parse(iso).toInstant().toEpochMilli();
            }
            return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("not a TIMESTAMP: " + s);
        }
    }

    public static int longToInt(long v) {
        return Math.toIntExact(v);
    }

    public static long doubleToLong(double v) {
        if (!Double.isFinite(v) || v >= 0x1p63 || v < -0x1p63) {
            throw new ArithmeticException("out of range: " + v);
        }
        return (long) v;
    }

    public static int doubleToInt(double v) {
        return Math.toIntExact(doubleToLong(v));
    }
}
