package io.peregrine.runtime.format;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reuses the String of recently seen ASCII values of one column (country codes, merchant names),
 * so that a low-cardinality column costs no allocation per record and its rows share one String.
 * Direct-mapped by a hash of the bytes; a column whose values rarely repeat turns the cache off
 * after a trial, so high-cardinality columns (ids) pay only for their own String.
 */
final class StringCache {

    private static final int SIZE = 512;
    private static final int MAX_LENGTH = 32;
    private static final int TRIAL = 4096;

    private final byte[][] keys = new byte[SIZE][];
    private final String[] strings = new String[SIZE];
    private int lookups;
    private int hits;
    private boolean off;

    /** The String of ASCII bytes {@code b[s, e)}. */
    String get(byte[] b, int s, int e) {
        int len = e - s;
        if (off || len > MAX_LENGTH) {
            return new String(b, s, len, StandardCharsets.ISO_8859_1);
        }
        if (++lookups == TRIAL) {
            off = hits < TRIAL / 4;
        }
        int h = len;
        for (int i = s; i < e; i++) {
            h = 31 * h + b[i];
        }
        int slot = (h ^ (h >>> 9)) & (SIZE - 1);
        byte[] k = keys[slot];
        if (k != null && Arrays.equals(k, 0, k.length, b, s, e)) {
            hits++;
            return strings[slot];
        }
        String v = new String(b, s, len, StandardCharsets.ISO_8859_1);
        keys[slot] = Arrays.copyOfRange(b, s, e);
        strings[slot] = v;
        return v;
    }
}
