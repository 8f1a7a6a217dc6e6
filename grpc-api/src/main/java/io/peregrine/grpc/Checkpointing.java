package io.peregrine.grpc;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What AdminService needs from a job's checkpointing. The runtime has none yet; a server built
 * without one answers TriggerCheckpoint and TriggerSavepoint with UNIMPLEMENTED.
 */
public interface Checkpointing {

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
