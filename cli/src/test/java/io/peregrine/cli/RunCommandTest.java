package io.peregrine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code peregrine run} on real files, through the command line. */
class RunCommandTest {

    @TempDir
    Path dir;

    static final String PROGRAM = """
            CREATE STREAM tx (card STRING, amount DOUBLE, ts TIMESTAMP(3),
              WATERMARK FOR ts AS ts - INTERVAL '1' SECOND);
            CREATE PATTERN small_large AS SELECT * FROM tx MATCH_RECOGNIZE (
              PARTITION BY card ORDER BY ts
              MEASURES S.amount AS small, L.amount AS large, L.ts AS at
              AFTER MATCH SKIP PAST LAST ROW
              PATTERN (S -> L) WITHIN INTERVAL '1' MINUTE
              DEFINE S AS S.amount < 1, L AS L.amount > 500
            );
            """;

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void runsAProgramOverFilesAndWritesJsonLines() throws Exception {
        Path program = write("p.cep", PROGRAM);
        Path input = write("tx.jsonl", String.join("\n",
                "{\"card\":\"a\",\"amount\":0.5,\"ts\":\"2024-01-01T00:00:01Z\"}",
                "{\"card\":\"b\",\"amount\":0.2,\"ts\":1704067202000}",
                "{\"card\":\"a\",\"amount\":\"lots\",\"ts\":\"2024-01-01T00:00:02Z\"}",
                "{\"card\":\"a\",\"amount\":900,\"ts\":\"2024-01-01T00:00:05Z\"}",
                "{\"card\":\"b\",\"amount\":800,\"ts\":\"2024-01-01T00:00:07Z\"}",
                "{\"card\":\"a\",\"amount\":0.1,\"ts\":\"2024-01-01T00:00:01Z\"}",
                "") );
        Path out = dir.resolve("out");
        CliRunner.Result r = CliRunner.run("run", program.toString(), "--input", "tx=" + input, "--out", out.toString(), "-p", "2");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(List.of(
                "{\"card\":\"a\",\"small\":0.5,\"large\":900.0,\"at\":\"2024-01-01T00:00:05.000Z\"}",
                "{\"card\":\"b\",\"small\":0.2,\"large\":800.0,\"at\":\"2024-01-01T00:00:07.000Z\"}"),
                Files.readAllLines(out.resolve("small_large.jsonl")));
        List<String> dead = Files.readAllLines(out.resolve("dead-letter.jsonl"));
        assertEquals(1, dead.size());
        assertTrue(dead.get(0).contains("amount") && dead.get(0).contains("lots"), dead.get(0));
        List<String> late = Files.readAllLines(out.resolve("late.jsonl"));
        assertEquals(1, late.size(), late.toString());
        assertTrue(r.out().contains("6 events"), r.out());
        assertTrue(r.out().contains("late 1, dead letters 1"), r.out());
    }

    @Test
    void userErrorsAreOneLineWithTheRightExitCode() throws Exception {
        Path program = write("p.cep", PROGRAM);
        Path out = dir.resolve("out");
        CliRunner.Result missing = CliRunner.run("run", program.toString(), "--input", "tx=" + dir.resolve("nope.jsonl"), "--out", out.toString());
        assertEquals(2, missing.exitCode());
        assertEquals("peregrine: no such file or directory: " + dir.resolve("nope.jsonl") + "\n", missing.err());

        Path input = write("tx.jsonl", "");
        CliRunner.Result unknown = CliRunner.run("run", program.toString(), "--input", "txs=" + input, "--out", out.toString());
        assertEquals(2, unknown.exitCode());
        assertEquals("peregrine: unknown stream 'txs' in --input; " + program + " declares tx\n", unknown.err());

        CliRunner.Result noInput = CliRunner.run("run", program.toString(), "--out", out.toString());
        assertEquals(2, noInput.exitCode());

        Path bad = write("bad.cep", PROGRAM.replace("S.amount < 1", "S.amout < 1"));
        CliRunner.Result invalid = CliRunner.run("run", bad.toString(), "--input", "tx=" + input, "--out", out.toString());
        assertEquals(3, invalid.exitCode());
        assertTrue(invalid.err().contains("unknown column 'amout'"), invalid.err());

        Path file = write("plain-file", "x");
        CliRunner.Result unwritable = CliRunner.run("run", program.toString(), "--input", "tx=" + input, "--out", file.resolve("sub").toString());
        assertEquals(2, unwritable.exitCode());
        assertTrue(unwritable.err().startsWith("peregrine: cannot create output directory"), unwritable.err());
        assertEquals(1, unwritable.err().lines().count(), unwritable.err());
    }

    @Test
    void generateIsSeeded() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        assertEquals(0, CliRunner.run("generate", "--events", "500", "--seed", "7", "--cases", "2", "--out", a.toString()).exitCode());
        assertEquals(0, CliRunner.run("generate", "--events", "500", "--seed", "7", "--cases", "2", "--out", b.toString()).exitCode());
        long background = 0;
        for (String f : new String[] {"transactions.jsonl", "account_events.jsonl"}) {
            assertEquals(Files.readString(a.resolve(f)), Files.readString(b.resolve(f)));
            background += Files.readAllLines(a.resolve(f)).stream().filter(l -> l.contains("\"fraud_case\":\"\"")).count();
        }
        assertEquals(500, background);
        assertEquals(2, CliRunner.run("generate", "--out", dir.resolve("x.jsonl").toString()).exitCode());
    }

    @Test
    void checkpointsOnRocksDbAndResumesWithTheSameOutputs() throws Exception {
        Path program = write("p.cep", PROGRAM);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 3_000; i++) {
            lines.append("{\"card\":\"c").append(i % 50).append("\",\"amount\":").append(i % 7 == 0 ? 0.5 : 900)
                    .append(",\"ts\":").append(1_704_067_200_000L + i * 1_000L).append("}\n");
        }
        Path input = write("tx.jsonl", lines.toString());
        Path plain = dir.resolve("plain");
        assertEquals(0, CliRunner.run("run", program.toString(), "-i", "tx=" + input, "-o", plain.toString()).exitCode());
        Path out = dir.resolve("out");
        Path checkpoints = dir.resolve("checkpoints");
        CliRunner.Result r = CliRunner.run("run", program.toString(), "-i", "tx=" + input, "-o", out.toString(),
                "--state", "rocksdb", "--state-dir", dir.resolve("state").toString(),
                "--checkpoint-dir", checkpoints.toString(), "--checkpoint-interval", "50ms", "--checkpoints-retained", "2");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(Files.readString(plain.resolve("small_large.jsonl")), Files.readString(out.resolve("small_large.jsonl")));
        assertTrue(Files.readString(out.resolve("small_large.jsonl")).length() > 100);
        // run again: it resumes from the final checkpoint, reads nothing new and publishes nothing twice
        CliRunner.Result again = CliRunner.run("run", program.toString(), "-i", "tx=" + input, "-o", out.toString(),
                "--checkpoint-dir", checkpoints.toString());
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(Files.readString(plain.resolve("small_large.jsonl")), Files.readString(out.resolve("small_large.jsonl")));

        CliRunner.Result bad = CliRunner.run("run", program.toString(), "-i", "tx=" + input, "-o", out.toString(),
                "--checkpoint-dir", checkpoints.toString(), "--checkpoint-interval", "5 minutes");
        assertEquals(2, bad.exitCode());
        assertEquals("peregrine: --checkpoint-interval: bad duration '5 minutes': unknown unit ' minutes' (ms, s, m, h)\n",
                bad.err());
        CliRunner.Result state = CliRunner.run("run", program.toString(), "-i", "tx=" + input, "-o", out.toString(),
                "--state", "disk");
        assertEquals(2, state.exitCode());
        assertEquals("peregrine: --state must be heap or rocksdb, not 'disk'\n", state.err());
        CliRunner.Result savepoint = CliRunner.run("run", program.toString(), "-i", "tx=" + input, "-o", out.toString(),
                "--from-savepoint", dir.resolve("nothing").toString());
        assertEquals(2, savepoint.exitCode());
        assertEquals("peregrine: no savepoint in " + dir.resolve("nothing") + " (it has no MANIFEST)\n", savepoint.err());
    }
}
