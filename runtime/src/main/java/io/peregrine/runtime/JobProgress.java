package io.peregrine.runtime;

/**
 * How far a running job is, for progress displays: read from counters the job's threads publish at
 * chunk and watermark boundaries, so it may trail the truth by a chunk.
 *
 * @param events    records read so far over all streams
 * @param seconds   wall time since the job started
 * @param watermark the lowest watermark over the streams that have one ({@link Long#MIN_VALUE} before any)
 * @param rows      rows written so far over all patterns (matches and timeouts)
 */
public record JobProgress(long events, double seconds, long watermark, long rows) {

    public double eventsPerSecond() {
        return seconds > 0 ? events / seconds : 0;
    }
}
