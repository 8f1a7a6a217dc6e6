/**
 * Features computed continuously from streams: definitions, window aggregators, and the read view
 * ({@link io.peregrine.feature.FeatureView}) that serving and tests query while a job runs.
 */
package io.peregrine.feature;
