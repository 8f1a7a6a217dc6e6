package io.peregrine.runtime.checkpoint;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only hook: with the system property {@code peregrine.test.crash=POINT:N} the process halts
 * (as {@code kill -9} would: no shutdown hooks, no flushing) the N-th time it reaches the named
 * point. Points: {@code checkpoint-write} (state files written, manifest not yet),
 * {@code manifest-written} (manifest renamed, outputs not yet published), {@code sink-commit}
 * (between publishing two outputs). Without the property a check is one static final read.
 */
public final class CrashPoints {

    private static final String POINT;
    private static final int COUNT;
    private static final AtomicInteger REACHED = new AtomicInteger();

    static {
        String spec = System.getProperty("peregrine.test.crash");
        String point = null;
        int count = 0;
        if (spec != null && spec.indexOf(':') > 0) {
            point = spec.substring(0, spec.indexOf(':'));
            count = Integer.parseInt(spec.substring(spec.indexOf(':') + 1));
        }
        POINT = point;
        COUNT = count;
    }

    private CrashPoints() {}

    public static void reach(String point) {
        if (POINT != null && POINT.equals(point) && REACHED.incrementAndGet() == COUNT) {
            Runtime.getRuntime().halt(137);
        }
    }
}
