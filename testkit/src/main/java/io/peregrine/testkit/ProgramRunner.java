package io.peregrine.testkit;

import io.peregrine.dsl.CompiledPattern;
import io.peregrine.dsl.Program;
import io.peregrine.dsl.StreamDef;
import io.peregrine.feature.FeatureRequest;
import io.peregrine.feature.FeatureResponse;
import io.peregrine.feature.FeatureSetDefinition;
import io.peregrine.feature.KeyFeatures;
import io.peregrine.runtime.Job;
import io.peregrine.runtime.JobFeatureView;
import io.peregrine.runtime.JobTestDriver;
import io.peregrine.runtime.sink.LateEvent;
import io.peregrine.runtime.checkpoint.CheckpointSettings;
import io.peregrine.runtime.source.RecordBatch;
import io.peregrine.runtime.source.RecordReader;
import io.peregrine.runtime.source.Source;
import io.peregrine.runtime.source.SourcePosition;
import io.peregrine.runtime.source.Sources;
import io.peregrine.runtime.state.RocksDbStateBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a program over events in a given arrival order, either through {@link JobTestDriver} (one
 * thread, exactly the given order) or as a real {@link Job} over files with worker threads (each
 * stream's events in the given order; the job reads streams in turns, so only the order within a
 * stream is kept).
 */
public final class ProgramRunner {

    private static final Pattern LATE_LINE = Pattern.compile("^\\{\"stream\":\"([^\"]*)\".*?,\"line\":(\\d+),");

    private ProgramRunner() {
    }

    /** Runs {@code arrival} through a {@link JobTestDriver}, then the end of input. */
    public static RunResult run(Program program, List<TestEvent> arrival) {
        Map<String, List<TestEvent>> byStream = byStream(program, arrival);
        try (JobTestDriver driver = JobTestDriver.create(program)) {
            for (TestEvent e : arrival) {
                driver.pipeLines(e.stream(), e.json());
            }
            driver.finish();
            Map<String, List<String>> rows = new LinkedHashMap<>();
            Map<String, List<String>> timeouts = new LinkedHashMap<>();
            for (CompiledPattern p : program.patterns()) {
                rows.put(p.name(), driver.outputLines(p.name()));
                if (p.emitsTimeouts()) {
                    timeouts.put(p.name(), driver.timeoutLines(p.name()));
                }
            }
            List<TestEvent> late = new ArrayList<>();
            for (LateEvent l : driver.lateEvents()) {
                late.add(byStream.get(l.stream()).get((int) l.line() - 1));
            }
            return new RunResult(rows, timeouts, late, driver.deadLetters().size(), features(program, driver.featureView()));
        }
    }

    /**
     * Runs a {@link Job} with {@code parallelism} worker threads: writes each stream's events to a file
     * under {@code workDir} and reads the job's output files back.
     */
    public static RunResult runJob(Program program, List<TestEvent> arrival, int parallelism, Path workDir) {
        return runJob(program, arrival, parallelism, workDir, Backend.HEAP);
    }

    /** Where a job keeps its keyed state. */
    public enum Backend { HEAP, ROCKSDB }

    /** As {@link #runJob(Program, List, int, Path)}, with the state in {@code backend}. */
    public static RunResult runJob(Program program, List<TestEvent> arrival, int parallelism, Path workDir, Backend backend) {
        Map<String, Path> inputs = writeInputs(program, arrival, workDir);
        Path out = workDir.resolve("out");
        Job job = builder(program, inputs, out, parallelism, backend, workDir.resolve("state")).build();
        job.run();
        return read(program, arrival, out, job);
    }

    /**
     * Runs a job whose input of the first event's stream has nothing more after {@code stopAfter}
     * records (as a live input), takes a savepoint there, and cancels it; then restores the savepoint into a new
     * job (another parallelism, another backend) that reads the rest. Outputs are published only as
     * checkpoints cover them, so the first job's files hold exactly what its savepoint covers.
     *
     * @return what the first job published, and what the restored job published
     */
    public static Restored runRestored(Program program, List<TestEvent> arrival, long stopAfter, int parallelismBefore,
                                       int parallelismAfter, Backend backendAfter, Path workDir) {
        List<RunResult> r = runStages(program, arrival, List.of(new Stage(stopAfter, parallelismBefore, Backend.HEAP),
                new Stage(-1, parallelismAfter, backendAfter)), workDir);
        return new Restored(r.get(0), r.get(1));
    }

    /**
     * One job of a chain: it reads {@code records} more records of the first event's stream, then is
     * savepointed and cancelled ({@code -1}: it reads to the end).
     */
    public record Stage(long records, int parallelism, Backend backend) {
    }

    /**
     * Runs a chain of jobs, each resuming from the savepoint of the one before (at its own parallelism
     * and backend), the last reading to the end of the input.
     *
     * @return what each job published, in order (features: the last job's only)
     */
    public static List<RunResult> runStages(Program program, List<TestEvent> arrival, List<Stage> stages, Path workDir) {
        if (stages.isEmpty() || stages.get(stages.size() - 1).records() >= 0) {
            throw new IllegalArgumentException("the last stage must read to the end (records -1): " + stages);
        }
        Map<String, Path> inputs = writeInputs(program, arrival, workDir);
        String gatedStream = arrival.isEmpty() ? null : arrival.get(0).stream();
        List<RunResult> results = new ArrayList<>();
        Path savepoint = null;
        for (int i = 0; i < stages.size(); i++) {
            Stage stage = stages.get(i);
            Path out = workDir.resolve("out-" + i);
            Job.Builder b = builder(program, Map.of(), out, stage.parallelism(), stage.backend(), workDir.resolve("state-" + i));
            if (savepoint != null) {
                b.fromSavepoint(savepoint);
            }
            if (stage.records() < 0) {
                inputs.forEach((stream, file) -> b.input(stream, Sources.file(file)));
                Job job = b.build();
                job.run();
                results.add(read(program, arrival, out, job));
                break;
            }
            CountDownLatch reached = new CountDownLatch(1);
            b.checkpointing(new CheckpointSettings(workDir.resolve("checkpoints-" + i), Duration.ofHours(1), 3));
            inputs.forEach((stream, file) -> b.input(stream, stream.equals(gatedStream)
                    ? gate(Sources.file(file), stage.records(), reached) : Sources.file(file)));
            Job job = b.build();
            Thread runner = new Thread(job::run, "peregrine-testkit-stage-" + i);
            runner.start();
            savepoint = workDir.resolve("savepoint-" + i);
            try {
                if (!reached.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("stage " + i + " never read its " + stage.records() + " records");
                }
                job.savepoint(savepoint).get(60, TimeUnit.SECONDS);
                job.cancel();
                runner.join(60_000);
                if (runner.isAlive()) {
                    throw new IllegalStateException("stage " + i + " did not stop within 60 s of its cancel");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("the savepoint of stage " + i + " failed: " + e, e);
            }
            results.add(read(program, arrival, out, null));
        }
        return results;
    }

    /**
     * The result of {@link #runRestored}.
     *
     * @param before what the stopped job published
     * @param after what the job restored from its savepoint published (and its features at the end)
     */
    public record Restored(RunResult before, RunResult after) {
    }

    private static Job.Builder builder(Program program, Map<String, Path> inputs, Path out, int parallelism, Backend backend,
                                       Path stateDir) {
        Job.Builder job = Job.builder(program).outputDirectory(out).parallelism(parallelism);
        if (backend == Backend.ROCKSDB) {
            job.stateBackend(RocksDbStateBackend.factory(stateDir));
        }
        for (Map.Entry<String, Path> in : inputs.entrySet()) {
            job.input(in.getKey(), Sources.file(in.getValue()));
        }
        return job;
    }

    private static Map<String, Path> writeInputs(Program program, List<TestEvent> arrival, Path workDir) {
        Map<String, Path> files = new LinkedHashMap<>();
        try {
            Path in = Files.createDirectories(workDir.resolve("in"));
            for (Map.Entry<String, List<TestEvent>> s : byStream(program, arrival).entrySet()) {
                Path file = in.resolve(s.getKey() + ".jsonl");
                List<String> lines = new ArrayList<>();
                for (TestEvent e : s.getValue()) {
                    lines.add(e.json());
                }
                Files.write(file, lines, StandardCharsets.UTF_8);
                files.put(s.getKey(), file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** Every key's features of every feature set as of the end, as {@link RunResult#features()} lists them. */
    static Map<String, List<String>> features(Program program, JobFeatureView view) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (FeatureSetDefinition<?> set : program.featureSets()) {
            List<String> keys = view.keys(set.name());
            FeatureResponse r = view.get(FeatureRequest.latest(set.name(), keys));
            List<String> lines = new ArrayList<>();
            lines.add("as of " + r.asOfMillis());
            for (KeyFeatures k : r.rows()) {
                lines.add(k.key() + " " + k.found() + " " + k.lastEventMillis() + " " + k.values());
            }
            out.put(set.name(), lines);
        }
        return out;
    }

    private static RunResult read(Program program, List<TestEvent> arrival, Path out, Job job) {
        Map<String, List<TestEvent>> byStream = byStream(program, arrival);
        try {
            Map<String, List<String>> rows = new LinkedHashMap<>();
            Map<String, List<String>> timeouts = new LinkedHashMap<>();
            for (CompiledPattern p : program.patterns()) {
                rows.put(p.name(), readLines(out.resolve(p.name() + ".jsonl")));
                if (p.emitsTimeouts()) {
                    timeouts.put(p.name(), readLines(out.resolve(p.name() + ".timeouts.jsonl")));
                }
            }
            List<TestEvent> late = new ArrayList<>();
            for (String line : readLines(out.resolve("late.jsonl"))) {
                Matcher m = LATE_LINE.matcher(line);
                if (!m.find()) {
                    throw new IllegalStateException("unexpected late record " + line);
                }
                late.add(byStream.get(m.group(1)).get(Integer.parseInt(m.group(2)) - 1));
            }
            long deadLetters = readLines(out.resolve("dead-letter.jsonl")).size();
            return new RunResult(rows, timeouts, late, deadLetters,
                    job == null ? Map.of() : features(program, job.featureView()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A source that, after {@code at} records, has nothing more for now (as a live input would), so
     * the job idles there until cancelled; {@code reached} counts down when it gets there.
     */
    private static Source gate(Source inner, long at, CountDownLatch reached) {
        return new Source() {
            @Override
            public String describe() {
                return inner.describe();
            }

            @Override
            public boolean replayable() {
                return inner.replayable();
            }

            @Override
            public RecordReader open(StreamDef stream, SourcePosition from) {
                RecordReader r = inner.open(stream, from);
                return new RecordReader() {
                    private long read;

                    @Override
                    public int read(RecordBatch batch, int max) throws IOException {
                        if (read >= at) {
                            reached.countDown();
                            batch.clear();
                            return NOTHING_YET;
                        }
                        int n = r.read(batch, (int) Math.min(max, at - read));
                        if (n == END) {
                            read = at; // fewer records than the gate: hold at the end instead
                            reached.countDown();
                            batch.clear();
                            return NOTHING_YET;
                        }
                        read += Math.max(n, 0);
                        return n;
                    }

                    @Override
                    public SourcePosition position() {
                        return r.position();
                    }

                    @Override
                    public void close() throws IOException {
                        r.close();
                    }
                };
            }
        };
    }

    private static Map<String, List<TestEvent>> byStream(Program program, List<TestEvent> arrival) {
        Map<String, List<TestEvent>> byStream = new LinkedHashMap<>();
        for (StreamDef s : program.streams()) {
            byStream.put(s.name(), new ArrayList<>());
        }
        for (TestEvent e : arrival) {
            List<TestEvent> list = byStream.get(e.stream());
            if (list == null) {
                throw new IllegalArgumentException("event of unknown stream " + e.stream() + ": " + e.json());
            }
            list.add(e);
        }
        return byStream;
    }

    private static List<String> readLines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }
}
