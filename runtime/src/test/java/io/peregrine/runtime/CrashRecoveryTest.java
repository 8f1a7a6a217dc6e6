package io.peregrine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.peregrine.runtime.source.Sources;
import io.peregrine.runtime.source.TransactionGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once across crashes: a job in a child JVM is killed (SIGKILL, or halted at a named point
 * inside a checkpoint or a commit), restarted, killed again, ... until it completes; its published
 * outputs must then equal, byte for byte, those of a run that never crashed, and after every kill
 * each published file must be a prefix of the uninterrupted run's (no row seen twice, none wrong).
 */
class CrashRecoveryTest {

    @TempDir
    static Path shared;
    private static Path input;
    private static Map<String, byte[]> expected;

    @TempDir
    Path tmp;

    @BeforeAll
    static void prepare() throws IOException {
        TransactionGenerator.Config config = TransactionGenerator.Config.of(21, 120_000)
                .withCards(1_500).withEventsPerSecond(40).withFraudRate(0.01);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TransactionGenerator.writeJsonLines(config, out);
        List<String> lines = new ArrayList<>(Arrays.asList(out.toString(StandardCharsets.UTF_8).split("\n")));
        // a few dead letters and late events, so those outputs are covered too
        for (int i = 1; i <= 20; i++) {
            lines.add(i * 5_000, "{\"card_id\": \"x\", \"amount\": oops}");
            lines.add(i * 5_000 + 1, "{\"card_id\":\"c1\",\"amount\":1.5,\"country\":\"NL\",\"ts\":1000}");
        }
        input = shared.resolve("input.jsonl");
        Files.write(input, lines, StandardCharsets.UTF_8);
        Path ref = shared.resolve("reference");
        Job.builder(TestPrograms.fraud(2_000, "json")).input("transactions", Sources.file(input))
                .outputDirectory(ref).parallelism(2).build().run();
        expected = published(ref);
        assertTrue(expected.get("dead-letter.jsonl").length > 0 && expected.get("late.jsonl").length > 0);
        assertTrue(expected.get("small_then_large.jsonl").length > 1_000, "the workload matches");
    }

    /** The files a reader sees: everything but the in-progress files. */
    private static Map<String, byte[]> published(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                String n = p.getFileName().toString();
                if (!n.startsWith(".")) {
                    files.put(n, Files.readAllBytes(p));
                }
            }
        }
        return files;
    }

    private Process start(Path out, Path checkpoints, int parallelism, String backend, String crashAt)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx256m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        if (crashAt != null) {
            cmd.add("-Dperegrine.test.crash=" + crashAt);
        }
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        cmd.add(CrashRecoveryMain.class.getName());
        cmd.add(input.toString());
        cmd.add(out.toString());
        cmd.add(checkpoints.toString());
        cmd.add(Integer.toString(parallelism));
        cmd.add(backend);
        cmd.add(tmp.resolve("state").toString());
        cmd.add("25");
        cmd.add("15"); // ms per chunk of 1,024 records: a whole run takes about 2 s
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("child.log").toFile()).start();
    }

    private String log() {
        try {
            return Files.readString(tmp.resolve("child.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private void checkPrefixes(Path out) throws IOException {
        for (Map.Entry<String, byte[]> e : published(out).entrySet()) {
            byte[] want = expected.get(e.getKey());
            byte[] have = e.getValue();
            if (want == null || have.length > want.length
                    || !Arrays.equals(have, 0, have.length, want, 0, have.length)) {
                fail(e.getKey() + " is not a prefix of the uninterrupted output (" + have.length + " bytes)");
            }
        }
    }

    /**
     * Runs to completion through the given crashes: a number is a kill after that many ms, a name
     * halts the child at that crash point; each restart uses the next parallelism in turn.
     */
    private int run(String backend, int[] parallelisms, Object... crashes) throws Exception {
        Path out = tmp.resolve("out");
        Path checkpoints = tmp.resolve("checkpoints");
        int killed = 0;
        int attempt = 0;
        for (Object crash : crashes) {
            int p = parallelisms[attempt++ % parallelisms.length];
            Process child = start(out, checkpoints, p, backend, crash instanceof String ? (String) crash : null);
            if (crash instanceof Integer) {
                if (!child.waitFor((Integer) crash, TimeUnit.MILLISECONDS)) {
                    child.destroyForcibly();
                    killed++;
                }
            }
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child ends");
            if (crash instanceof String) {
                assertEquals(137, child.exitValue(), () -> "halted at " + crash + ": " + log());
                killed++;
            }
            checkPrefixes(out);
        }
        Process last = start(out, checkpoints, parallelisms[attempt % parallelisms.length], backend, null);
        assertTrue(last.waitFor(60, TimeUnit.SECONDS), "the last run ends");
        assertEquals(0, last.exitValue(), this::log);
        Map<String, byte[]> got = published(out);
        assertEquals(expected.keySet(), got.keySet());
        for (String name : expected.keySet()) {
            assertEquals(new String(expected.get(name), StandardCharsets.UTF_8),
                    new String(got.get(name), StandardCharsets.UTF_8), name);
        }
        return killed;
    }

    @Test
    void shouldPublishExactlyTheUninterruptedOutputOnHeapStateAfterKills() throws Exception {
        SplittableRandom rnd = new SplittableRandom(System.nanoTime());
        Object[] crashes = {
            "checkpoint-write:3", "manifest-written:2", "sink-commit:4", "sink-commit-partial:5",
            300 + rnd.nextInt(300), 300 + rnd.nextInt(300), 300 + rnd.nextInt(300), 300 + rnd.nextInt(300),
            "checkpoint-write:1",
        };
        int killed = run("heap", new int[] {2, 2, 1, 3}, crashes);
        assertTrue(killed >= 7, "killed " + killed);
    }

    @Test
    void shouldPublishExactlyTheUninterruptedOutputOnRocksDbAtOtherParallelisms() throws Exception {
        SplittableRandom rnd = new SplittableRandom(System.nanoTime());
        Object[] crashes = {"checkpoint-write:2", 300 + rnd.nextInt(300), "sink-commit:3", 300 + rnd.nextInt(300)};
        int killed = run("rocksdb", new int[] {1, 3, 2}, crashes);
        assertTrue(killed >= 3, "killed " + killed);
    }
}
