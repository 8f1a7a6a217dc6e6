package io.peregrine.runtime;

import io.peregrine.runtime.state.KeyGroupRange;
import io.peregrine.runtime.state.KeyGroups;
import io.peregrine.runtime.state.StateBackend;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One worker's share of a job: a pattern operator per partitioning ("keying") of each stream, for
 * the key groups it owns, and their state backend. Single-threaded logic; {@link Job} runs it on its
 * own thread, {@link JobTestDriver} calls it directly.
 */
final class Worker implements AutoCloseable {

    final int index;
    final KeyGroupRange keyGroups;
    private final JobPlan plan;
    private final StateBackend backend;
    private final PatternOperator[] operators;
    /** One per feature set, keyed by keying {@code plan.featureKeyingBase + f}. */
    final FeatureOperator[] features;
    private final long[] watermarks;

    /** Published counters per pattern: matches, timeouts, (unused), partial matches, keys (5 per pattern). */
    final AtomicLongArray published;

    Worker(int index, KeyGroupRange keyGroups, JobPlan plan, StateBackend backend) {
        this.index = index;
        this.keyGroups = keyGroups;
        this.plan = plan;
        this.backend = backend;
        this.operators = new PatternOperator[plan.patternsByKeying.length];
        for (int k = 0; k < operators.length; k++) {
            operators[k] = new PatternOperator(plan.keyingName(k), plan.patternsByKeying[k], plan.patterns, index,
                    backend);
        }
        this.features = new FeatureOperator[plan.featureSets.size()];
        for (int f = 0; f < features.length; f++) {
            features[f] = new FeatureOperator(plan.featureSets.get(f), plan.keyColumnOfFeatureSet[f], plan.maxParallelism,
                    keyGroups, backend);
            int p = plan.patternOfFeatureSet[f];
            if (p >= 0) {
                operatorOf(p).feedFeatures(plan.localIndexOfPattern[p], features[f]);
            }
        }
        this.watermarks = new long[plan.streams.size()];
        java.util.Arrays.fill(watermarks, Long.MIN_VALUE);
        this.published = new AtomicLongArray(5 * plan.patterns.size());
    }

    StateBackend backend() {
        return backend;
    }

    /** The operator that hosts a pattern. */
    PatternOperator operatorOf(int pattern) {
        return operators[plan.keyingOfPattern[pattern]];
    }

    /** Buffers a batch's events in their operators' keys. */
    void process(EventBatch batch) {
        int maxParallelism = plan.maxParallelism;
        byte[] keys = batch.keyBytes;
        PatternOperator[] ops = operators;
        int patternKeyings = ops.length;
        for (int i = 0; i < batch.size; i++) {
            int hash = batch.hashes[i];
            int start = batch.keyStarts[i];
            int keying = batch.keyings[i];
            if (keying < patternKeyings) {
                ops[keying].add(KeyGroups.keyGroup(hash, maxParallelism), hash, keys, start,
                        batch.keyStarts[i + 1] - start, batch.rows[i], batch.timestamps[i]);
            } else {
                features[keying - patternKeyings].add(KeyGroups.keyGroup(hash, maxParallelism), hash, keys, start,
                        batch.keyStarts[i + 1] - start, batch.rows[i], batch.timestamps[i]);
            }
        }
    }

    /** Advances each stream's operators to its watermark in {@code streamWatermarks}; returns what they emitted. */
    EpochOutput advance(long epoch, long[] streamWatermarks, boolean end) {
        EpochOutput out = new EpochOutput(epoch, plan.patterns.size(), end);
        for (int s = 0; s < watermarks.length; s++) {
            long wm = streamWatermarks[s];
            if (wm > watermarks[s]) {
                watermarks[s] = wm;
                for (int k : plan.keyingsByStream[s]) {
                    if (k < operators.length) {
                        operators[k].advance(wm, out);
                    } else {
                        features[k - operators.length].advance(wm);
                    }
                }
                // sets over patterns' rows, after the patterns emitted up to this watermark
                for (int f = 0; f < features.length; f++) {
                    if (plan.patternOfFeatureSet[f] >= 0 && plan.streamOfFeatureSet[f] == s) {
                        features[f].advance(wm);
                    }
                }
            }
        }
        backend.flush();
        publish();
        return out;
    }

    void publish() {
        for (PatternOperator op : operators) {
            long keys = op.keys();
            for (int i = 0; i < op.patterns.length; i++) {
                int at = 5 * op.patterns[i];
                published.lazySet(at, op.matches[i]);
                published.lazySet(at + 1, op.timeoutCount[i]);
                published.lazySet(at + 3, op.partialMatches[i]);
                published.lazySet(at + 4, keys);
            }
        }
    }

    /** The streams' watermarks this worker has advanced to. */
    long[] watermarks() {
        return watermarks.clone();
    }

    /**
     * Writes this worker's state (between epochs: every event it was sent is in its keys' state).
     * With the stream watermarks of the epoch, it is what a checkpoint of the worker needs.
     */
    void snapshot(java.io.DataOutput out) throws java.io.IOException {
        backend.snapshot(out);
    }

    /**
     * Restores snapshots of workers of a previous run (any parallelism: each snapshot contributes the
     * key groups this worker owns), then rebuilds the timers from the restored state.
     */
    void restore(java.util.List<byte[]> snapshots, long[] streamWatermarks) throws java.io.IOException {
        for (byte[] snapshot : snapshots) {
            backend.restore(new java.io.DataInputStream(new java.io.ByteArrayInputStream(snapshot)));
        }
        System.arraycopy(streamWatermarks, 0, watermarks, 0, watermarks.length);
        for (int k = 0; k < operators.length; k++) {
            operators[k].rebuildAfterRestore(keyGroups, watermarks[plan.keyingStream[k]]);
        }
        for (int f = 0; f < features.length; f++) {
            features[f].rebuildAfterRestore(watermarks[plan.streamOfFeatureSet[f]]);
        }
        publish();
    }

    /** Writes this worker's state into a checkpoint directory (after advancing to the barrier's epoch). */
    void snapshotTo(CheckpointBarrier b) {
        long start = System.nanoTime();
        b.arrivedNanos[index] = start;
        StateBackend.SnapshotWriter writer;
        try {
            writer = backend.startSnapshot();
        } catch (java.io.IOException e) {
            throw new io.peregrine.runtime.checkpoint.CheckpointException("worker " + index + " cannot snapshot its state: "
                    + e.getMessage(), e);
        }
        b.snapshotNanos[index] = System.nanoTime() - start;
        // the file is written off the worker thread: the worker's pause is only the start above
        b.stateFiles[index] = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> io.peregrine.runtime.checkpoint.CheckpointStorage.writeStateFile(b.directory,
                        "worker-" + index + ".state", writer::writeTo), b.writers);
    }

    @Override
    public void close() {
        backend.close();
    }
}
