package io.peregrine.testkit;

import io.peregrine.dsl.CompiledPattern;
import io.peregrine.dsl.Program;
import io.peregrine.dsl.StreamDef;
import io.peregrine.runtime.Job;
import io.peregrine.runtime.JobTestDriver;
import io.peregrine.runtime.sink.LateEvent;
import io.peregrine.runtime.source.Sources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
            return new RunResult(rows, timeouts, late, driver.deadLetters().size());
        }
    }

    /**
     * Runs a {@link Job} with {@code parallelism} worker threads: writes each stream's events to a file
     * under {@code workDir} and reads the job's output files back.
     */
    public static RunResult runJob(Program program, List<TestEvent> arrival, int parallelism, Path workDir) {
        Map<String, List<TestEvent>> byStream = byStream(program, arrival);
        try {
            Path in = Files.createDirectories(workDir.resolve("in"));
            Path out = workDir.resolve("out");
            Job.Builder job = Job.builder(program).outputDirectory(out).parallelism(parallelism);
            for (Map.Entry<String, List<TestEvent>> s : byStream.entrySet()) {
                Path file = in.resolve(s.getKey() + ".jsonl");
                List<String> lines = new ArrayList<>();
                for (TestEvent e : s.getValue()) {
                    lines.add(e.json());
                }
                Files.write(file, lines, StandardCharsets.UTF_8);
                job.input(s.getKey(), Sources.file(file));
            }
            job.build().run();
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
            return new RunResult(rows, timeouts, late, deadLetters);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
