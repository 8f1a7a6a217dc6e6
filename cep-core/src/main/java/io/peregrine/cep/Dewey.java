package io.peregrine.cep;

import java.util.Arrays;

/**
 * Dewey version numbers over {@code int[]} (never mutated once built). A run's version says which
 * branch of the NFA it is on; an edge of the shared buffer is followed only by versions compatible
 * with it. Same rules as FlinkCEP's {@code DeweyNumber}, without the wrapper object.
 */
final class Dewey {

    static final int[] INITIAL = {1};

    private Dewey() {}

    static int[] increase(int[] v, int times) {
        if (times == 0) {
            return v;
        }
        int[] r = Arrays.copyOf(v, v.length);
        r[r.length - 1] += times;
        return r;
    }

    static int[] addStage(int[] v) {
        return Arrays.copyOf(v, v.length + 1);
    }

    static int[] increaseAndAddStage(int[] v, int times) {
        int[] r = Arrays.copyOf(v, v.length + 1);
        r[v.length - 1] += times;
        return r;
    }

    /** Whether {@code v} descends from {@code other}: a longer version with it as prefix, or a later sibling. */
    static boolean isCompatible(int[] v, int[] other) {
        int n = other.length;
        if (v.length > n) {
            for (int i = 0; i < n; i++) {
                if (v[i] != other[i]) {
                    return false;
                }
            }
            return true;
        } else if (v.length == n) {
            int last = n - 1;
            for (int i = 0; i < last; i++) {
                if (v[i] != other[i]) {
                    return false;
                }
            }
            return v[last] >= other[last];
        }
        return false;
    }

    static String toString(int[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(v[i]);
        }
        return sb.toString();
    }
}
