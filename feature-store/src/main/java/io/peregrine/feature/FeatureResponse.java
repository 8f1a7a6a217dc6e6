package io.peregrine.feature;

import java.util.List;

/**
 * The answer to a {@link FeatureRequest}.
 *
 * @param featureSet the feature set's name
 * @param features the names of the returned features, the order of every row's values
 * @param rows one per requested key, in request order
 * @param asOfMillis the time the values are as of (epoch milliseconds)
 * @param watermarkMillis the feature set's stream watermark when read: values as of a time at or
 *     below it are final, later ones may still change as late-arriving (but not late) events land
 */
public record FeatureResponse(String featureSet, List<String> features, List<KeyFeatures> rows,
                              long asOfMillis, long watermarkMillis) {

    public FeatureResponse {
        features = List.copyOf(features);
        rows = List.copyOf(rows);
    }
}
