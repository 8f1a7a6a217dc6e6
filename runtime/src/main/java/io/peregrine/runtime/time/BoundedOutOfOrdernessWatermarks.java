package io.peregrine.runtime.time;

/**
 * The watermark trails the highest timestamp seen by the bound: {@code max - bound - 1} (Flink's
 * formula), so an event up to {@code bound} ms older than the newest one is never late, and the
 * first one older than that is.
 */
public final class BoundedOutOfOrdernessWatermarks implements WatermarkGenerator {

    private final long bound;
    private long max = Long.MIN_VALUE;

    public BoundedOutOfOrdernessWatermarks(long boundMillis) {
        if (boundMillis < 0) {
            throw new IllegalArgumentException("out-of-orderness bound must not be negative, was " + boundMillis);
        }
        this.bound = boundMillis;
    }

    @Override
    public void onEvent(long timestamp) {
        if (timestamp > max) {
            max = timestamp;
        }
    }

    @Override
    public long currentWatermark() {
        if (max == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        long wm = max - bound - 1;
        return wm > max ? Long.MIN_VALUE : wm; // underflow near Long.MIN_VALUE
    }

    /** The highest timestamp seen, {@link Long#MIN_VALUE} before the first event (what a checkpoint keeps). */
    public long maxTimestamp() {
        return max;
    }

    /** Resumes from a checkpoint's {@link #maxTimestamp}. */
    public void restore(long maxTimestamp) {
        this.max = maxTimestamp;
    }

    public long bound() {
        return bound;
    }
}
