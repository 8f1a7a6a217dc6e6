package io.peregrine.runtime;

import io.peregrine.runtime.state.KeyGroupRange;
import io.peregrine.runtime.state.KeyGroups;
import io.peregrine.runtime.state.StateBackend;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One worker's share of a job: the pattern operators for the key groups it owns, and their state
 * backend. Single-threaded logic; {@link Job} runs it on its own thread, {@link JobTestDriver}
 * calls it directly.
 */
final class Worker implements AutoCloseable {

    final int index;
    final KeyGroupRange keyGroups;
    private final JobPlan plan;
    private final StateBackend backend;
    private final PatternOperator[] operators;
    private final long[] watermarks;

    /** Published counters per pattern: matches, timeouts, rows, partial matches, keys (5 per pattern). */
    final AtomicLongArray published;

    Worker(int index, KeyGroupRange keyGroups, JobPlan plan, StateBackend backend) {
        this.index = index;
        this.keyGroups = keyGroups;
        this.plan = plan;
        this.backend = backend;
        this.operators = new PatternOperator[plan.patterns.size()];
        for (int p = 0; p < operators.length; p++) {
            operators[p] = new PatternOperator(p, plan.patterns.get(p), index, backend);
        }
        this.watermarks = new long[plan.streams.size()];
        java.util.Arrays.fill(watermarks, Long.MIN_VALUE);
        this.published = new AtomicLongArray(5 * operators.length);
    }

    StateBackend backend() {
        return backend;
    }

    PatternOperator operator(int pattern) {
        return operators[pattern];
    }

    /** Buffers a batch's events in their operators' keys. */
    void process(EventBatch batch) {
        int maxParallelism = plan.maxParallelism;
        int[][] byKeying = plan.patternsByKeying;
        byte[] keys = batch.keyBytes;
        for (int i = 0; i < batch.size; i++) {
            int hash = batch.hashes[i];
            int group = KeyGroups.keyGroup(hash, maxParallelism);
            int start = batch.keyStarts[i];
            int len = batch.keyStarts[i + 1] - start;
            int[] patterns = byKeying[batch.keyings[i]];
            for (int p : patterns) {
                operators[p].add(group, hash, keys, start, len, batch.rows[i], batch.timestamps[i]);
            }
        }
    }

    /** Advances each stream's operators to its watermark in {@code streamWatermarks}; returns what they emitted. */
    EpochOutput advance(long epoch, long[] streamWatermarks, boolean end) {
        EpochOutput out = new EpochOutput(epoch, operators.length, end);
        for (int s = 0; s < watermarks.length; s++) {
            long wm = streamWatermarks[s];
            if (wm > watermarks[s]) {
                watermarks[s] = wm;
                for (int p : plan.patternsByStream[s]) {
                    operators[p].advance(wm, out);
                }
            }
        }
        publish();
        return out;
    }

    void publish() {
        for (int p = 0; p < operators.length; p++) {
            PatternOperator op = operators[p];
            published.lazySet(5 * p, op.matches);
            published.lazySet(5 * p + 1, op.timeouts);
            published.lazySet(5 * p + 2, op.rows);
            published.lazySet(5 * p + 3, op.partialMatches);
            published.lazySet(5 * p + 4, op.keys());
        }
    }

    @Override
    public void close() {
        backend.close();
    }
}
