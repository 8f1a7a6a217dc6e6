package io.peregrine.runtime;

import io.peregrine.runtime.checkpoint.CheckpointSettings;
import io.peregrine.runtime.source.Sources;
import io.peregrine.runtime.state.HeapStateBackend;
import io.peregrine.runtime.state.RocksDbStateBackend;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The job {@link CrashRecoveryTest} runs in a child JVM and kills:
 * {@code INPUT OUT CHECKPOINTS PARALLELISM heap|rocksdb STATE_DIR INTERVAL_MS}.
 */
public final class CrashRecoveryMain {

    private CrashRecoveryMain() {}

    public static void main(String[] args) {
        Path input = Path.of(args[0]);
        Job.builder(TestPrograms.fraud(2_000, "json"))
                .input("transactions", Sources.file(input))
                .outputDirectory(Path.of(args[1]))
                .parallelism(Integer.parseInt(args[3]))
                .stateBackend(args[4].equals("rocksdb") ? RocksDbStateBackend.factory(Path.of(args[5]))
                        : HeapStateBackend.factory())
                .checkpointing(new CheckpointSettings(Path.of(args[2]), Duration.ofMillis(Long.parseLong(args[6])), 2))
                .build()
                .run();
        System.exit(0);
    }
}
