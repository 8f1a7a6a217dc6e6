package io.peregrine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.peregrine.dsl.Program;
import io.peregrine.dsl.Programs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With ALL ROWS PER MATCH a match gives a row per matched row (with the input columns), but a
 * timed-out partial match gives one row of measures: the two outputs have different columns.
 * (Found by the property tests: timeouts were encoded with the match rows' columns.)
 */
class AllRowsTimeoutsTest {

    static final String PROGRAM = """
            CREATE STREAM tx (card STRING, amount DOUBLE, ts TIMESTAMP(3), WATERMARK FOR ts AS ts);
            CREATE PATTERN up AS SELECT * FROM tx MATCH_RECOGNIZE (
              PARTITION BY card ORDER BY ts
              MEASURES CLASSIFIER() AS cls, COUNT(*) AS n
              ALL ROWS PER MATCH
              AFTER MATCH SKIP PAST LAST ROW
              PATTERN (A B) WITHIN INTERVAL '10' SECOND EMIT TIMEOUTS
              DEFINE A AS A.amount < 10, B AS B.amount > 100
            );
            """;

    static final List<String> MATCHES = List.of(
            "{\"card\":\"c1\",\"cls\":\"A\",\"n\":1,\"amount\":5.0,\"ts\":\"1970-01-01T00:00:01.000Z\"}",
            "{\"card\":\"c1\",\"cls\":\"B\",\"n\":2,\"amount\":500.0,\"ts\":\"1970-01-01T00:00:02.000Z\"}");
    static final List<String> TIMEOUTS = List.of("{\"card\":\"c2\",\"cls\":\"A\",\"n\":1}");

    @Test
    void timeoutRowsHaveTheMeasuresOnly() throws Exception {
        Program program = Programs.compile("t.pg", PROGRAM);
        try (JobTestDriver driver = JobTestDriver.create(program)) {
            driver.pipe("tx", "c1", 5.0, 1_000L);
            driver.pipe("tx", "c1", 500.0, 2_000L);
            driver.pipe("tx", "c2", 3.0, 3_000L);
            driver.finish();
            assertEquals(MATCHES, driver.outputLines("up"));
            assertEquals(TIMEOUTS, driver.timeoutLines("up"));
        }
    }

    @Test
    void theJobWritesTheSameFiles(@TempDir Path dir) throws Exception {
        Program program = Programs.compile("t.pg", PROGRAM);
        Path in = dir.resolve("tx.jsonl");
        Files.write(in, List.of("{\"card\":\"c1\",\"amount\":5,\"ts\":1000}", "{\"card\":\"c1\",\"amount\":500,\"ts\":2000}",
                "{\"card\":\"c2\",\"amount\":3,\"ts\":3000}"));
        Job.builder(program).input("tx", io.peregrine.runtime.source.Sources.file(in)).outputDirectory(dir.resolve("out"))
                .parallelism(1).build().run();
        assertEquals(MATCHES, Files.readAllLines(dir.resolve("out/up.jsonl")));
        assertEquals(TIMEOUTS, Files.readAllLines(dir.resolve("out/up.timeouts.jsonl")));
    }
}
