package io.peregrine.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.peregrine.dsl.CompiledPattern;
import io.peregrine.dsl.Program;
import io.peregrine.dsl.schema.Row;
import io.peregrine.runtime.checkpoint.CheckpointException;
import io.peregrine.runtime.checkpoint.CheckpointManifest;
import io.peregrine.runtime.checkpoint.CheckpointSettings;
import io.peregrine.runtime.checkpoint.CheckpointStorage;
import io.peregrine.runtime.metrics.PrometheusEndpoint;
import io.peregrine.runtime.sink.DeadLetter;
import io.peregrine.runtime.sink.LateEvent;
import io.peregrine.runtime.sink.RowJsonEncoder;
import io.peregrine.runtime.sink.Sink;
import io.peregrine.runtime.sink.SinkException;
import io.peregrine.runtime.sink.Sinks;
import io.peregrine.runtime.sink.TransactionalFileSink;
import io.peregrine.runtime.source.SourcePosition;
import io.peregrine.runtime.source.Source;
import io.peregrine.runtime.state.HeapStateBackend;
import io.peregrine.runtime.state.KeyGroups;
import io.peregrine.runtime.state.StateBackendFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a program over its inputs until they end: the reader (the thread that calls {@link #run})
 * decodes, stamps and routes events; {@code parallelism} worker threads each own a contiguous
 * range of the {@code maxParallelism} key groups and all their state; an output thread merges the
 * workers' rows and writes the sinks. Threads are connected by bounded queues, so a slow stage
 * holds back the ones before it.
 *
 * <p><b>Output order.</b> Each pattern's rows are written ordered by their emission time (the
 * event time at which the key emitted the row: the timestamp of the event that completed the match,
 * or the deadline that timed a partial match out or completed a trailing {@code notFollowedBy}),
 * then by partition key (in the natural order of the PARTITION BY values, nulls first), then in
 * the order the key emitted them. This order depends only on each key's events and their event
 * times: the same input gives byte-identical outputs for every parallelism, and so does any arrival
 * order in which no event is late and events of one key with equal timestamps (and equal tie-order
 * columns) keep their relative order. Late events and dead letters are written in the order they
 * were read.
 *
 * <pre>{@code
 * JobSummary summary = Job.builder(program)
 *         .input("transactions", Sources.file(Path.of("txns.jsonl")))
 *         .outputDirectory(Path.of("out"))      // out/<pattern>.jsonl, out/late.jsonl, out/dead-letter.jsonl
 *         .parallelism(2)
 *         .build()
 *         .run();
 * }</pre>
 */
public final class Job {

    private static final Logger LOG = LoggerFactory.getLogger(Job.class);
    /** Records read from an input before turning to the next and sending watermarks. */
    static final int CHUNK = 1024;
    private static final int QUEUE_BATCHES = 8;
    private static final int OUTPUT_QUEUE = 64;

    private final JobPlan plan;
    private final JobFeatureView featureView;
    private final Map<String, List<Source>> inputs;
    private final Path outputDirectory;
    private final Map<String, Sink<Row>> sinks;
    private final Map<String, Sink<Row>> timeoutSinks;
    private final Sink<LateEvent> lateSink;
    private final Sink<DeadLetter> deadLetterSink;
    private final int parallelism;
    private final long idleTimeoutMillis;
    private final int metricsPort;
    private final MeterRegistry registry;
    private final StateBackendFactory backends;
    private final LongSupplier clock;
    private final CheckpointSettings checkpoints;
    private final Path fromSavepoint;

    private volatile boolean cancelled;
    private volatile CheckpointCoordinator coordinator;
    /** Set once {@link #run} returns or fails: checkpoint requests stop waiting for the job to start. */
    private volatile boolean ended;
    private volatile Throwable failure;
    private volatile int boundMetricsPort = -1;
    private boolean started;
    private final List<Thread> threads = new ArrayList<>();
    private Thread readerThread;
    private volatile Ingest running;
    private volatile OutputStage runningOutput;
    private volatile long startedNanos;

    private Job(Builder b) {
        this.plan = new JobPlan(b.program, b.maxParallelism);
        this.featureView = new JobFeatureView(plan);
        this.inputs = new LinkedHashMap<>(b.inputs);
        this.outputDirectory = b.outputDirectory;
        this.sinks = new HashMap<>(b.sinks);
        this.timeoutSinks = new HashMap<>(b.timeoutSinks);
        this.lateSink = b.lateSink;
        this.deadLetterSink = b.deadLetterSink;
        this.parallelism = b.parallelism;
        this.idleTimeoutMillis = b.idleTimeoutMillis;
        this.metricsPort = b.metricsPort;
        this.registry = b.registry;
        this.backends = b.backends;
        this.clock = b.clock;
        this.checkpoints = b.checkpoints;
        this.fromSavepoint = b.fromSavepoint;
        KeyGroups.checkParallelism(b.maxParallelism, parallelism);
        for (String stream : inputs.keySet()) {
            if (plan.indexOf(stream) < 0) {
                throw new JobException("unknown stream " + stream + " (the program declares " + streamNames() + ")");
            }
        }
        for (int s = 0; s < plan.streams.size(); s++) {
            String name = plan.streams.get(s).name();
            if (plan.patternsByStream[s].length > 0 && !inputs.containsKey(name)) {
                throw new JobException("stream " + name + " has no input (patterns read it)");
            }
        }
        for (String pattern : sinks.keySet()) {
            if (plan.patternIndex(pattern) < 0) {
                throw new JobException("a sink is given for unknown pattern " + pattern);
            }
        }
        for (String pattern : timeoutSinks.keySet()) {
            int p = plan.patternIndex(pattern);
            if (p < 0 || !plan.patterns.get(p).emitsTimeouts()) {
                throw new JobException("a timeout sink is given for pattern " + pattern + ", which emits no timeouts");
            }
        }
        for (CompiledPattern p : plan.patterns) {
            if (!sinks.containsKey(p.name()) && outputDirectory == null) {
                throw new JobException("pattern " + p.name() + " has no output: give an output directory or a sink");
            }
            if (p.emitsTimeouts() && !timeoutSinks.containsKey(p.name()) && outputDirectory == null) {
                throw new JobException("pattern " + p.name()
                        + " emits timeouts but has no timeout output: give an output directory or a timeout sink");
            }
            if (outputDirectory != null && !p.name().matches("[A-Za-z0-9_.$-]+")) {
                throw new JobException("pattern name " + p.name() + " cannot be a file name in " + outputDirectory);
            }
        }
    }

    public static Builder builder(Program program) {
        return new Builder(program);
    }

    private List<String> streamNames() {
        List<String> names = new ArrayList<>();
        plan.streams.forEach(s -> names.add(s.name()));
        return names;
    }

    /** Progress of the running job (zeros before it starts); safe to call from any thread. */
    /**
     * The job's features, readable from any thread while it runs and after it ends (every key is
     * not found before it starts).
     */
    public JobFeatureView featureView() {
        return featureView;
    }

    public JobProgress progress() {
        Ingest in = running;
        OutputStage out = runningOutput;
        if (in == null) {
            return new JobProgress(0, 0, Long.MIN_VALUE, 0);
        }
        long events = 0;
        long watermark = Long.MAX_VALUE;
        boolean any = false;
        for (Ingest.StreamState st : in.streams) {
            events += st.publishedRecords.get();
            if (plan.eventTimeColumn[st.index] >= 0 && st.combiner != null) {
                watermark = Math.min(watermark, st.publishedWatermark.get());
                any = true;
            }
        }
        long rows = 0;
        if (out != null) {
            for (int o = 0; o < out.published.length(); o++) {
                rows += out.published.get(o);
            }
        }
        return new JobProgress(events, (System.nanoTime() - startedNanos) / 1e9, any ? watermark : Long.MIN_VALUE, rows);
    }

    /** The port the metrics endpoint listens on while the job runs, or -1. */
    public int metricsPort() {
        return boundMetricsPort;
    }

    /**
     * Takes a savepoint into {@code directory} (created; it must not hold one already): the same
     * portable format as checkpoints, kept until removed by hand, restorable with
     * {@link Builder#fromSavepoint} at any parallelism and with either state backend. Safe to call from
     * any thread while the job runs; the future completes when the savepoint is written (or fails when
     * the job ends first).
     */
    public CompletableFuture<CheckpointManifest> savepoint(Path directory) {
        CheckpointCoordinator c = awaitCoordinator();
        if (c == null) {
            return CompletableFuture.failedFuture(new JobException("the job is not running"));
        }
        CompletableFuture<CheckpointManifest> f = c.requestSavepoint(directory);
        if (coordinator == null) {
            c.abandon(new JobException("the job ended before the savepoint"));
        }
        return f;
    }

    /**
     * Takes a checkpoint now (after the one in flight, if any), into the checkpoint directory. Safe
     * to call from any thread while the job runs; fails when the job has no checkpoint directory or
     * ends first.
     */
    public CompletableFuture<CheckpointManifest> checkpoint() {
        CheckpointCoordinator c = awaitCoordinator();
        if (c == null) {
            return CompletableFuture.failedFuture(new JobException("the job is not running"));
        }
        CompletableFuture<CheckpointManifest> f = c.requestCheckpoint();
        if (coordinator == null) {
            c.abandon(new JobException("the job ended before the checkpoint"));
        }
        return f;
    }

    /**
     * The running job's checkpoint coordinator; while the job is starting (restoring a checkpoint,
     * opening sources) waits up to a minute for it, so a request made just after {@link #run} began
     * is not refused. Null when the job has not been started or has ended.
     */
    private CheckpointCoordinator awaitCoordinator() {
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (true) {
            CheckpointCoordinator c = coordinator;
            if (c != null && readerThread != null) {
                return c;
            }
            boolean starting;
            synchronized (this) {
                starting = started && !ended;
            }
            if (!starting || System.nanoTime() > giveUp) {
                return null;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    /** Whether {@link #run} has begun and not yet returned. */
    public boolean isRunning() {
        synchronized (this) {
            return started && !ended;
        }
    }

    /** The id of the last completed checkpoint, or -1. */
    public long lastCheckpoint() {
        CheckpointCoordinator c = coordinator;
        return c == null ? -1 : c.lastCompleted.get();
    }

    /**
     * Stops reading: the job ends soon after with what it has, without the final watermark (events
     * still waiting for the watermark and open partial matches produce nothing). {@link #run} returns.
     */
    public void cancel() {
        cancelled = true;
        Thread t = readerThread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Runs until every input ends (or {@link #cancel}), then flushes everything with the final
     * watermark and closes the sinks. A job runs once.
     *
     * @throws JobException when a source, sink, operator or state fails (the message says which)
     */
    public JobSummary run() {
        synchronized (this) {
            if (started) {
                throw new IllegalStateException("a job runs once");
            }
            started = true;
        }
        readerThread = Thread.currentThread();
        long startNanos = System.nanoTime();
        startedNanos = startNanos;
        List<Sink<Row>> patternSinks = new ArrayList<>();
        Sink<LateEvent> late = null;
        Sink<DeadLetter> dead = null;
        List<Worker> workers = new ArrayList<>();
        PrometheusEndpoint endpoint = null;
        Ingest ingest = null;
        OutputStage output = null;
        try {
            if (outputDirectory != null) {
                try {
                    Files.createDirectories(outputDirectory);
                } catch (IOException e) {
                    throw new SinkException("cannot create output directory " + outputDirectory + ": " + e, e);
                }
                if (!Files.isWritable(outputDirectory)) {
                    throw new SinkException("cannot write to output directory " + outputDirectory, null);
                }
            }
            long restoreStart = System.nanoTime();
            CheckpointStorage storage = checkpoints == null ? null
                    : new CheckpointStorage(checkpoints.directory(), checkpoints.retained());
            CheckpointStorage.Loaded restored = fromSavepoint != null ? CheckpointStorage.load(fromSavepoint)
                    : storage != null ? storage.latest().orElse(null) : null;
            CheckpointManifest manifest = restored == null ? null : restored.manifest();
            if (manifest != null) {
                if (manifest.maxParallelism() != plan.maxParallelism) {
                    throw new CheckpointException(restored.directory() + " was taken with max parallelism "
                            + manifest.maxParallelism() + ", this job has " + plan.maxParallelism, null);
                }
                LOG.info("resuming from {} {}", manifest.savepoint() ? "savepoint" : "checkpoint", restored.directory());
            }
            // with checkpoints, the files this job writes are published by two-phase commit
            boolean transactional = storage != null && outputDirectory != null;
            List<String> outputNames = new ArrayList<>();
            for (CompiledPattern p : plan.patterns) {
                Sink<Row> s = sinks.get(p.name());
                patternSinks.add(s != null ? s : fileSink(p.name() + ".jsonl", new RowJsonEncoder(p.outputSchema()),
                        transactional, manifest));
                outputNames.add(p.name() + ".jsonl");
                Sink<Row> t = timeoutSinks.get(p.name());
                patternSinks.add(!p.emitsTimeouts() ? null : t != null ? t
                        : fileSink(p.name() + ".timeouts.jsonl", new RowJsonEncoder(p.timeoutSchema()), transactional,
                                manifest));
                outputNames.add(p.name() + ".timeouts.jsonl");
            }
            late = lateSink != null ? lateSink : outputDirectory != null
                    ? fileSink("late.jsonl", LateEvent.jsonEncoder(), transactional, manifest) : Sinks.discard();
            dead = deadLetterSink != null ? deadLetterSink : outputDirectory != null
                    ? fileSink("dead-letter.jsonl", DeadLetter.jsonEncoder(), transactional, manifest)
                    : Sinks.discard();

            List<ArrayBlockingQueue<EventBatch>> queues = new ArrayList<>();
            List<ArrayBlockingQueue<EventBatch>> free = new ArrayList<>();
            List<ArrayBlockingQueue<EpochOutput>> outQueues = new ArrayList<>();
            for (int w = 0; w < parallelism; w++) {
                workers.add(new Worker(w, KeyGroups.range(w, plan.maxParallelism, parallelism), plan,
                        backends.create(w, KeyGroups.range(w, plan.maxParallelism, parallelism))));
                queues.add(new ArrayBlockingQueue<>(QUEUE_BATCHES));
                free.add(new ArrayBlockingQueue<>(QUEUE_BATCHES + 2));
                outQueues.add(new ArrayBlockingQueue<>(OUTPUT_QUEUE));
            }
            featureView.attach(workers);
            QueueOutput routed = new QueueOutput(queues, free);
            ingest = new Ingest(plan, parallelism, routed, late, dead);
            for (Map.Entry<String, List<Source>> e : inputs.entrySet()) {
                for (Source src : e.getValue()) {
                    ingest.addInput(plan.indexOf(e.getKey()), src);
                }
            }
            ingest.start(idleTimeoutMillis, clock.getAsLong());
            List<SourcePosition> positions = null;
            output = new OutputStage(patternSinks, clock);
            if (manifest != null) {
                positions = ingest.restore(manifest);
                restoreWorkers(restored, workers);
                output.restoreRows(manifest.outputRows());
            }
            ingest.open(positions);
            long firstId = manifest == null ? 1 : manifest.id() + 1;
            if (storage != null && !storage.ids().isEmpty()) {
                firstId = Math.max(firstId, storage.ids().get(0) + 1);
            }
            CheckpointCoordinator coord = new CheckpointCoordinator(storage,
                    checkpoints == null ? Long.MAX_VALUE / 4 : checkpoints.interval().toMillis(), parallelism,
                    plan.maxParallelism, patternSinks, outputNames,
                    late instanceof TransactionalFileSink ? (TransactionalFileSink<?>) late : null,
                    dead instanceof TransactionalFileSink ? (TransactionalFileSink<?>) dead : null,
                    firstId, clock.getAsLong());
            coord.restoreSeconds = manifest == null ? 0 : (System.nanoTime() - restoreStart) / 1e9;
            coordinator = coord;
            running = ingest;
            runningOutput = output;

            MeterRegistry meters = registry;
            if (metricsPort >= 0) {
                PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                meters = registry == null ? prometheus : registry;
                if (registry != null) {
                    io.micrometer.core.instrument.composite.CompositeMeterRegistry c =
                            new io.micrometer.core.instrument.composite.CompositeMeterRegistry();
                    c.add(registry);
                    c.add(prometheus);
                    meters = c;
                }
                try {
                    endpoint = PrometheusEndpoint.start(prometheus, metricsPort);
                } catch (IOException e) {
                    throw new JobException("cannot serve metrics on port " + metricsPort + ": " + e.getMessage(), e);
                }
                boundMetricsPort = endpoint.port();
                LOG.info("metrics at http://127.0.0.1:{}/metrics", boundMetricsPort);
            }
            if (meters != null) {
                new JobMeters(meters, plan, ingest, workers, output, queues, clock);
                coord.bindMeters(meters);
            }

            for (int w = 0; w < parallelism; w++) {
                Worker worker = workers.get(w);
                ArrayBlockingQueue<EventBatch> in = queues.get(w);
                ArrayBlockingQueue<EventBatch> recycle = free.get(w);
                ArrayBlockingQueue<EpochOutput> out = outQueues.get(w);
                start("peregrine-worker-" + w, () -> workerLoop(worker, in, recycle, out));
            }
            OutputStage stage = output;
            start("peregrine-output", () -> outputLoop(stage, outQueues));

            readLoop(ingest, coord, storage != null);
            joinAll();
            if (failure != null) {
                throw failure;
            }
            ingest.publish();
            late.flush();
            dead.flush();
        } catch (Throwable t) {
            fail(t);
        } finally {
            cancelled = true;
            for (Thread t : threads) {
                t.interrupt();
            }
            joinAll();
            CheckpointCoordinator c = coordinator;
            coordinator = null;
            ended = true;
            if (c != null) {
                c.abandon(failure != null ? failure : new JobException("the job ended"));
            }
            if (ingest != null) {
                ingest.closeReaders();
            }
            closeQuietly(late);
            closeQuietly(dead);
            if (output != null) {
                try {
                    output.close();
                } catch (RuntimeException e) {
                    fail(e);
                }
            } else {
                patternSinks.forEach(Job::closeQuietly);
            }
            workers.forEach(Worker::close);
            if (endpoint != null) {
                endpoint.close();
            }
            readerThread = null;
        }
        Throwable f = failure;
        if (f != null) {
            if (f instanceof JobException) {
                throw (JobException) f;
            }
            if (f instanceof Error) {
                throw (Error) f;
            }
            throw new JobException("job failed: " + f, f);
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Long> events = new LinkedHashMap<>();
        long lateCount = 0;
        long deadCount = 0;
        for (Ingest.StreamState st : ingest.streams) {
            events.put(st.def.name(), st.records);
            lateCount += st.late;
            deadCount += st.decodeFailures;
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        Map<String, Long> timeoutRows = new LinkedHashMap<>();
        for (int p = 0; p < plan.patterns.size(); p++) {
            rows.put(plan.patterns.get(p).name(), output.rows(2 * p));
            if (plan.patterns.get(p).emitsTimeouts()) {
                timeoutRows.put(plan.patterns.get(p).name(), output.rows(2 * p + 1));
            }
        }
        JobSummary summary = new JobSummary(events, rows, timeoutRows, lateCount, deadCount, seconds);
        LOG.debug("job done: {}", summary);
        return summary;
    }

    private void readLoop(Ingest ingest, CheckpointCoordinator coord, boolean finalCheckpoint)
            throws InterruptedException {
        List<Ingest.Input> ins = ingest.inputs;
        while (!cancelled && !ingest.allEnded()) {
            long now = clock.getAsLong();
            boolean progress = false;
            for (Ingest.Input in : ins) {
                if (ingest.readChunk(in, CHUNK, now) > 0) {
                    progress = true;
                }
            }
            ingest.checkIdle(now);
            boolean epoch = ingest.maybeEpoch();
            epoch |= coord.maybeTrigger(ingest, now);
            ingest.publish();
            if (!progress && !epoch && !ingest.allEnded()) {
                ingest.flushPartial();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        if (failure != null) {
            return;
        }
        if (ingest.allEnded()) {
            if (finalCheckpoint) {
                coord.finish(ingest);
            } else {
                ingest.finish();
            }
        } else {
            ingest.sendEnd();
        }
    }

    private void workerLoop(Worker worker, ArrayBlockingQueue<EventBatch> in, ArrayBlockingQueue<EventBatch> free,
                            ArrayBlockingQueue<EpochOutput> out) {
        try {
            while (true) {
                EventBatch b = in.take();
                worker.process(b);
                boolean end = b.end;
                if (b.epoch >= 0) {
                    EpochOutput o = worker.advance(b.epoch, b.watermarks, end);
                    if (b.barrier != null) {
                        worker.snapshotTo(b.barrier);
                        o.barrier = b.barrier;
                    }
                    out.put(o);
                }
                b.clear();
                free.offer(b);
                if (end) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // cancelled after a failure elsewhere
        } catch (Throwable t) {
            fail(t);
        }
    }

    private void outputLoop(OutputStage stage, List<ArrayBlockingQueue<EpochOutput>> queues) {
        EpochOutput[] outs = new EpochOutput[queues.size()];
        try {
            while (true) {
                for (int w = 0; w < outs.length; w++) {
                    outs[w] = queues.get(w).take();
                }
                stage.write(outs);
                if (outs[0].barrier != null) {
                    coordinator.complete(outs[0].barrier, stage);
                }
                if (outs[0].end) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // cancelled after a failure elsewhere
        } catch (Throwable t) {
            fail(t);
        }
    }

    private void start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void joinAll() {
        for (Thread t : threads) {
            boolean interrupted = false;
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                    for (Thread o : threads) {
                        o.interrupt();
                    }
                }
            }
            if (interrupted && failure == null) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void fail(Throwable t) {
        synchronized (this) {
            if (failure == null) {
                failure = t;
                LOG.debug("job failed", t);
            }
        }
        cancelled = true;
        for (Thread th : threads) {
            if (th != Thread.currentThread()) {
                th.interrupt();
            }
        }
        Thread r = readerThread;
        if (r != null && r != Thread.currentThread()) {
            r.interrupt();
        }
    }

    private <T> Sink<T> fileSink(String name, io.peregrine.runtime.sink.JsonEncoder<? super T> encoder,
                                 boolean transactional, CheckpointManifest manifest) {
        Path file = outputDirectory.resolve(name);
        if (!transactional) {
            return Sinks.jsonLines(file, encoder);
        }
        long length = manifest == null ? -1 : manifest.sinkLength(name);
        return length < 0 ? TransactionalFileSink.create(file, encoder)
                : TransactionalFileSink.resume(file, encoder, length);
    }

    /** Every worker reads every state file of the checkpoint and keeps its key groups (any parallelism). */
    private void restoreWorkers(CheckpointStorage.Loaded restored, List<Worker> workers) {
        CheckpointManifest m = restored.manifest();
        long[] watermarks = new long[plan.streams.size()];
        java.util.Arrays.fill(watermarks, Long.MIN_VALUE);
        for (CheckpointManifest.StreamProgress sp : m.streams()) {
            int s = plan.indexOf(sp.name());
            if (s >= 0) {
                watermarks[s] = sp.watermark();
            }
        }
        List<byte[]> files = new ArrayList<>();
        for (CheckpointManifest.StateFile f : m.stateFiles()) {
            Path p = restored.directory().resolve(f.name());
            try {
                files.add(Files.readAllBytes(p));
            } catch (IOException e) {
                throw new CheckpointException("cannot read state file " + p + ": " + e, e);
            }
        }
        for (Worker w : workers) {
            try {
                w.restore(files, watermarks);
            } catch (IOException e) {
                throw new CheckpointException("cannot restore " + restored.directory() + " into worker " + w.index + ": "
                        + e.getMessage(), e);
            }
        }
    }

    private static void closeQuietly(Sink<?> s) {
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.warn("closing {} failed: {}", s, e.getMessage());
            }
        }
    }

    /** Batches to the worker queues, recycled through a free list per worker. */
    private final class QueueOutput implements Ingest.Output {
        private final List<ArrayBlockingQueue<EventBatch>> queues;
        private final List<ArrayBlockingQueue<EventBatch>> free;
        private final EventBatch[] current;

        QueueOutput(List<ArrayBlockingQueue<EventBatch>> queues, List<ArrayBlockingQueue<EventBatch>> free) {
            this.queues = queues;
            this.free = free;
            this.current = new EventBatch[queues.size()];
        }

        @Override
        public EventBatch batch(int worker) {
            EventBatch b = current[worker];
            if (b == null) {
                b = free.get(worker).poll();
                if (b == null) {
                    b = new EventBatch();
                }
                current[worker] = b;
            }
            return b;
        }

        @Override
        public void deliver(int worker, EventBatch batch) {
            current[worker] = null;
            try {
                queues.get(worker).put(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JobCancelledException();
            }
        }
    }

    /** Unwinds the reader when the job was stopped while it waited on a full queue. */
    static final class JobCancelledException extends JobException {
        private static final long serialVersionUID = 1L;

        JobCancelledException() {
            super("job cancelled");
        }
    }

    /** Configures a {@link Job}. */
    public static final class Builder {
        private final Program program;
        private final Map<String, List<Source>> inputs = new LinkedHashMap<>();
        private Path outputDirectory;
        private final Map<String, Sink<Row>> sinks = new HashMap<>();
        private final Map<String, Sink<Row>> timeoutSinks = new HashMap<>();
        private Sink<LateEvent> lateSink;
        private Sink<DeadLetter> deadLetterSink;
        private int parallelism = Runtime.getRuntime().availableProcessors();
        private int maxParallelism = KeyGroups.DEFAULT_MAX_PARALLELISM;
        private long idleTimeoutMillis;
        private int metricsPort = -1;
        private MeterRegistry registry;
        private StateBackendFactory backends = HeapStateBackend.factory();
        private LongSupplier clock = System::currentTimeMillis;
        private CheckpointSettings checkpoints;
        private Path fromSavepoint;

        private Builder(Program program) {
            this.program = Objects.requireNonNull(program, "program");
        }

        /** An input of a stream; give several for one stream to read them side by side (watermark: their minimum). */
        public Builder input(String stream, Source source) {
            inputs.computeIfAbsent(stream, k -> new ArrayList<>()).add(Objects.requireNonNull(source, "source"));
            return this;
        }

        /**
         * Writes {@code <pattern>.jsonl} (and {@code <pattern>.timeouts.jsonl} for a pattern that emits
         * timed-out partial matches), {@code late.jsonl} and {@code dead-letter.jsonl} there (created if missing).
         */
        public Builder outputDirectory(Path dir) {
            this.outputDirectory = dir;
            return this;
        }

        /** The sink of a pattern's rows, instead of its file in the output directory. */
        public Builder sink(String pattern, Sink<Row> sink) {
            sinks.put(pattern, Objects.requireNonNull(sink, "sink"));
            return this;
        }

        /** The sink of a pattern's timed-out partial matches, instead of its file in the output directory. */
        public Builder timeoutSink(String pattern, Sink<Row> sink) {
            timeoutSinks.put(pattern, Objects.requireNonNull(sink, "sink"));
            return this;
        }

        public Builder lateSink(Sink<LateEvent> sink) {
            this.lateSink = sink;
            return this;
        }

        public Builder deadLetterSink(Sink<DeadLetter> sink) {
            this.deadLetterSink = sink;
            return this;
        }

        /** Worker threads (default: the number of cores). */
        public Builder parallelism(int n) {
            this.parallelism = n;
            return this;
        }

        /** Key groups (default 128): the most workers this job's state can ever be spread over. */
        public Builder maxParallelism(int n) {
            this.maxParallelism = n;
            return this;
        }

        /** An input without records for this long stops holding its stream's watermark back (default: never). */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeoutMillis = timeout.toMillis();
            return this;
        }

        /** Serves Prometheus metrics on this loopback port while the job runs (0: any free port). */
        public Builder metricsPort(int port) {
            this.metricsPort = port;
            return this;
        }

        /** Registers the job's meters here too. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = registry;
            return this;
        }

        public Builder stateBackend(StateBackendFactory factory) {
            this.backends = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * Checkpoints into a directory at an interval, resumes from the latest complete checkpoint there,
         * and publishes the output files only when a checkpoint covering them completes (exactly once).
         */
        public Builder checkpointing(CheckpointSettings settings) {
            this.checkpoints = settings;
            return this;
        }

        /** Starts from a savepoint (or checkpoint) directory, whatever the checkpoint directory holds. */
        public Builder fromSavepoint(Path directory) {
            this.fromSavepoint = directory;
            return this;
        }

        /** Processing time in epoch milliseconds, for idle timeouts, flushes and watermark lag. */
        public Builder clock(LongSupplier millis) {
            this.clock = Objects.requireNonNull(millis, "millis");
            return this;
        }

        /** @throws JobException when the configuration does not fit the program */
        public Job build() {
            return new Job(this);
        }
    }
}
