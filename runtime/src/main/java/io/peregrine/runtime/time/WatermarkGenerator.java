package io.peregrine.runtime.time;

/**
 * Watermarks of one input from the timestamps of its events, as Flink's {@code WatermarkGenerator}:
 * after {@code onEvent(t)} the input promises no more events at or below {@link #currentWatermark()}.
 */
public interface WatermarkGenerator {

    void onEvent(long timestamp);

    /** The watermark so far, {@link Long#MIN_VALUE} before the first event; never goes back. */
    long currentWatermark();
}
