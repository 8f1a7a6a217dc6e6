package io.peregrine.feature;

import java.util.List;

/**
 * A feature set as declared: {@code CREATE FEATURES name ON stream KEY keyColumn (...)}.
 *
 * @param name the feature set's name
 * @param stream the stream (or pattern) whose rows it aggregates
 * @param keyColumn the key column
 * @param features its features in declared order
 */
public record FeatureSetInfo(String name, String stream, String keyColumn, List<FeatureInfo> features) {

    public FeatureSetInfo {
        features = List.copyOf(features);
    }
}
