package io.peregrine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchCommandTest {

    @Test
    void shouldMeasureEachParallelismAndAgreeOnTheRows() {
        CliRunner.Result r = CliRunner.run("bench", "--events", "20000", "-p", "1,2", "--runs", "2",
                "--program", "../examples/fraud.cep");
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("../examples/fraud.cep over "), lines.get(0));
        assertTrue(lines.contains("parallelism      median ev/s       best ev/s"), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("1 +[0-9,]+ +[0-9,]+")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("2 +[0-9,]+ +[0-9,]+")), r.out());
        // the same seed and size as the demo test: every injected card-testing case is one row
        assertTrue(lines.contains("  card_testing             10"), r.out());
    }

    @Test
    void shouldRejectBadArguments() {
        assertEquals(2, CliRunner.run("bench", "--runs", "0").exitCode());
        assertEquals(2, CliRunner.run("bench", "-p", "0", "--events", "10").exitCode());
    }
}
