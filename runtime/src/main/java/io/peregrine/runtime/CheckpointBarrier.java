package io.peregrine.runtime;

import io.peregrine.runtime.checkpoint.CheckpointManifest;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One checkpoint or savepoint on its way through a job: the reader fills in where the inputs were
 * and sends it behind the events read so far; each worker, on reaching it, writes its state file
 * into {@link #directory} and records it; the output thread, once every worker's output of the
 * epoch is written, completes it (manifest, then publishing the outputs).
 */
final class CheckpointBarrier {

    final long id;
    final Path directory;
    final boolean savepoint;
    final long injectedNanos;
    final CompletableFuture<CheckpointManifest> done = new CompletableFuture<>();

    // filled by the reader before the barrier is sent
    long[] watermarks;
    List<CheckpointManifest.StreamProgress> streams;
    List<CheckpointManifest.InputProgress> inputs;
    long lateLength = -1;
    long deadLetterLength = -1;

    // one slot per worker, each written by its worker before it hands over the epoch's output
    final java.util.concurrent.CompletableFuture<CheckpointManifest.StateFile>[] stateFiles;
    /** Where the workers' state files are written. */
    final java.util.concurrent.Executor writers;
    final long[] arrivedNanos;
    final long[] snapshotNanos;

    @SuppressWarnings("unchecked")
    CheckpointBarrier(long id, Path directory, boolean savepoint, int workers, java.util.concurrent.Executor writers) {
        this.writers = writers;
        this.id = id;
        this.directory = directory;
        this.savepoint = savepoint;
        this.injectedNanos = System.nanoTime();
        this.stateFiles = new java.util.concurrent.CompletableFuture[workers];
        this.arrivedNanos = new long[workers];
        this.snapshotNanos = new long[workers];
    }
}
