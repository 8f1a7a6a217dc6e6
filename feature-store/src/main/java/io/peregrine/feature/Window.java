package io.peregrine.feature;

/**
 * The events a feature aggregates as of a time T. Sizes are milliseconds.
 */
public sealed interface Window {

    /** Every event with timestamp at or before T. */
    record Lifetime() implements Window {
    }

    /** Exactly the events with timestamp in {@code (T - size, T]}. */
    record Sliding(long sizeMillis) implements Window {
        public Sliding {
            if (sizeMillis <= 0) {
                throw new IllegalArgumentException("sliding window size must be positive, was " + sizeMillis + " ms");
            }
        }
    }

    /**
     * The latest hopping window that ended by T: with {@code e = floor(T / hop) * hop}, the events
     * with timestamp in {@code (e - size, e]}. Kept as one partial aggregate per hop ("tile"),
     * merged when read; the size must be a whole number of hops.
     */
    record Hopping(long sizeMillis, long hopMillis) implements Window {
        public Hopping {
            if (hopMillis <= 0 || sizeMillis <= 0 || sizeMillis % hopMillis != 0) {
                throw new IllegalArgumentException("hopping window size " + sizeMillis
                        + " ms must be a positive multiple of its hop " + hopMillis + " ms");
            }
        }
    }

    Lifetime LIFETIME = new Lifetime();
}
