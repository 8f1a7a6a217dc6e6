package io.peregrine.runtime;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.peregrine.dsl.schema.Row;
import io.peregrine.runtime.checkpoint.CheckpointException;
import io.peregrine.runtime.checkpoint.CheckpointManifest;
import io.peregrine.runtime.checkpoint.CheckpointStorage;
import io.peregrine.runtime.checkpoint.CrashPoints;
import io.peregrine.runtime.sink.Sink;
import io.peregrine.runtime.sink.TransactionalFileSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Triggers checkpoints (every interval, and savepoints on request) from the reader thread and
 * completes them on the output thread: once every worker's state file is written and the epoch's
 * rows are in the in-progress files, it pre-commits the outputs, writes the manifest, and only
 * then publishes the outputs and drops old checkpoints.
 */
final class CheckpointCoordinator {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointCoordinator.class);

    /** A savepoint asked for from another thread. */
    /** A savepoint into {@code directory}, or (null directory) a checkpoint now. */
    private record Request(Path directory, CompletableFuture<CheckpointManifest> result) {}

    private final CheckpointStorage storage;
    private final long intervalMillis;
    private final int workers;
    private final int maxParallelism;
    private final List<Sink<Row>> outputs;
    private final List<String> outputNames;
    private final TransactionalFileSink<?> late;
    private final TransactionalFileSink<?> deadLetters;
    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();

    private final java.util.concurrent.ExecutorService writers;
    private long nextId;
    private long nextDueMillis;
    private CheckpointBarrier inFlight;

    final AtomicLong lastCompleted = new AtomicLong(-1);
    final AtomicLong lastSizeBytes = new AtomicLong();
    volatile double restoreSeconds;
    private Timer duration;
    private Timer alignment;
    private Timer pause;

    /**
     * @param storage     where periodic checkpoints go, or null (savepoints only)
     * @param outputs     the pattern outputs in output order (null entries: none), names beside them
     * @param late        the late output when it is transactional, else null
     */
    CheckpointCoordinator(CheckpointStorage storage, long intervalMillis, int workers, int maxParallelism,
                          List<Sink<Row>> outputs, List<String> outputNames, TransactionalFileSink<?> late,
                          TransactionalFileSink<?> deadLetters, long firstId, long nowMillis) {
        this.storage = storage;
        this.intervalMillis = intervalMillis;
        this.workers = workers;
        this.maxParallelism = maxParallelism;
        this.outputs = outputs;
        this.outputNames = outputNames;
        this.late = late;
        this.deadLetters = deadLetters;
        this.nextId = firstId;
        this.writers = java.util.concurrent.Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "peregrine-checkpoint-writer");
            t.setDaemon(true);
            return t;
        });
        this.nextDueMillis = nowMillis + intervalMillis;
    }

    void bindMeters(MeterRegistry registry) {
        duration = Timer.builder("peregrine.checkpoint.duration").publishPercentiles(0.5, 0.99)
                .description("from injecting the barrier to the published outputs").register(registry);
        alignment = Timer.builder("peregrine.checkpoint.alignment")
                .description("from injecting the barrier until the last worker reached it").register(registry);
        pause = Timer.builder("peregrine.checkpoint.pause").publishPercentiles(0.5, 0.99)
                .description("the longest time a worker spent writing its state for a checkpoint").register(registry);
        Gauge.builder("peregrine.checkpoint.size.bytes", lastSizeBytes, AtomicLong::get)
                .description("state bytes of the last completed checkpoint").register(registry);
        Gauge.builder("peregrine.checkpoint.last.completed.id", lastCompleted, AtomicLong::get).register(registry);
        Gauge.builder("peregrine.restore.seconds", this, c -> c.restoreSeconds)
                .description("time the job took to restore its last checkpoint").register(registry);
    }

    CompletableFuture<CheckpointManifest> requestSavepoint(Path directory) {
        CompletableFuture<CheckpointManifest> f = new CompletableFuture<>();
        requests.add(new Request(directory, f));
        return f;
    }

    /** A checkpoint as soon as the one in flight (if any) is done, whatever the interval. */
    CompletableFuture<CheckpointManifest> requestCheckpoint() {
        if (storage == null) {
            return CompletableFuture.failedFuture(new JobException("the job has no checkpoint directory"));
        }
        CompletableFuture<CheckpointManifest> f = new CompletableFuture<>();
        requests.add(new Request(null, f));
        return f;
    }

    /** On the reader thread between chunks: injects a requested savepoint or a due checkpoint. */
    boolean maybeTrigger(Ingest ingest, long nowMillis) {
        if (inFlight != null && !inFlight.done.isDone()) {
            return false; // one at a time: the next waits for the previous to complete
        }
        Request r = requests.poll();
        if (r != null && r.directory() == null) {
            CheckpointBarrier b = new CheckpointBarrier(nextId, storage.create(nextId), false, workers, writers);
            nextId++;
            nextDueMillis = nowMillis + intervalMillis;
            b.done.whenComplete((m, e) -> {
                if (e != null) {
                    r.result().completeExceptionally(e);
                } else {
                    r.result().complete(m);
                }
            });
            inject(ingest, b);
            return true;
        }
        if (r != null) {
            CheckpointBarrier b;
            try {
                Files.createDirectories(r.directory());
                if (Files.exists(r.directory().resolve(CheckpointStorage.MANIFEST))) {
                    throw new CheckpointException("savepoint directory " + r.directory() + " already holds one", null);
                }
                b = new CheckpointBarrier(nextId++, r.directory(), true, workers, writers);
            } catch (IOException | RuntimeException e) {
                r.result().completeExceptionally(e instanceof IOException
                        ? new CheckpointException("cannot create savepoint directory " + r.directory() + ": " + e, e) : e);
                return false;
            }
            b.done.whenComplete((m, e) -> {
                if (e != null) {
                    r.result().completeExceptionally(e);
                } else {
                    r.result().complete(m);
                }
            });
            inject(ingest, b);
            return true;
        }
        if (storage != null && nowMillis >= nextDueMillis) {
            nextDueMillis = nowMillis + intervalMillis;
            inject(ingest, new CheckpointBarrier(nextId, storage.create(nextId), false, workers, writers));
            nextId++;
            return true;
        }
        return false;
    }

    /** The last checkpoint, sent with the end of input (so that everything is published). */
    void finish(Ingest ingest) {
        CheckpointBarrier b = new CheckpointBarrier(nextId, storage.create(nextId), false, workers, writers);
        nextId++;
        preCommitReaderOutputs(b);
        inFlight = b;
        ingest.finish(b);
    }

    private void inject(Ingest ingest, CheckpointBarrier b) {
        preCommitReaderOutputs(b);
        inFlight = b;
        ingest.checkpoint(b);
    }

    private void preCommitReaderOutputs(CheckpointBarrier b) {
        if (late != null) {
            b.lateLength = late.preCommit();
        }
        if (deadLetters != null) {
            b.deadLetterLength = deadLetters.preCommit();
        }
    }

    /** Fails what is still waiting (the job ended or failed first) and lets the writer threads go once idle. */
    void abandon(Throwable why) {
        writers.shutdown();
        Request r;
        while ((r = requests.poll()) != null) {
            r.result().completeExceptionally(why);
        }
        CheckpointBarrier b = inFlight;
        if (b != null) {
            b.done.completeExceptionally(why);
        }
    }

    /** On the output thread, after the barrier's epoch was written by every worker. */
    void complete(CheckpointBarrier b, OutputStage stage) {
        List<CheckpointManifest.SinkProgress> sinks = new ArrayList<>();
        long[] lengths = new long[outputs.size()];
        for (int o = 0; o < outputs.size(); o++) {
            Sink<Row> s = outputs.get(o);
            if (s instanceof TransactionalFileSink) {
                lengths[o] = ((TransactionalFileSink<Row>) s).preCommit();
                sinks.add(new CheckpointManifest.SinkProgress(outputNames.get(o), lengths[o]));
            } else if (s != null) {
                s.flush();
            }
        }
        if (late != null) {
            sinks.add(new CheckpointManifest.SinkProgress("late.jsonl", b.lateLength));
        }
        if (deadLetters != null) {
            sinks.add(new CheckpointManifest.SinkProgress("dead-letter.jsonl", b.deadLetterLength));
        }
        List<CheckpointManifest.StateFile> files = new ArrayList<>();
        long size = 0;
        long arrived = 0;
        long longestPause = 0;
        for (int w = 0; w < workers; w++) {
            CheckpointManifest.StateFile f;
            try {
                f = b.stateFiles[w].join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : e;
            }
            files.add(f);
            size += f.length();
            arrived = Math.max(arrived, b.arrivedNanos[w] - b.injectedNanos);
            longestPause = Math.max(longestPause, b.snapshotNanos[w]);
        }
        List<Long> rows = new ArrayList<>();
        for (int o = 0; o < outputs.size(); o++) {
            rows.add(stage.rows(o));
        }
        CheckpointManifest m = new CheckpointManifest(b.id, b.savepoint, System.currentTimeMillis(), maxParallelism,
                b.streams, b.inputs, sinks, files, rows);
        CrashPoints.reach("checkpoint-write");
        CheckpointStorage.writeManifest(b.directory, m);
        CrashPoints.reach("manifest-written");
        for (int o = 0; o < outputs.size(); o++) {
            if (outputs.get(o) instanceof TransactionalFileSink) {
                ((TransactionalFileSink<?>) outputs.get(o)).commit(lengths[o]);
                CrashPoints.reach("sink-commit");
            }
        }
        if (late != null) {
            late.commit(b.lateLength);
        }
        if (deadLetters != null) {
            deadLetters.commit(b.deadLetterLength);
        }
        if (!b.savepoint && storage != null) {
            storage.retain();
        }
        long took = System.nanoTime() - b.injectedNanos;
        if (!b.savepoint) {
            lastCompleted.set(b.id);
        }
        lastSizeBytes.set(size);
        if (duration != null) {
            duration.record(took, TimeUnit.NANOSECONDS);
            alignment.record(arrived, TimeUnit.NANOSECONDS);
            pause.record(longestPause, TimeUnit.NANOSECONDS);
        }
        LOG.debug("{} {} complete: {} state bytes, {} ms", b.savepoint ? "savepoint" : "checkpoint", b.id, size,
                took / 1_000_000);
        b.done.complete(m);
    }
}
