package io.peregrine.cli;

import io.peregrine.runtime.Job;
import io.peregrine.runtime.checkpoint.CheckpointSettings;
import io.peregrine.runtime.checkpoint.CheckpointStorage;
import io.peregrine.runtime.state.RocksDbStateBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The state and checkpoint options of {@code run} and {@code serve}. */
final class StateOptions {

    @Option(names = "--state", paramLabel = "heap|rocksdb", defaultValue = "heap",
            description = "Where keyed state lives: heap (default) or rocksdb (embedded RocksDB under --state-dir).")
    String state;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Working directory of the RocksDB state (default: a state/ directory beside the output).")
    Path stateDir;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR",
            description = "Checkpoint into DIR and resume from its latest complete checkpoint; outputs are then "
                    + "published only when a checkpoint covering them completes (exactly once).")
    Path checkpointDir;

    @Option(names = "--checkpoint-interval", paramLabel = "DURATION", defaultValue = "10s",
            description = "Time between checkpoints: 500ms, 10s, 5m, 1h (default: ${DEFAULT-VALUE}).")
    String checkpointInterval;

    @Option(names = "--checkpoints-retained", paramLabel = "N", defaultValue = "3",
            description = "Complete checkpoints kept (default: ${DEFAULT-VALUE}).")
    int checkpointsRetained;

    @Option(names = "--from-savepoint", paramLabel = "PATH",
            description = "Start from this savepoint (or checkpoint) directory instead of the beginning.")
    Path fromSavepoint;

    /** Applies the options to a job; {@code defaultStateDir} is where RocksDB works without --state-dir. */
    void configure(Job.Builder builder, Path defaultStateDir) {
        switch (state) {
            case "heap":
                if (stateDir != null) {
                    throw new UserError(ExitCodes.USAGE, "--state-dir needs --state rocksdb");
                }
                break;
            case "rocksdb":
                builder.stateBackend(RocksDbStateBackend.factory(stateDir != null ? stateDir : defaultStateDir));
                break;
            default:
                throw new UserError(ExitCodes.USAGE, "--state must be heap or rocksdb, not '" + state + "'");
        }
        if (checkpointDir != null) {
            Duration interval;
            try {
                interval = CheckpointSettings.parseDuration(checkpointInterval);
            } catch (IllegalArgumentException e) {
                throw new UserError(ExitCodes.USAGE, "--checkpoint-interval: " + e.getMessage());
            }
            if (checkpointsRetained < 1) {
                throw new UserError(ExitCodes.USAGE, "--checkpoints-retained must be at least 1");
            }
            builder.checkpointing(new CheckpointSettings(checkpointDir, interval, checkpointsRetained));
        }
        if (fromSavepoint != null) {
            if (!Files.isRegularFile(fromSavepoint.resolve(CheckpointStorage.MANIFEST))) {
                throw new UserError(ExitCodes.USAGE, "no savepoint in " + fromSavepoint + " (it has no "
                        + CheckpointStorage.MANIFEST + ")");
            }
            builder.fromSavepoint(fromSavepoint);
        }
    }
}
