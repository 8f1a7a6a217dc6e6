package io.peregrine.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.cep.Nfa;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** FlinkCEP and the cep-core runtime find the same number of matches on a small dense workload. */
class EnginesAgreeTest {

    static final Txn[] EVENTS = TxnGenerator.generate(11, 40_000, 2_000, 2.0);

    static long peregrine(FraudPatterns p, boolean dropIdle, PeregrineRunner.Timers timers) {
        PeregrineRunner r = new PeregrineRunner(Nfa.compile(p.peregrine()), FraudBenchmark.BOUND_MS, 2_000, dropIdle, timers);
        for (Txn t : EVENTS) {
            r.onEvent(t);
        }
        r.finish();
        assertEquals(EVENTS.length, r.processed());
        assertEquals(0, r.timers());
        assertEquals(0, r.partialMatches());
        return r.matches();
    }

    @ParameterizedTest
    @EnumSource(FraudPatterns.class)
    void sameMatchCounts(FraudPatterns p) throws Exception {
        Path tmp = Files.createDirectories(Path.of("target", "tmp"));
        long flink = FlinkRunner.run(p, EVENTS, FraudBenchmark.BOUND_MS, tmp.toAbsolutePath().toString()).matches();
        assertTrue(flink > 0, "the workload should produce matches for " + p.label());
        for (PeregrineRunner.Timers timers : PeregrineRunner.Timers.values()) {
            assertEquals(flink, peregrine(p, true, timers), p.label() + ": FlinkCEP vs cep-core, " + timers);
            assertEquals(flink, peregrine(p, false, timers), p.label() + ": FlinkCEP vs cep-core keeping idle keys, " + timers);
        }
    }
}
