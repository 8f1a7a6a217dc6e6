package io.peregrine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.dsl.Program;
import io.peregrine.dsl.Programs;
import io.peregrine.dsl.schema.Row;
import io.peregrine.feature.FeatureRequest;
import io.peregrine.feature.FeatureResponse;
import io.peregrine.runtime.state.HeapStateBackend;
import io.peregrine.runtime.state.KeyGroupRange;
import io.peregrine.runtime.state.KeyGroups;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Feature state is in the workers' state backends: a snapshot restored into two workers reads and continues alike. */
class FeatureSnapshotTest {

    private static final int MAX_PARALLELISM = 16;

    private static void feed(JobPlan plan, List<Worker> workers, List<Row> rows, long watermark) {
        int keying = plan.featureKeyingBase;
        KeyEncoder encoder = plan.keyEncoder(keying);
        List<EventBatch> batches = new ArrayList<>();
        for (int w = 0; w < workers.size(); w++) {
            batches.add(new EventBatch());
        }
        for (Row row : rows) {
            int len = encoder.encode(row);
            int hash = KeyGroups.hash(encoder.buffer(), 0, len);
            int w = KeyGroups.worker(KeyGroups.keyGroup(hash, MAX_PARALLELISM), MAX_PARALLELISM, workers.size());
            EventBatch b = batches.get(w);
            b.add(keying, hash, encoder.buffer(), len, row, row.getLong(3));
            if (b.isFull()) {
                workers.get(w).process(b);
                b.clear();
            }
        }
        for (int w = 0; w < workers.size(); w++) {
            workers.get(w).process(batches.get(w));
            workers.get(w).advance(1, new long[] {watermark}, false);
        }
    }

    private static List<Row> rows(Program program, Random random, long from, int n) {
        var schema = program.stream("transactions").orElseThrow().schema();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(Row.of(schema, "c" + random.nextInt(40), random.nextInt(1000) / 10.0, "C" + random.nextInt(5),
                    from + i * 100L - random.nextInt(1_000)));
        }
        return rows;
    }

    @Test
    void shouldRestoreFeatureStateIntoOtherWorkersAndContinue() throws Exception {
        Program program = Programs.compile("f.cep", JobFeaturesTest.STREAM + """
                CREATE FEATURES card ON transactions KEY card_id (
                  n_1m = COUNT(*) OVER SLIDING INTERVAL '1' MINUTE, avg_10m = AVG(amount) OVER SLIDING INTERVAL '10' MINUTE,
                  p90 = APPROX_PERCENTILE(amount, 0.9) OVER HOPPING INTERVAL '10' MINUTE EVERY INTERVAL '1' MINUTE,
                  seen = APPROX_COUNT_DISTINCT(country), last3 = LAST_N(country, 3), total = SUM(amount));""");
        JobPlan plan = new JobPlan(program, MAX_PARALLELISM);
        KeyGroupRange all = KeyGroupRange.all(MAX_PARALLELISM);
        List<Worker> one = List.of(new Worker(0, all, plan, new HeapStateBackend(all)));
        Random random = new Random(5);
        feed(plan, one, rows(program, random, 1_000_000, 3000), 1_000_000 + 3000 * 100 - 2000);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        one.get(0).snapshot(new DataOutputStream(bytes));
        List<Worker> two = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            KeyGroupRange range = KeyGroups.range(w, MAX_PARALLELISM, 2);
            Worker worker = new Worker(w, range, plan, new HeapStateBackend(range));
            worker.restore(List.of(bytes.toByteArray()), new long[] {1_000_000 + 3000 * 100 - 2000});
            two.add(worker);
        }
        JobFeatureView before = new JobFeatureView(plan);
        before.attach(one);
        JobFeatureView after = new JobFeatureView(plan);
        after.attach(two);
        List<String> keys = before.keys("card");
        assertEquals(40, keys.size());
        assertEquals(keys, after.keys("card"));
        long t = 1_000_000 + 3000 * 100;
        FeatureRequest read = new FeatureRequest("card", keys, List.of(), OptionalLong.of(t));
        assertEquals(before.get(read), after.get(read));

        List<Row> more = rows(program, random, t, 2000);
        feed(plan, one, more, t + 2000 * 100 - 2000);
        feed(plan, two, more, t + 2000 * 100 - 2000);
        FeatureRequest later = new FeatureRequest("card", keys, List.of(), OptionalLong.of(t + 2000 * 100));
        FeatureResponse expected = before.get(later);
        assertEquals(expected, after.get(later));
        assertTrue(expected.rows().stream().allMatch(r -> r.found()));
    }
}
