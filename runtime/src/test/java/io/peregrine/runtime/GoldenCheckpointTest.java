package io.peregrine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.runtime.checkpoint.CheckpointManifest;
import io.peregrine.runtime.checkpoint.CheckpointSettings;
import io.peregrine.runtime.checkpoint.CheckpointStorage;
import io.peregrine.runtime.source.Source;
import io.peregrine.runtime.source.Sources;
import io.peregrine.runtime.source.TransactionGenerator;
import io.peregrine.runtime.state.HeapStateBackend;
import io.peregrine.runtime.state.RocksDbStateBackend;
import io.peregrine.runtime.state.StateBackendFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A savepoint of format version 1 (manifest v1, keyed state v1, pattern key state v1) kept in test
 * resources still restores, on either backend and at any parallelism, and the job then writes
 * exactly what it wrote when the savepoint was made. Regenerate (only when adding a format version,
 * into a new directory) with {@code -Dperegrine.golden.write=DIR}.
 */
class GoldenCheckpointTest {

    private static final String GOLDEN = "golden/savepoint-v1";

    @TempDir
    Path tmp;

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(GoldenCheckpointTest.class.getClassLoader().getResource(GOLDEN + "/" + name).toURI());
    }

    private static Map<String, String> files(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                if (!p.getFileName().toString().startsWith(".")) {
                    m.put(p.getFileName().toString(), Files.readString(p));
                }
            }
        }
        return m;
    }

    private Map<String, String> resume(int parallelism, StateBackendFactory backend, String name) throws Exception {
        Path out = tmp.resolve(name);
        Job.builder(TestPrograms.fraud(2_000, "json")).input("transactions", Sources.file(resource("input.jsonl")))
                .outputDirectory(out).parallelism(parallelism).stateBackend(backend)
                .fromSavepoint(resource("savepoint")).build().run();
        return files(out);
    }

    @Test
    void shouldRestoreTheGoldenSavepointOnEitherBackend() throws Exception {
        CheckpointManifest m = CheckpointStorage.load(resource("savepoint")).manifest();
        assertTrue(m.savepoint());
        assertEquals(2, m.stateFiles().size());
        Map<String, String> expected = files(resource("expected"));
        assertTrue(expected.get("small_then_large.jsonl").length() > 100, "rows after the savepoint");
        assertEquals(expected, resume(1, HeapStateBackend.factory(), "heap"));
        assertEquals(expected, resume(3, RocksDbStateBackend.factory(tmp.resolve("state")), "rocksdb"));
    }

    /** Writes a new golden directory (input, savepoint, expected outputs) when asked to. */
    @Test
    void writeGoldenFilesWhenAsked() throws Exception {
        String target = System.getProperty("peregrine.golden.write");
        if (target == null) {
            return;
        }
        Path dir = Path.of(target);
        Files.createDirectories(dir);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        TransactionGenerator.writeJsonLines(TransactionGenerator.Config.of(13, 3_000).withCards(40)
                .withEventsPerSecond(5).withFraudRate(0.02), data);
        Path input = Files.writeString(dir.resolve("input.jsonl"), data.toString(StandardCharsets.UTF_8));
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Source gated = GatedSource.gate(Sources.file(input), 1_024, reached, release);
        Job first = Job.builder(TestPrograms.fraud(2_000, "json")).input("transactions", gated)
                .outputDirectory(tmp.resolve("before")).parallelism(2)
                .checkpointing(new CheckpointSettings(tmp.resolve("checkpoints"), Duration.ofHours(1), 1)).build();
        Thread runner = new Thread(first::run);
        runner.start();
        assertTrue(reached.await(30, TimeUnit.SECONDS));
        var taken = first.savepoint(dir.resolve("savepoint"));
        release.countDown();
        taken.get(30, TimeUnit.SECONDS);
        first.cancel();
        runner.join();
        Path expected = dir.resolve("expected");
        Job.builder(TestPrograms.fraud(2_000, "json")).input("transactions", Sources.file(input))
                .outputDirectory(expected).parallelism(2).fromSavepoint(dir.resolve("savepoint")).build().run();
    }
}
