package io.peregrine.runtime;

import io.peregrine.dsl.StreamDef;
import io.peregrine.runtime.checkpoint.CheckpointSettings;
import io.peregrine.runtime.source.RecordBatch;
import io.peregrine.runtime.source.RecordReader;
import io.peregrine.runtime.source.Source;
import io.peregrine.runtime.source.SourcePosition;
import io.peregrine.runtime.source.Sources;
import io.peregrine.runtime.state.HeapStateBackend;
import io.peregrine.runtime.state.RocksDbStateBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The job {@link CrashRecoveryTest} runs in a child JVM and kills:
 * {@code INPUT OUT CHECKPOINTS PARALLELISM heap|rocksdb STATE_DIR INTERVAL_MS PAUSE_MS}. The input
 * pauses PAUSE_MS before each chunk, so that a run lasts long enough to be killed in the middle
 * however fast the machine is.
 */
public final class CrashRecoveryMain {

    private CrashRecoveryMain() {}

    public static void main(String[] args) {
        Path input = Path.of(args[0]);
        Job.builder(TestPrograms.fraud(2_000, "json"))
                .input("transactions", throttled(Sources.file(input), Long.parseLong(args[7])))
                .outputDirectory(Path.of(args[1]))
                .parallelism(Integer.parseInt(args[3]))
                .stateBackend(args[4].equals("rocksdb") ? RocksDbStateBackend.factory(Path.of(args[5]))
                        : HeapStateBackend.factory())
                .checkpointing(new CheckpointSettings(Path.of(args[2]), Duration.ofMillis(Long.parseLong(args[6])), 2))
                .build()
                .run();
        System.exit(0);
    }

    private static Source throttled(Source inner, long pauseMillis) {
        return new Source() {
            @Override
            public String describe() {
                return inner.describe();
            }

            @Override
            public RecordReader open(StreamDef stream, SourcePosition from) {
                RecordReader r = inner.open(stream, from);
                return new RecordReader() {
                    @Override
                    public int read(RecordBatch batch, int max) throws IOException {
                        try {
                            Thread.sleep(pauseMillis);
                        } catch (InterruptedException e) {
                            throw new IOException("interrupted", e);
                        }
                        return r.read(batch, max);
                    }

                    @Override
                    public SourcePosition position() {
                        return r.position();
                    }

                    @Override
                    public void close() throws IOException {
                        r.close();
                    }
                };
            }
        };
    }
}
