package io.peregrine.grpc;

import io.peregrine.dsl.CompiledPattern;
import io.peregrine.dsl.Program;
import io.peregrine.dsl.StreamDef;
import io.peregrine.dsl.schema.Row;
import io.peregrine.runtime.Job;
import io.peregrine.runtime.JobSummary;
import io.peregrine.runtime.sink.RowJsonEncoder;
import io.peregrine.runtime.sink.Sink;
import io.peregrine.runtime.sink.Sinks;
import io.peregrine.runtime.source.Source;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A program running continuously behind the server: every declared stream reads its file inputs
 * (if any) together with its {@link IngestLog} (under {@code logDir/<stream>}), replayed from the
 * start; every pattern's rows go to the {@link MatchHub} (and to JSON-lines files when an output
 * directory is given). The job runs on a thread of its own until {@link #close}.
 */
public final class ServedJob implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServedJob.class);

    /** What the job is doing. */
    public enum State { RUNNING, FINISHED, FAILED }

    private final Program program;
    private final Job job;
    private final MatchHub hub;
    private final Map<String, IngestLog> logs;
    private final List<SourceInfo> sources;
    private final Thread thread;
    private volatile State state = State.RUNNING;
    private volatile Throwable failure;
    private volatile JobSummary summary;

    /** One input of the job, for status. */
    public record SourceInfo(String stream, String description, IngestLog log) {
    }

    private ServedJob(Program program, Job job, MatchHub hub, Map<String, IngestLog> logs, List<SourceInfo> sources) {
        this.program = program;
        this.job = job;
        this.hub = hub;
        this.logs = logs;
        this.sources = List.copyOf(sources);
        this.thread = new Thread(this::run, "peregrine-served-job");
        thread.setDaemon(true);
    }

    /**
     * Builds and starts the job.
     *
     * @param fileInputs extra inputs per stream (files), read alongside the ingest logs
     * @param logDir     the ingest logs' directory
     * @param outputDir  also write pattern rows to {@code outputDir/<pattern>.jsonl}; null for subscribers only
     * @param customize  further job settings (parallelism, metrics), may be null
     * @throws UncheckedIOException when an ingest log cannot be opened or recovered
     */
    public static ServedJob start(Program program, Map<String, List<Source>> fileInputs, Path logDir, MatchHub hub,
                                  Path outputDir, Consumer<Job.Builder> customize) {
        return start(program, fileInputs, logDir, IngestLog.Limits.DEFAULTS, hub, outputDir, customize);
    }

    /** As {@link #start(Program, Map, Path, MatchHub, Path, Consumer)}, with the ingest logs' limits. */
    public static ServedJob start(Program program, Map<String, List<Source>> fileInputs, Path logDir,
                                  IngestLog.Limits logLimits, MatchHub hub, Path outputDir, Consumer<Job.Builder> customize) {
        Map<String, IngestLog> logs = new LinkedHashMap<>();
        List<SourceInfo> sources = new ArrayList<>();
        Job.Builder b = Job.builder(program);
        try {
            for (StreamDef s : program.streams()) {
                for (Source src : fileInputs.getOrDefault(s.name(), List.of())) {
                    b.input(s.name(), src);
                    sources.add(new SourceInfo(s.name(), src.describe(), null));
                }
                IngestLog log = IngestLog.open(logDir.resolve(s.name()), s, logLimits);
                logs.put(s.name(), log);
                b.input(s.name(), log.source());
                sources.add(new SourceInfo(s.name(), log.source().describe(), log));
            }
        } catch (IOException e) {
            logs.values().forEach(IngestLog::close);
            throw new UncheckedIOException("cannot open the ingest logs in " + logDir + ": " + e.getMessage(), e);
        }
        if (outputDir != null) {
            try {
                Files.createDirectories(outputDir);
            } catch (IOException e) {
                logs.values().forEach(IngestLog::close);
                throw new UncheckedIOException("cannot create output directory " + outputDir + ": " + e.getMessage(), e);
            }
        }
        for (CompiledPattern p : program.patterns()) {
            b.sink(p.name(), tee(hub.sink(p.name()), outputDir, p.name() + ".jsonl", p));
            if (p.emitsTimeouts()) {
                b.timeoutSink(p.name(), tee(hub.timeoutSink(p.name()), outputDir, p.name() + ".timeouts.jsonl", p));
            }
        }
        if (outputDir != null) {
            b.outputDirectory(outputDir);
        }
        if (customize != null) {
            customize.accept(b);
        }
        ServedJob served = new ServedJob(program, b.build(), hub, Map.copyOf(logs), sources);
        served.thread.start();
        // return once the job runs, so that a request right after (a checkpoint, a status) finds it running
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!served.job.isRunning() && served.thread.isAlive() && System.nanoTime() < giveUp) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return served;
    }

    private static Sink<Row> tee(Sink<Row> hub, Path dir, String file, CompiledPattern p) {
        if (dir == null) {
            return hub;
        }
        Sink<Row> fileSink = Sinks.jsonLines(dir.resolve(file), new RowJsonEncoder(p.outputSchema()));
        return new Sink<>() {
            @Override
            public void write(Row record) {
                fileSink.write(record);
                // the job flushes sinks only when a later epoch has rows too; a live job may go quiet
                // after a match, so each row is flushed to keep the file as current as the subscribers
                fileSink.flush();
                hub.write(record);
            }

            @Override
            public void flush() {
                fileSink.flush();
                hub.flush();
            }

            @Override
            public void close() {
                try {
                    fileSink.close();
                } finally {
                    hub.close();
                }
            }
        };
    }

    private void run() {
        try {
            summary = job.run();
            state = State.FINISHED;
        } catch (Throwable t) {
            failure = t;
            state = State.FAILED;
            LOG.error("the served job failed: {}", t.getMessage(), t);
        }
    }

    public Program program() {
        return program;
    }

    public Job job() {
        return job;
    }

    public MatchHub hub() {
        return hub;
    }

    public Map<String, IngestLog> logs() {
        return logs;
    }

    public List<SourceInfo> sources() {
        return sources;
    }

    public State state() {
        return state;
    }

    public Throwable failure() {
        return failure;
    }

    /** The job's summary once it finished, else null. */
    public JobSummary summary() {
        return summary;
    }

    /**
     * Lets the job read what the logs hold, then end with the final watermark (which fires every
     * pending deadline) and waits up to {@code millis}; for tests and bounded replays.
     */
    public boolean drainAndFinish(long millis) throws InterruptedException {
        logs.values().forEach(IngestLog::endInput);
        thread.join(millis);
        return !thread.isAlive();
    }

    /** Stops the job without the final watermark, then closes the logs (acknowledged events are already durable). */
    @Override
    public void close() {
        job.cancel();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        logs.values().forEach(IngestLog::close);
    }
}
