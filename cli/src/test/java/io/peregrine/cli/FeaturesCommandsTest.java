package io.peregrine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --features-out} and {@code backfill} on real files, through the command line. */
class FeaturesCommandsTest {

    @TempDir
    Path dir;

    static final String PROGRAM = """
            CREATE STREAM tx (card STRING, amount DOUBLE, country STRING, ts TIMESTAMP(3),
              WATERMARK FOR ts AS ts - INTERVAL '1' SECOND);
            CREATE FEATURES card ON tx KEY card (
              n_10s   = COUNT(*) OVER SLIDING INTERVAL '10' SECOND,
              total   = SUM(amount),
              last2   = LAST_N(country, 2),
              first_t = FIRST(ts)
            );
            """;

    static final String EVENTS = String.join("\n",
            "{\"card\":\"a\",\"amount\":1.0,\"country\":\"US\",\"ts\":\"2024-01-01T00:00:01Z\"}",
            "{\"card\":\"b\",\"amount\":2.5,\"country\":\"FR\",\"ts\":\"2024-01-01T00:00:03Z\"}",
            "{\"card\":\"a\",\"amount\":\"lots\",\"country\":\"US\",\"ts\":\"2024-01-01T00:00:02Z\"}",
            "{\"card\":\"a\",\"amount\":4.0,\"country\":\"CA\",\"ts\":\"2024-01-01T00:00:20Z\"}",
            "{\"card\":\"a\",\"amount\":0.5,\"country\":\"M,X\",\"ts\":\"2024-01-01T00:00:19.5Z\"}",
            "");

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void runWritesEveryKeysFeaturesAsOfTheEndOfInput() throws Exception {
        Path program = write("p.cep", PROGRAM);
        Path input = write("tx.jsonl", EVENTS);
        Path features = dir.resolve("features.jsonl");
        CliRunner.Result r = CliRunner.run("run", program.toString(), "--input", "tx=" + input, "--out",
                dir.resolve("out").toString(), "--features-out", features.toString(), "-p", "2");
        assertEquals(0, r.exitCode(), r.err());
        // as of the latest event time, 00:00:20
        assertEquals(List.of(
                "{\"card\":\"a\",\"n_10s\":2,\"total\":5.5,\"last2\":[\"M,X\",\"CA\"],\"first_t\":\"2024-01-01T00:00:01.000Z\"}",
                "{\"card\":\"b\",\"n_10s\":0,\"total\":2.5,\"last2\":[\"FR\"],\"first_t\":\"2024-01-01T00:00:03.000Z\"}"),
                Files.readAllLines(features));
    }

    @Test
    void backfillAnswersEachSpineRowAsOfItsTime() throws Exception {
        Path program = write("p.cep", PROGRAM);
        Path input = write("tx.jsonl", EVENTS);
        Path spine = write("spine.csv", String.join("\n",
                "label,card,ts",
                "1,a,2024-01-01T00:00:19.999Z",
                "0,b,1704067200000",
                "1,zz,2024-01-01T00:01:00Z",
                "\"x,y\",a,2024-01-01T00:00:05Z",
                ""));
        Path out = dir.resolve("train.csv");
        CliRunner.Result r = CliRunner.run("backfill", program.toString(), "--input", "tx=" + input, "--spine",
                spine.toString(), "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("1 records could not be decoded and were left out"), r.err());
        assertEquals(List.of(
                "label,card,ts,n_10s,total,last2,first_t",
                "1,a,2024-01-01T00:00:19.999Z,1,1.5,\"[\"\"US\"\",\"\"M,X\"\"]\",2024-01-01T00:00:01.000Z",
                "0,b,1704067200000,,,,",
                "1,zz,2024-01-01T00:01:00Z,,,,",
                "\"x,y\",a,2024-01-01T00:00:05Z,1,1.0,\"[\"\"US\"\"]\",2024-01-01T00:00:01.000Z"),
                Files.readAllLines(out));
    }

    @Test
    void validateCountsFeatureSets() throws Exception {
        CliRunner.Result r = CliRunner.run("validate", write("p.cep", PROGRAM).toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("ok: 1 stream, 0 patterns, 1 feature set", r.out().trim());
    }

    @Test
    void backfillExplainsABadSpine() throws Exception {
        Path program = write("p.cep", PROGRAM);
        Path input = write("tx.jsonl", EVENTS);
        Path spine = write("spine.csv", "card,when\na,5\n");
        CliRunner.Result r = CliRunner.run("backfill", program.toString(), "--input", "tx=" + input, "--spine",
                spine.toString(), "--out", dir.resolve("o.csv").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("needs columns card and ts; its header has [card, when]"), r.err());
    }
}
