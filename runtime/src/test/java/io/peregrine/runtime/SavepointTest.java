package io.peregrine.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.peregrine.runtime.checkpoint.CheckpointManifest;
import io.peregrine.runtime.checkpoint.CheckpointSettings;
import io.peregrine.dsl.StreamDef;
import io.peregrine.runtime.source.RecordBatch;
import io.peregrine.runtime.source.RecordReader;
import io.peregrine.runtime.source.Source;
import io.peregrine.runtime.source.SourcePosition;
import io.peregrine.runtime.source.Sources;
import io.peregrine.runtime.source.TransactionGenerator;
import io.peregrine.runtime.state.HeapStateBackend;
import io.peregrine.runtime.state.RocksDbStateBackend;
import io.peregrine.runtime.state.StateBackendFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A savepoint taken from a running job resumes elsewhere: another parallelism, the other backend, a new output directory. */
class SavepointTest {

    @TempDir
    Path tmp;

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

    @Test
    void shouldResumeFromASavepointAtAnotherParallelismOnTheOtherBackend() throws Exception {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        TransactionGenerator.writeJsonLines(TransactionGenerator.Config.of(9, 60_000).withCards(1_000)
                .withEventsPerSecond(40).withFraudRate(0.01), data);
        String text = data.toString(StandardCharsets.UTF_8) + "{\"card_id\":\"c\",\"amount\":1,\"country\":\"NL\",\"ts\":5}\n";
        Path input = Files.writeString(tmp.resolve("in.jsonl"), text);
        Path reference = tmp.resolve("reference");
        Job.builder(TestPrograms.fraud(2_000, "json")).input("transactions", Sources.file(input))
                .outputDirectory(reference).parallelism(2).build().run();

        Path before = tmp.resolve("before");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Source gated = GatedSource.gate(Sources.file(input), 20_000, reached, release);
        Job first = Job.builder(TestPrograms.fraud(2_000, "json")).input("transactions", gated)
                .outputDirectory(before).parallelism(2).meterRegistry(meters)
                .checkpointing(new CheckpointSettings(tmp.resolve("checkpoints"), Duration.ofHours(1), 3))
                .build();
        Thread runner = new Thread(first::run);
        runner.start();
        assertTrue(reached.await(30, TimeUnit.SECONDS));
        Path savepoint = tmp.resolve("savepoint");
        CompletableFuture<CheckpointManifest> taken = first.savepoint(savepoint);
        release.countDown();
        CheckpointManifest m = taken.get(30, TimeUnit.SECONDS);
        first.cancel();
        runner.join();
        assertTrue(m.savepoint());
        assertEquals(2, m.stateFiles().size());
        long readAt = m.inputs().get(0).records();
        assertTrue(readAt >= 20_000 && readAt < 60_001, "savepoint after " + readAt + " records");
        assertEquals(1.0, meters.get("peregrine.checkpoint.duration").timer().count());

        Path after = tmp.resolve("after");
        JobSummary summary = Job.builder(TestPrograms.fraud(2_000, "json")).input("transactions", Sources.file(input))
                .outputDirectory(after).parallelism(3).stateBackend(RocksDbStateBackend.factory(tmp.resolve("state")))
                .fromSavepoint(savepoint).build().run();
        assertEquals(60_001, summary.events(), "counters continue from the savepoint");

        Map<String, String> want = files(reference);
        Map<String, String> head = files(before);
        Map<String, String> tail = files(after);
        assertEquals(want.keySet(), tail.keySet());
        for (String name : want.keySet()) {
            assertEquals(want.get(name), head.getOrDefault(name, "") + tail.get(name), name);
        }
    }

    private List<byte[]> savepointState(Path input, int cards, StateBackendFactory backend, String name) throws Exception {
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Job job = Job.builder(TestPrograms.fraud(2_000, "json"))
                .input("transactions", GatedSource.gate(Sources.file(input), 20_000, reached, release))
                .outputDirectory(tmp.resolve(name)).parallelism(2).stateBackend(backend).build();
        Thread runner = new Thread(job::run);
        runner.start();
        assertTrue(reached.await(30, TimeUnit.SECONDS));
        CompletableFuture<CheckpointManifest> taken = job.savepoint(tmp.resolve(name + "-savepoint"));
        release.countDown();
        CheckpointManifest m = taken.get(30, TimeUnit.SECONDS);
        job.cancel();
        runner.join();
        List<byte[]> files = new ArrayList<>();
        for (CheckpointManifest.StateFile f : m.stateFiles()) {
            files.add(Files.readAllBytes(tmp.resolve(name + "-savepoint").resolve(f.name())));
        }
        return files;
    }

    @Test
    void shouldWriteTheSameStateBytesFromEitherBackend() throws Exception {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        TransactionGenerator.writeJsonLines(TransactionGenerator.Config.of(4, 40_000).withCards(5_000)
                .withEventsPerSecond(20).withFraudRate(0.01), data);
        Path input = Files.writeString(tmp.resolve("in.jsonl"), data.toString(StandardCharsets.UTF_8));
        List<byte[]> heap = savepointState(input, 5_000, HeapStateBackend.factory(), "heap");
        List<byte[]> rocks = savepointState(input, 5_000,
                (w, groups) -> new RocksDbStateBackend(tmp.resolve("state"), "w" + w, groups, 500), "rocks");
        assertTrue(heap.get(0).length > 100_000, "much state: " + heap.get(0).length);
        for (int w = 0; w < heap.size(); w++) {
            assertArrayEquals(heap.get(w), rocks.get(w), "worker " + w);
        }
    }

    @Test
    void shouldTakeACheckpointRequestedAsTheJobStarts() throws Exception {
        // a request made right after run() began waits for the job to come up instead of being refused
        java.io.PipedOutputStream writer = new java.io.PipedOutputStream();
        java.io.PipedInputStream live = new java.io.PipedInputStream(writer);
        Job job = Job.builder(TestPrograms.fraud(2_000, "json"))
                .input("transactions", io.peregrine.runtime.source.Sources.stream("live", () -> live))
                .outputDirectory(tmp.resolve("out"))
                .checkpointing(new CheckpointSettings(tmp.resolve("checkpoints"), Duration.ofHours(1), 3)).build();
        Thread runner = new Thread(job::run);
        runner.start();
        while (!job.isRunning()) {
            Thread.onSpinWait(); // run() has begun; the job may still be opening its sources and state
        }
        CheckpointManifest first = job.checkpoint().get(30, TimeUnit.SECONDS);
        CheckpointManifest second = job.checkpoint().get(30, TimeUnit.SECONDS);
        assertTrue(second.id() > first.id(), first.id() + " then " + second.id());
        assertEquals(second.id(), job.lastCheckpoint());
        job.cancel();
        writer.close();
        runner.join(30_000);
        assertTrue(job.checkpoint().isCompletedExceptionally(), "no checkpoints once the job ended");
    }
}
