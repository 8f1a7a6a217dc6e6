/**
 * Watermarks: per input {@link io.peregrine.runtime.time.BoundedOutOfOrdernessWatermarks}, per stream
 * the {@link io.peregrine.runtime.time.WatermarkCombiner} (minimum over active inputs, idleness, end).
 */
package io.peregrine.runtime.time;
