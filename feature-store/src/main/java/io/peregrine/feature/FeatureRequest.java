package io.peregrine.feature;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A read of some features of some keys.
 *
 * @param featureSet the feature set's name
 * @param keys the key column's values as text (a BIGINT key as its decimal digits), in the order
 *     the response should list them
 * @param features feature names to return, in that order; empty for all, in declared order
 * @param asOfMillis the time T of "as of T" in epoch milliseconds; empty for the latest event time
 *     seen on the feature set's stream
 */
public record FeatureRequest(String featureSet, List<String> keys, List<String> features, OptionalLong asOfMillis) {

    public FeatureRequest {
        Objects.requireNonNull(featureSet, "featureSet");
        keys = List.copyOf(keys);
        features = List.copyOf(features);
        Objects.requireNonNull(asOfMillis, "asOfMillis");
    }

    /** All features of the keys, as of the latest event time. */
    public static FeatureRequest latest(String featureSet, List<String> keys) {
        return new FeatureRequest(featureSet, keys, List.of(), OptionalLong.empty());
    }
}
