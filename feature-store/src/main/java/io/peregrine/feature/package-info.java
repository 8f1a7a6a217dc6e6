/**
 * Features computed continuously from streams: definitions ({@link io.peregrine.feature.FeatureSetDefinition}),
 * per-key window state ({@link io.peregrine.feature.FeatureKeyState}), point-in-time
 * {@link io.peregrine.feature.Backfill}, and the read view ({@link io.peregrine.feature.FeatureView})
 * that serving and tests query while a job runs.
 */
package io.peregrine.feature;
