package io.peregrine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.dsl.Program;
import io.peregrine.dsl.schema.Row;
import io.peregrine.runtime.sink.InMemorySink;
import io.peregrine.runtime.sink.Sink;
import io.peregrine.runtime.source.RecordBatch;
import io.peregrine.runtime.source.RecordReader;
import io.peregrine.runtime.source.Sources;
import io.peregrine.runtime.source.TransactionGenerator;
import io.peregrine.runtime.state.HeapStateBackend;
import io.peregrine.runtime.state.KeyGroups;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Worker state survives a snapshot and a restore, also into another number of workers: what
 * checkpoints will build on. The ingest runs on, the workers are replaced at an epoch boundary.
 */
class WorkerSnapshotTest {

    private static final int MAX_PARALLELISM = 16;

    /**
     * An ingest feeding a set of workers directly, merging their outputs as the job does. The ingest
     * routes by key group (one "worker" per key group) and the harness maps groups to the current
     * workers, so the workers can be replaced by more or fewer.
     */
    private static final class Harness implements Ingest.Output {
        final JobPlan plan;
        List<Worker> workers = new ArrayList<>();
        final List<InMemorySink<Row>> sinks = new ArrayList<>();
        final OutputStage output;
        final Ingest ingest;
        final EventBatch[] batches = new EventBatch[MAX_PARALLELISM];
        int markers;

        Harness(Program program, int parallelism) {
            plan = new JobPlan(program, MAX_PARALLELISM);
            List<Sink<Row>> s = new ArrayList<>();
            for (int o = 0; o < 2 * plan.patterns.size(); o++) {
                InMemorySink<Row> sink = new InMemorySink<>();
                sinks.add(sink);
                s.add(sink);
            }
            output = new OutputStage(s, () -> 0L);
            workers = newWorkers(parallelism);
            ingest = new Ingest(plan, MAX_PARALLELISM, this, new InMemorySink<>(), new InMemorySink<>());
        }

        List<Worker> newWorkers(int parallelism) {
            List<Worker> ws = new ArrayList<>();
            for (int w = 0; w < parallelism; w++) {
                ws.add(new Worker(w, KeyGroups.range(w, MAX_PARALLELISM, parallelism), plan,
                        new HeapStateBackend(KeyGroups.range(w, MAX_PARALLELISM, parallelism))));
            }
            return ws;
        }

        @Override
        public EventBatch batch(int keyGroup) {
            if (batches[keyGroup] == null) {
                batches[keyGroup] = new EventBatch();
            }
            return batches[keyGroup];
        }

        @Override
        public void deliver(int keyGroup, EventBatch b) {
            workers.get(KeyGroups.worker(keyGroup, MAX_PARALLELISM, workers.size())).process(b);
            if (b.epoch >= 0 && ++markers == MAX_PARALLELISM) {
                markers = 0;
                List<EpochOutput> outs = new ArrayList<>();
                for (Worker w : workers) {
                    outs.add(w.advance(b.epoch, b.watermarks, b.end));
                }
                output.write(outs.toArray(new EpochOutput[0]));
            }
            b.clear();
        }
    }

    private static List<List<Row>> run(Program program, int before, int after, int snapshotAt) throws IOException {
        Harness h = new Harness(program, before);
        Ingest.Input in = h.ingest.addInput(0, Sources.generator(TransactionGenerator.Config.of(5, 40_000)
                .withCards(300).withEventsPerSecond(20)));
        h.ingest.start(0, 0);
        h.ingest.open(null);
        int read = 0;
        boolean swapped = false;
        while (true) {
            int n = h.ingest.readChunk(in, 1000, 0);
            if (n == RecordReader.END) {
                break;
            }
            read += n;
            h.ingest.maybeEpoch();
            if (!swapped && read >= snapshotAt) {
                // at an epoch boundary: every event sent was delivered with the last marker
                h.ingest.flushPartial();
                List<byte[]> snapshots = new ArrayList<>();
                long[] watermarks = h.workers.get(0).watermarks();
                for (Worker w : h.workers) {
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    w.snapshot(new DataOutputStream(bytes));
                    snapshots.add(bytes.toByteArray());
                    w.close();
                }
                h.workers = h.newWorkers(after);
                for (Worker w : h.workers) {
                    w.restore(snapshots, watermarks);
                }
                swapped = true;
            }
        }
        h.ingest.finish();
        List<List<Row>> out = new ArrayList<>();
        h.sinks.forEach(s -> out.add(s.records()));
        return out;
    }

    @Test
    void shouldContinueAfterRestoreAsIfNothingHappened() throws IOException {
        Program program = TestPrograms.fraud(2_000, "json");
        List<List<Row>> straight = run(program, 2, 2, Integer.MAX_VALUE);
        assertTrue(straight.get(0).size() > 50, "the workload matches");
        assertEquals(straight, run(program, 2, 2, 17_000), "restored at the same parallelism");
        assertEquals(straight, run(program, 2, 3, 23_000), "restored into three workers");
        assertEquals(straight, run(program, 3, 1, 9_000), "restored into one worker");
    }
}
