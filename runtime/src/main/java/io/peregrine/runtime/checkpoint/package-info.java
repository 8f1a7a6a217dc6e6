/**
 * Checkpoints and savepoints on disk: {@link io.peregrine.runtime.checkpoint.CheckpointManifest} (what a
 * checkpoint holds, in a versioned, checksummed format), {@link io.peregrine.runtime.checkpoint.CheckpointStorage}
 * (directories, atomic manifest writes, retention, finding the latest complete checkpoint) and
 * {@link io.peregrine.runtime.checkpoint.CheckpointSettings} (what {@code Job.Builder} takes).
 */
package io.peregrine.runtime.checkpoint;
