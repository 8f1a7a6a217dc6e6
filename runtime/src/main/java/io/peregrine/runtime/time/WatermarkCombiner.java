package io.peregrine.runtime.time;

import java.util.Arrays;

/**
 * The watermark of a stream read from several inputs (files, partitions): the minimum over its
 * active inputs, never going back. An input that has produced nothing for the idle timeout
 * (processing time, from the caller's clock) stops holding the watermark back until it produces
 * again; an input that ended no longer counts; when all have ended the watermark is
 * {@link Long#MAX_VALUE}, the final watermark that flushes everything. Not thread-safe.
 */
public final class WatermarkCombiner {

    private static final byte ACTIVE = 0;
    private static final byte IDLE = 1;
    private static final byte ENDED = 2;

    private final long[] watermarks;
    private final byte[] states;
    private final long[] lastActive;
    private final long idleTimeoutMillis;
    private long combined = Long.MIN_VALUE;

    /**
     * @param idleTimeoutMillis after this long without records an input is idle; 0 or less: never
     * @param nowMillis         the processing time the inputs start at
     */
    public WatermarkCombiner(int inputs, long idleTimeoutMillis, long nowMillis) {
        if (inputs < 1) {
            throw new IllegalArgumentException("a stream needs at least one input");
        }
        this.watermarks = new long[inputs];
        this.states = new byte[inputs];
        this.lastActive = new long[inputs];
        this.idleTimeoutMillis = idleTimeoutMillis;
        Arrays.fill(watermarks, Long.MIN_VALUE);
        Arrays.fill(lastActive, nowMillis);
    }

    /** The combined watermark. */
    public long current() {
        return combined;
    }

    /**
     * An input's own watermark moved (it only counts forward).
     *
     * @return the combined watermark
     */
    public long onWatermark(int input, long watermark) {
        if (watermark <= watermarks[input]) {
            return combined;
        }
        long old = watermarks[input];
        watermarks[input] = watermark;
        if (states[input] == ACTIVE && watermarks.length == 1) {
            if (watermark > combined) {
                combined = watermark;
            }
            return combined;
        }
        if (states[input] == ACTIVE && old <= combined) {
            recompute();
        }
        return combined;
    }

    /** The input produced records at {@code nowMillis}: it is active (again). */
    public void onActivity(int input, long nowMillis) {
        lastActive[input] = nowMillis;
        if (states[input] == IDLE) {
            states[input] = ACTIVE;
            recompute();
        }
    }

    /** Marks inputs idle that produced nothing for the idle timeout. */
    public long onIdleCheck(long nowMillis) {
        if (idleTimeoutMillis <= 0) {
            return combined;
        }
        boolean changed = false;
        for (int i = 0; i < states.length; i++) {
            if (states[i] == ACTIVE && nowMillis - lastActive[i] >= idleTimeoutMillis) {
                states[i] = IDLE;
                changed = true;
            }
        }
        if (changed) {
            recompute();
        }
        return combined;
    }

    /** The input ended (bounded input read to its end). */
    public long onEnd(int input) {
        states[input] = ENDED;
        recompute();
        return combined;
    }

    public boolean isIdle(int input) {
        return states[input] == IDLE;
    }

    public boolean allEnded() {
        for (byte s : states) {
            if (s != ENDED) {
                return false;
            }
        }
        return true;
    }

    private void recompute() {
        long min = Long.MAX_VALUE;
        boolean anyActive = false;
        boolean allEnded = true;
        for (int i = 0; i < states.length; i++) {
            if (states[i] == ACTIVE) {
                anyActive = true;
                min = Math.min(min, watermarks[i]);
            }
            allEnded &= states[i] == ENDED;
        }
        if (allEnded) {
            combined = Long.MAX_VALUE;
        } else if (anyActive && min > combined) {
            combined = min;
        }
    }
}
