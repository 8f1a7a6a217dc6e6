package io.peregrine.feature;

/** Why a feature value is what it is. */
public enum FeatureStatus {
    /** The value aggregates at least one of the key's events in the window (or is a count, maybe 0). */
    PRESENT,
    /** The job has no state for the key. */
    NOT_FOUND,
    /** The key is known but none of its events fall in the feature's window as of the read time. */
    OUT_OF_WINDOW
}
