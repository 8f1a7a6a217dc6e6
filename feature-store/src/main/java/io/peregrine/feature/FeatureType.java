package io.peregrine.feature;

/** The type of a feature's values, as a reader sees them (see {@link FeatureValue#value()}). */
public enum FeatureType {
    BIGINT,
    DOUBLE,
    STRING,
    BOOLEAN,
    /** Epoch milliseconds. */
    TIMESTAMP,
    /** Milliseconds (as TIME_SINCE_LAST gives). */
    DURATION,
    /** A list of values (as LAST_N gives), oldest first. */
    LIST
}
