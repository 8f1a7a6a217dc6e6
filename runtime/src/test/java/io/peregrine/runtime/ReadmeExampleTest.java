package io.peregrine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.peregrine.dsl.Program;
import io.peregrine.dsl.Programs;
import io.peregrine.runtime.source.Sources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples of runtime/README.md, as written there. */
class ReadmeExampleTest {

    static final String PROGRAM = """
            CREATE STREAM transactions (
              card_id STRING, amount DOUBLE, ts TIMESTAMP(3),
              WATERMARK FOR ts AS ts - INTERVAL '2' SECOND
            ) WITH (format = 'json');

            CREATE PATTERN card_testing AS
            SELECT * FROM transactions
            MATCH_RECOGNIZE (
              PARTITION BY card_id
              ORDER BY ts
              MEASURES FIRST(S.ts) AS first_small, B.amount AS big_amount, COUNT(S.*) AS smalls
              AFTER MATCH SKIP PAST LAST ROW
              PATTERN (S{3,} B) WITHIN INTERVAL '10' MINUTE
              DEFINE S AS S.amount < 1.00, B AS B.amount > 500
            );
            """;

    static final List<String> INPUT = List.of(
            "{\"card_id\":\"c1\",\"amount\":0.5,\"ts\":\"2026-01-01T00:00:00Z\"}",
            "{\"card_id\":\"c1\",\"amount\":0.7,\"ts\":\"2026-01-01T00:01:00Z\"}",
            "{\"card_id\":\"c2\",\"amount\":\"a lot\",\"ts\":\"2026-01-01T00:01:30Z\"}",
            "{\"card_id\":\"c1\",\"amount\":0.2,\"ts\":\"2026-01-01T00:02:00Z\"}",
            "{\"card_id\":\"c1\",\"amount\":900,\"ts\":\"2026-01-01T00:03:00Z\"}");

    static final String ALERT = "{\"card_id\":\"c1\",\"first_small\":\"2026-01-01T00:00:00.000Z\","
            + "\"big_amount\":900.0,\"smalls\":3}";

    @TempDir
    Path tmp;

    @Test
    void shouldRunTheJobExample() throws Exception {
        Path file = tmp.resolve("transactions.jsonl");
        Files.write(file, INPUT);
        Path out = tmp.resolve("out");

        Program program = Programs.compile("fraud.pg", PROGRAM);
        JobSummary summary = Job.builder(program)
                .input("transactions", Sources.file(file))
                .outputDirectory(out)          // out/card_testing.jsonl, out/late.jsonl, out/dead-letter.jsonl
                .parallelism(2)
                .metricsPort(0)                // Prometheus on 127.0.0.1, any free port
                .build()
                .run();
        System.out.print(summary.format());

        assertEquals(List.of(ALERT), Files.readAllLines(out.resolve("card_testing.jsonl")));
        assertEquals(1, summary.deadLetters());
        assertEquals(1, Files.readAllLines(out.resolve("dead-letter.jsonl")).size());
    }

    @Test
    void shouldRunTheTestDriverExample() throws Exception {
        Program program = Programs.compile("fraud.pg", PROGRAM);
        try (JobTestDriver driver = JobTestDriver.create(program)) {
            driver.pipeLines("transactions", INPUT.toArray(new String[0]));
            driver.finish();
            assertEquals(List.of(ALERT), driver.outputLines("card_testing"));
            assertEquals("field 'amount': expected DOUBLE, got a string", driver.deadLetters().get(0).reason());
        }
    }
}
