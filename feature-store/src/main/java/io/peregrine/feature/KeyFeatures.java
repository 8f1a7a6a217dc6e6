package io.peregrine.feature;

import java.util.List;

/**
 * One key's features.
 *
 * @param key the key as requested
 * @param found whether the job holds any state for the key
 * @param lastEventMillis the timestamp of the key's latest event (epoch milliseconds), or
 *     {@link Long#MIN_VALUE} when not found
 * @param values one per feature of the response, in its order
 */
public record KeyFeatures(String key, boolean found, long lastEventMillis, List<FeatureValue> values) {

    public KeyFeatures {
        values = List.copyOf(values);
    }
}
