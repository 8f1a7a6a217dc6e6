package io.peregrine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    @TempDir
    Path dir;

    @Test
    void shouldGenerateRunAndScoreEndToEnd() {
        CliRunner.Result r = CliRunner.run("demo", "--dir", dir.toString(), "--events", "20000", "--program", "../examples/fraud.cep");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.exists(dir.resolve("transactions.jsonl")));
        assertTrue(Files.exists(dir.resolve("out").resolve("card_testing.jsonl")));
        // every injected case of every kind is caught at this size (10 per kind, seed 42)
        for (String kind : new String[] {"card_testing", "impossible_travel", "account_takeover", "velocity_spike", "structuring"}) {
            String line = r.out().lines().filter(l -> l.startsWith(kind + " ")).findFirst().orElseThrow();
            String[] f = line.trim().split("\\s+");
            assertEquals("10", f[4], line);
            assertEquals("10", f[5], line);
            assertEquals("0", f[6], line);
            assertEquals(Long.parseLong(f[1]), Long.parseLong(f[2]) + Long.parseLong(f[3]), line);
        }
        assertFalse(r.out().contains("note:"), "the replay agrees with the run:\n" + r.out());
    }

    @Test
    void shouldPrintCompletionScripts() {
        CliRunner.Result bash = CliRunner.run("completion", "bash");
        assertEquals(0, bash.exitCode());
        assertTrue(bash.out().contains("complete -F _complete_peregrine"), bash.out().substring(0, 200));
        assertTrue(bash.out().contains("explain"));
        assertEquals(2, CliRunner.run("completion", "fish").exitCode());
    }
}
