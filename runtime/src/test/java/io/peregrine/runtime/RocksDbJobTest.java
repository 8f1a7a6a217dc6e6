package io.peregrine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.dsl.Program;
import io.peregrine.runtime.source.Sources;
import io.peregrine.runtime.source.TransactionGenerator;
import io.peregrine.runtime.state.RocksDbStateBackend;
import io.peregrine.runtime.state.StateBackendFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job on RocksDB state writes exactly what it writes on the heap, also when the cache keeps few keys. */
class RocksDbJobTest {

    @TempDir
    Path tmp;

    private Map<String, String> run(Program program, String name, StateBackendFactory backends) throws IOException {
        Path out = tmp.resolve(name);
        Job.builder(program)
                .input("transactions", Sources.generator(TransactionGenerator.Config.of(3, 40_000)
                        .withCards(2_000).withEventsPerSecond(50).withFraudRate(0.01)))
                .outputDirectory(out)
                .parallelism(2)
                .stateBackend(backends)
                .build()
                .run();
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(out)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                files.put(p.getFileName().toString(), Files.readString(p));
            }
        }
        return files;
    }

    @Test
    void shouldWriteWhatTheHeapBackendWrites() throws IOException {
        Program program = TestPrograms.fraud(2_000, "json");
        Map<String, String> heap = run(program, "heap", io.peregrine.runtime.state.HeapStateBackend.factory());
        assertTrue(heap.values().stream().mapToInt(String::length).sum() > 1_000, "the workload matches");
        Path stateDir = tmp.resolve("state");
        assertEquals(heap, run(program, "rocks", RocksDbStateBackend.factory(stateDir)));
        assertEquals(heap, run(program, "rocks-small-cache",
                (w, groups) -> new RocksDbStateBackend(stateDir, "small-" + w + "-", groups, 40)));
        try (Stream<Path> left = Files.list(stateDir)) {
            assertEquals(0, left.count(), "the stores are deleted when the job ends");
        }
    }
}
