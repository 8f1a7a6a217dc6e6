package io.peregrine.runtime.format;

/**
 * TIMESTAMP(3) text without {@code java.time} on the hot path: ISO-8601 parsing straight from bytes
 * and formatting as {@code 2024-01-01T00:00:00.000Z}. Calendar arithmetic is the proleptic
 * Gregorian days-from-civil algorithm (as java.time uses).
 */
public final class Timestamps {

    private static final long MILLIS_PER_DAY = 86_400_000L;

    private Timestamps() {}

    /** Days since 1970-01-01 of a proleptic Gregorian date. */
    public static long daysFromCivil(long year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = (y >= 0 ? y : y - 399) / 400;
        long yoe = y - era * 400;
        long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    static boolean isLeap(long year) {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    static int daysInMonth(long year, int month) {
        switch (month) {
            case 2:
                return isLeap(year) ? 29 : 28;
            case 4:
            case 6:
            case 9:
            case 11:
                return 30;
            default:
                return 31;
        }
    }

    /**
     * Parses {@code YYYY-MM-DD[(T|t| )hh:mm[:ss[.fraction]]][Z|z|(+|-)hh[[:]mm]]} from
     * {@code b[from, to)} to epoch milliseconds. No offset means UTC. Fraction digits beyond
     * milliseconds are truncated (towards the past).
     *
     * @return the epoch milliseconds, or {@link Long#MIN_VALUE} when the text is not such a timestamp
     */
    public static long parseIso(byte[] b, int from, int to) {
        int p = from;
        int n = to - from;
        if (n < 10) {
            return Long.MIN_VALUE;
        }
        long year = digits(b, p, 4);
        if (year < 0 || b[p + 4] != '-' || b[p + 7] != '-') {
            return Long.MIN_VALUE;
        }
        int month = (int) digits(b, p + 5, 2);
        int day = (int) digits(b, p + 8, 2);
        if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
            return Long.MIN_VALUE;
        }
        p += 10;
        long millisOfDay = 0;
        if (p < to) {
            byte sep = b[p];
            if (sep != 'T' && sep != 't' && sep != ' ') {
                return Long.MIN_VALUE;
            }
            p++;
            if (to - p < 5 || b[p + 2] != ':') {
                return Long.MIN_VALUE;
            }
            int hour = (int) digits(b, p, 2);
            int minute = (int) digits(b, p + 3, 2);
            if (hour < 0 || hour > 23 || minute < 0 || minute > 59) {
                return Long.MIN_VALUE;
            }
            p += 5;
            int second = 0;
            int millis = 0;
            if (p < to && b[p] == ':') {
                if (to - p < 3) {
                    return Long.MIN_VALUE;
                }
                second = (int) digits(b, p + 1, 2);
                if (second < 0 || second > 59) {
                    return Long.MIN_VALUE;
                }
                p += 3;
                if (p < to && (b[p] == '.' || b[p] == ',')) {
                    p++;
                    int start = p;
                    while (p < to && b[p] >= '0' && b[p] <= '9') {
                        if (p - start < 3) {
                            millis = millis * 10 + (b[p] - '0');
                        }
                        p++;
                    }
                    int count = p - start;
                    if (count == 0 || count > 9) {
                        return Long.MIN_VALUE;
                    }
                    for (int i = count; i < 3; i++) {
                        millis *= 10;
                    }
                }
            }
            millisOfDay = ((hour * 60L + minute) * 60 + second) * 1000 + millis;
            if (p < to) {
                byte z = b[p];
                if ((z == 'Z' || z == 'z') && p + 1 == to) {
                    p++;
                } else if (z == '+' || z == '-') {
                    int q = p + 1;
                    if (to - q < 2) {
                        return Long.MIN_VALUE;
                    }
                    int oh = (int) digits(b, q, 2);
                    q += 2;
                    int om = 0;
                    if (q < to) {
                        if (b[q] == ':') {
                            q++;
                        }
                        if (to - q != 2) {
                            return Long.MIN_VALUE;
                        }
                        om = (int) digits(b, q, 2);
                        q += 2;
                    }
                    if (oh < 0 || oh > 18 || om < 0 || om > 59) {
                        return Long.MIN_VALUE;
                    }
                    long offset = (oh * 60L + om) * 60_000L;
                    millisOfDay -= z == '+' ? offset : -offset;
                    p = q;
                } else {
                    return Long.MIN_VALUE;
                }
            }
        }
        if (p != to) {
            return Long.MIN_VALUE;
        }
        return daysFromCivil(year, month, day) * MILLIS_PER_DAY + millisOfDay;
    }

    /** The value of {@code count} ASCII digits, or -1 if one is not a digit. */
    private static long digits(byte[] b, int at, int count) {
        long v = 0;
        for (int i = at; i < at + count; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** Appends {@code 2024-01-01T00:00:00.000Z} (years beyond 9999 with a sign, as ISO-8601 extends them). */
    public static void appendIso(StringBuilder sb, long epochMillis) {
        byte[] tmp = new byte[32];
        int n = writeIso(tmp, 0, epochMillis);
        for (int i = 0; i < n; i++) {
            sb.append((char) tmp[i]);
        }
    }

    public static String formatIso(long epochMillis) {
        StringBuilder sb = new StringBuilder(24);
        appendIso(sb, epochMillis);
        return sb.toString();
    }

    /** Writes the ISO text into {@code out} at {@code at} (room for 32 bytes); returns the length written. */
    public static int writeIso(byte[] out, int at, long epochMillis) {
        long days = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        long ms = Math.floorMod(epochMillis, MILLIS_PER_DAY);
        long z = days + 719468;
        long era = (z >= 0 ? z : z - 146096) / 146097;
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long year = yoe + era * 400;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        if (month <= 2) {
            year++;
        }
        int p = at;
        if (year > 9999) {
            out[p++] = '+';
            String y = Long.toString(year);
            for (int i = 0; i < y.length(); i++) {
                out[p++] = (byte) y.charAt(i);
            }
        } else {
            if (year < 0) {
                out[p++] = '-';
            }
            long ay = Math.abs(year);
            if (ay > 9999) {
                String y = Long.toString(ay);
                for (int i = 0; i < y.length(); i++) {
                    out[p++] = (byte) y.charAt(i);
                }
            } else {
                p = two(out, two(out, p, (int) (ay / 100)), (int) (ay % 100));
            }
        }
        out[p++] = '-';
        p = two(out, p, month);
        out[p++] = '-';
        p = two(out, p, day);
        out[p++] = 'T';
        int secs = (int) (ms / 1000);
        p = two(out, p, secs / 3600);
        out[p++] = ':';
        p = two(out, p, secs / 60 % 60);
        out[p++] = ':';
        p = two(out, p, secs % 60);
        out[p++] = '.';
        int milli = (int) (ms % 1000);
        out[p++] = (byte) ('0' + milli / 100);
        out[p++] = (byte) ('0' + milli / 10 % 10);
        out[p++] = (byte) ('0' + milli % 10);
        out[p++] = 'Z';
        return p - at;
    }

    private static int two(byte[] out, int p, int v) {
        out[p] = (byte) ('0' + v / 10);
        out[p + 1] = (byte) ('0' + v % 10);
        return p + 2;
    }
}
