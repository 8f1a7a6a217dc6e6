package io.peregrine.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.runtime.source.TransactionGenerator;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The end-to-end benchmark on a small dense file: Peregrine's Job and FlinkCEP find the same rows per pattern. */
class E2eBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void shouldFindTheSameRowsPerPatternWithPeregrineAndFlinkCep() throws Exception {
        E2eBenchmark.Options o = new E2eBenchmark.Options();
        o.events = 20_000;
        o.cards = 2_000; // dense: every pattern matches often in 20k events
        o.rate = 2.0;
        o.warmupEvents = 0;
        o.file = dir.resolve("transactions.jsonl");
        o.tmp = Files.createDirectories(Path.of("target", "tmp")).toAbsolutePath();

        E2eBenchmark.Report r = E2eBenchmark.run(o, new PrintStream(OutputStream.nullOutputStream()));

        assertTrue(r.agree(), () -> "problems: " + r.problems());
        assertEquals(List.of("small_then_large", "card_testing", "geo_velocity"), r.patterns());
        E2eBenchmark.Series peregrine = r.find("Peregrine", 1);
        for (E2eBenchmark.Series s : List.of(peregrine, r.find("Peregrine", 2), r.find("FlinkCEP", 1), r.find("FlinkCEP", 2))) {
            assertNotNull(s);
            assertEquals(peregrine.rows, s.rows, s.name + " p=" + s.parallelism);
        }
        for (String p : r.patterns()) {
            assertTrue(peregrine.rows.get(p) > 0, "the workload should produce rows for " + p);
        }
    }

    @Test
    void shouldReuseTheFileOnlyWhileItsParametersMatch() throws Exception {
        Path file = dir.resolve("t.jsonl");
        TransactionGenerator.Config c = TransactionGenerator.Config.of(7, 1_000).withCards(100);
        assertTrue(TransactionsFile.ensure(file, c));
        assertEquals(1_000, Files.readAllLines(file).size());
        assertFalse(TransactionsFile.ensure(file, c));
        assertTrue(TransactionsFile.ensure(file, TransactionGenerator.Config.of(8, 1_000).withCards(100)));
        assertEquals(1_000, Files.readAllLines(file).size());
    }
}
