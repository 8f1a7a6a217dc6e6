package io.peregrine.feature;

import java.util.List;

/**
 * The read side of a job's features: what a model server, the gRPC layer or a test asks for.
 *
 * <p>Implementations are safe to call from any thread while workers update the features: a read
 * sees, for each key, the state after some whole number of that key's updates (never a torn one),
 * and never holds a worker up for longer than one key's copy.
 */
public interface FeatureView {

    /** The feature sets this view serves, in the order the program declares them. */
    List<FeatureSetInfo> featureSets();

    /**
     * The features of each requested key as of {@code request.asOf()} (default: the latest event
     * time the job has seen on the feature set's stream).
     *
     * @throws UnknownFeatureException for an unknown feature set or feature name, or a key that is
     *     not a valid value of the key column's type
     */
    FeatureResponse get(FeatureRequest request);
}
