package io.peregrine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.dsl.Program;
import io.peregrine.dsl.Programs;
import io.peregrine.feature.FeatureRequest;
import io.peregrine.feature.KeyFeatures;
import io.peregrine.runtime.source.Sources;
import io.peregrine.runtime.state.RocksDbStateBackend;
import io.peregrine.runtime.state.StateBackendFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Features on RocksDB, whose keyed state hands out copies once a value left its small cache: the
 * features read at the end equal those of the heap backend (regression: the operator once changed
 * copies while readers held the first cell).
 */
class FeaturesOnRocksDbTest {

    static final String PROGRAM = """
            CREATE STREAM transactions (card_id STRING, amount DOUBLE, country STRING, ts TIMESTAMP(3),
              WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH (format = 'json');
            CREATE FEATURES card ON transactions KEY card_id (
              n_1m = COUNT(*) OVER SLIDING INTERVAL '1' MINUTE,
              sum_10m = SUM(amount) OVER SLIDING INTERVAL '10' MINUTE,
              max_5m = MAX(amount) OVER HOPPING INTERVAL '5' MINUTE EVERY INTERVAL '1' MINUTE,
              countries = COUNT(DISTINCT country),
              last_amounts = LAST_N(amount, 3),
              since = TIME_SINCE_LAST());
            """;

    @TempDir
    Path dir;

    @Test
    void rocksDbGivesTheHeapBackendsFeatures() throws Exception {
        Program program = Programs.compile("f.pg", PROGRAM);
        List<String> lines = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(7);
        long t = 1_700_000_000_000L;
        String[] countries = {"US", "CA", "MX", "FR"};
        for (int i = 0; i < 20_000; i++) {
            t += r.nextInt(200);
            lines.add("{\"card_id\":\"c" + r.nextInt(1_500) + "\",\"amount\":" + r.nextInt(10_000) / 100.0
                    + ",\"country\":\"" + countries[r.nextInt(4)] + "\",\"ts\":" + t + "}");
        }
        Path in = Files.write(dir.resolve("in.jsonl"), lines);
        List<KeyFeatures> heap = run(program, in, null, 2);
        // a cache of 16 values per state: nearly every event reads its key's cell back from the store
        StateBackendFactory rocks = (worker, groups) ->
                new RocksDbStateBackend(dir.resolve("rocks"), "w" + worker + "-", groups, 16);
        List<KeyFeatures> rocksdb = run(program, in, rocks, 2);
        assertTrue(heap.size() > 1_000, "keys: " + heap.size());
        assertEquals(heap, rocksdb);
    }

    private List<KeyFeatures> run(Program program, Path in, StateBackendFactory backend, int parallelism) {
        Job.Builder b = Job.builder(program).input("transactions", Sources.file(in)).parallelism(parallelism)
                .outputDirectory(dir.resolve("out-" + (backend == null ? "heap" : "rocks")));
        if (backend != null) {
            b.stateBackend(backend);
        }
        Job job = b.build();
        job.run();
        List<String> keys = job.featureView().keys("card");
        return job.featureView().get(FeatureRequest.latest("card", keys)).rows();
    }
}
