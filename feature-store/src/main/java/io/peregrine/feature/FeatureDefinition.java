package io.peregrine.feature;

import java.util.Objects;

/**
 * One feature: an aggregate of an argument over a window, optionally of filtered events.
 *
 * @param name the feature's name
 * @param aggregate the function and the kind of its argument
 * @param input reads the argument; null when the aggregate takes none
 * @param filter null when every event counts
 * @param window the events aggregated as of a time
 * @param text the definition as written, for listings and errors
 * @param <E> the event type
 */
public record FeatureDefinition<E>(String name, Aggregate aggregate, EventExtractor<E> input, EventFilter<E> filter,
                                   Window window, String text) {

    public FeatureDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(aggregate, "aggregate");
        Objects.requireNonNull(window, "window");
        if ((input == null) != (aggregate.input() == ValueKind.NONE)) {
            throw new IllegalArgumentException("feature " + name + ": an extractor is needed exactly when "
                    + aggregate.kind() + " has an argument");
        }
    }

    public FeatureInfo info() {
        return new FeatureInfo(name, aggregate.resultType(), text);
    }

    /** The window's length in milliseconds, {@link Long#MAX_VALUE} for a lifetime window. */
    long windowMillis() {
        if (window instanceof Window.Sliding s) {
            return s.sizeMillis();
        }
        if (window instanceof Window.Hopping h) {
            return h.sizeMillis();
        }
        return Long.MAX_VALUE;
    }
}
