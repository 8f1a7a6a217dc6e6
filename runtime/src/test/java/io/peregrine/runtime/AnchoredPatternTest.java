package io.peregrine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.peregrine.dsl.Program;
import io.peregrine.dsl.Programs;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ^} survives the runtime dropping and reusing idle key records: a key whose first row did
 * not start a match must not have a later row taken for its first, and a new key's first row is its
 * first even when it reuses another key's record.
 */
class AnchoredPatternTest {

    @Test
    void onlyThePartitionsFirstRowCanStartAnAnchoredMatch() throws Exception {
        Program program = Programs.compile("""
                CREATE STREAM tx (card STRING, amount DOUBLE, ts TIMESTAMP(3), WATERMARK FOR ts AS ts);
                CREATE PATTERN first_small AS SELECT * FROM tx MATCH_RECOGNIZE (
                  PARTITION BY card ORDER BY ts
                  MEASURES A.amount AS a, B.amount AS b
                  PATTERN (^ A B) DEFINE A AS A.amount < 1
                );
                """);
        try (JobTestDriver driver = JobTestDriver.create(program)) {
            driver.pipe("tx", "late-starter", 5.0, 1_000L);
            driver.pipe("tx", "small-first", 0.5, 1_000L);
            driver.advanceWatermark(2_500L);
            // both keys are idle now; the first one's next rows must not count as its first
            driver.pipe("tx", "small-first", 7.0, 3_000L);
            driver.pipe("tx", "newcomer", 0.2, 3_000L);      // a new key, whose first row this is
            driver.pipe("tx", "late-starter", 0.5, 3_000L);
            driver.pipe("tx", "late-starter", 0.6, 4_000L);
            driver.pipe("tx", "newcomer", 0.3, 4_000L);
            driver.finish();
            assertEquals(List.of("{\"card\":\"small-first\",\"a\":0.5,\"b\":7.0}",
                    "{\"card\":\"newcomer\",\"a\":0.2,\"b\":0.3}"), driver.outputLines("first_small"));
        }
    }
}
