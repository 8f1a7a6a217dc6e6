package io.peregrine.feature;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A feature set: features of the events of one stream (or of a pattern's output rows), per value
 * of a key column.
 *
 * @param name the set's name
 * @param stream the stream or pattern whose rows it aggregates
 * @param keyColumn the key column's name
 * @param features the features in declared order
 * @param allowedLatenessMillis how long after the watermark passes a window's end its state is
 *     still kept (events later than that are late anyway), so as-of reads reach back that far
 * @param <E> the event type
 */
public record FeatureSetDefinition<E>(String name, String stream, String keyColumn, List<FeatureDefinition<E>> features,
                                      long allowedLatenessMillis) {

    public FeatureSetDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(keyColumn, "keyColumn");
        features = List.copyOf(features);
        if (features.isEmpty()) {
            throw new IllegalArgumentException("feature set " + name + " has no features");
        }
        if (allowedLatenessMillis < 0) {
            throw new IllegalArgumentException("allowed lateness must not be negative, was " + allowedLatenessMillis);
        }
        Set<String> names = new HashSet<>();
        for (FeatureDefinition<E> f : features) {
            if (!names.add(f.name())) {
                throw new IllegalArgumentException("feature set " + name + " declares feature " + f.name() + " twice");
            }
        }
    }

    public FeatureSetInfo info() {
        return new FeatureSetInfo(name, stream, keyColumn, features.stream().map(FeatureDefinition::info).toList());
    }

    /** The index of a feature by name, or -1. */
    public int indexOf(String feature) {
        for (int i = 0; i < features.size(); i++) {
            if (features.get(i).name().equals(feature)) {
                return i;
            }
        }
        return -1;
    }

    /** New, empty state for one key (holders of many keys share a {@link #keyStates()} factory instead). */
    public FeatureKeyState<E> newKeyState() {
        return keyStates().create();
    }

    /** Makes and reads key states that share this definition's per-set parts. */
    public FeatureKeyState.Factory<E> keyStates() {
        return new FeatureKeyState.Factory<>(this);
    }
}
