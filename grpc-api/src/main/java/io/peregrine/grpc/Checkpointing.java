package io.peregrine.grpc;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What AdminService needs from a job's checkpointing. A server with a job uses the job's (see
 * {@link #of}); one without a job answers TriggerCheckpoint and TriggerSavepoint with UNIMPLEMENTED.
 */
public interface Checkpointing {

    /**
     * The checkpoints and savepoints of a running job.
     *
     * @param checkpointDir the job's checkpoint directory (to name checkpoints' paths), or null
     */
    static Checkpointing of(io.peregrine.runtime.Job job, Path checkpointDir) {
        return new JobCheckpointing(job, checkpointDir);
    }

    /**
     * @param id             the checkpoint's id
     * @param path           where it was written
     * @param completedMillis when it completed (epoch milliseconds)
     * @param sizeBytes      its size in bytes
     */
    record Checkpoint(long id, String path, long completedMillis, long sizeBytes) {
    }

    /** Takes a checkpoint and returns once it is complete. */
    Checkpoint checkpoint();

    /** Takes a savepoint into {@code directory} and returns once it is complete. */
    Checkpoint savepoint(Path directory);

    /** The latest completed checkpoint. */
    Optional<Checkpoint> last();
}
