package io.peregrine.testkit;

import io.peregrine.dsl.Program;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Assertions about a program over all inputs, for use in jqwik properties: each takes events in
 * event-time order (as {@link StreamEvents} makes them) and a seed for the disorder it draws, and
 * throws an {@link AssertionError} naming the first difference.
 *
 * <pre>{@code
 * @Property(tries = 200)
 * void cardTestingIgnoresArrivalOrder(@ForAll("events") List<TestEvent> events, @ForAll long seed) {
 *     ProgramAssertions.assertOrderInvariant(PROGRAM, events, seed);
 * }
 * }</pre>
 */
public final class ProgramAssertions {

    private static final int SHUFFLES = 3;

    private ProgramAssertions() {
    }

    /**
     * Any arrival order within the streams' out-of-orderness bounds gives the same rows, byte for
     * byte, as event-time order, and no late events. Tries a few bounded shuffles drawn from {@code seed}.
     *
     * @return what the program wrote for event-time order (for statistics on what was tested)
     */
    public static RunResult assertOrderInvariant(Program program, List<TestEvent> inOrder, long seed) {
        RunResult expected = ProgramRunner.run(program, inOrder);
        expectNoLate(expected, "in event-time order");
        for (int i = 0; i < SHUFFLES; i++) {
            List<TestEvent> arrival = Disorder.boundedShuffle(program, inOrder, seed + i);
            RunResult actual = ProgramRunner.run(program, arrival);
            String what = "arrival order " + arrival + " (bounded shuffle, seed " + (seed + i) + ")";
            expectNoLate(actual, what);
            expectSameRows(expected, actual, what);
        }
        return expected;
    }

    /**
     * Events made late go to the late output, exactly those, and change nothing else: the rows are
     * those of the same arrival order without them.
     */
    public static void assertLateEventsIsolated(Program program, List<TestEvent> inOrder, int lateEvents, long seed) {
        List<TestEvent> arrival = Disorder.boundedShuffle(program, inOrder, seed);
        Disorder.LateInjection injection = Disorder.injectLate(program, arrival, lateEvents, seed);
        RunResult actual = ProgramRunner.run(program, injection.arrival());
        String what = "arrival order " + injection.arrival() + " with late events " + injection.late();
        if (!actual.late().equals(injection.late())) {
            throw new AssertionError("late output: expected " + injection.late() + " but was " + actual.late()
                    + "\nfor " + what);
        }
        expectSameRows(ProgramRunner.run(program, injection.onTime()), actual, what);
    }

    /**
     * A job with worker threads writes the same files for each parallelism as the single-threaded
     * driver (events given per stream in arrival order).
     */
    public static void assertParallelismInvariant(Program program, List<TestEvent> arrival, int... parallelisms) {
        RunResult expected = ProgramRunner.run(program, arrival);
        for (int p : parallelisms) {
            Path dir = tempDir();
            try {
                RunResult actual = ProgramRunner.runJob(program, arrival, p, dir);
                String what = "a job at parallelism " + p + " over " + arrival;
                expectSameRows(expected, actual, what);
                if (!expected.late().equals(actual.late())) {
                    throw new AssertionError("late output of " + what + ": expected " + expected.late()
                            + " but was " + actual.late());
                }
            } finally {
                delete(dir);
            }
        }
    }

    /** Heap and RocksDB state give the same files (at parallelism 2). */
    public static void assertBackendInvariant(Program program, List<TestEvent> arrival) {
        RunResult expected = ProgramRunner.run(program, arrival);
        for (ProgramRunner.Backend backend : ProgramRunner.Backend.values()) {
            Path dir = tempDir();
            try {
                RunResult actual = ProgramRunner.runJob(program, arrival, 2, dir, backend);
                expectSameRows(expected, actual, "a job on " + backend + " over " + arrival);
            } finally {
                delete(dir);
            }
        }
    }

    /**
     * Stopping anywhere and resuming from a savepoint, at another parallelism and on another state
     * backend, loses and repeats nothing: what the stopped job published followed by what the
     * restored job published is, file by file, what an uninterrupted job publishes.
     *
     * @param stopAfter records of the first event's stream read before the savepoint (it lands at the
     *     next chunk boundary)
     * @return what the stopped and the restored job published
     */
    public static ProgramRunner.Restored assertRestoresAnywhere(Program program, List<TestEvent> arrival, long stopAfter,
                                              int parallelismBefore, int parallelismAfter,
                                              ProgramRunner.Backend backendAfter) {
        Path dir = tempDir();
        try {
            RunResult expected = ProgramRunner.runJob(program, arrival, parallelismBefore, dir.resolve("reference"));
            ProgramRunner.Restored r = ProgramRunner.runRestored(program, arrival, stopAfter, parallelismBefore,
                    parallelismAfter, backendAfter, dir.resolve("restored"));
            String what = "a job stopped after " + stopAfter + " records at parallelism " + parallelismBefore
                    + ", resumed at parallelism " + parallelismAfter + " on " + backendAfter;
            compare("rows", expected.rows(), concat(r.before().rows(), r.after().rows()), what);
            compare("timeouts", expected.timeouts(), concat(r.before().timeouts(), r.after().timeouts()), what);
            compare("features", expected.features(), r.after().features(), what);
            List<TestEvent> late = new java.util.ArrayList<>(r.before().late());
            late.addAll(r.after().late());
            if (!expected.late().equals(late)) {
                throw new AssertionError("late output of " + what + ": expected " + expected.late() + " but was " + late);
            }
            return r;
        } finally {
            delete(dir);
        }
    }

    /**
     * A chain of jobs, each stopped after some records, savepointed, cancelled and resumed by the next
     * at its own parallelism and backend, publishes exactly what one uninterrupted job does, and ends
     * with the same features.
     */
    public static void assertSurvivesRestarts(Program program, List<TestEvent> arrival, List<ProgramRunner.Stage> stages) {
        Path dir = tempDir();
        try {
            RunResult expected = ProgramRunner.runJob(program, arrival, stages.get(0).parallelism(), dir.resolve("reference"));
            List<RunResult> r = ProgramRunner.runStages(program, arrival, stages, dir.resolve("chain"));
            Map<String, List<String>> rows = Map.of();
            Map<String, List<String>> timeouts = Map.of();
            List<TestEvent> late = new java.util.ArrayList<>();
            for (RunResult part : r) {
                rows = concat(rows, part.rows());
                timeouts = concat(timeouts, part.timeouts());
                late.addAll(part.late());
            }
            String what = "the chain " + stages;
            compare("rows", expected.rows(), rows, what);
            compare("timeouts", expected.timeouts(), timeouts, what);
            compare("features", expected.features(), r.get(r.size() - 1).features(), what);
            if (!expected.late().equals(late)) {
                throw new AssertionError("late output of " + what + ": expected " + expected.late() + " but was " + late);
            }
        } finally {
            delete(dir);
        }
    }

    private static Map<String, List<String>> concat(Map<String, List<String>> a, Map<String, List<String>> b) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : b.entrySet()) {
            List<String> all = new java.util.ArrayList<>(a.getOrDefault(e.getKey(), List.of()));
            all.addAll(e.getValue());
            out.put(e.getKey(), all);
        }
        return out;
    }

    static void expectSameRows(RunResult expected, RunResult actual, String what) {
        compare("rows", expected.rows(), actual.rows(), what);
        compare("timeouts", expected.timeouts(), actual.timeouts(), what);
        compare("features", expected.features(), actual.features(), what);
        if (expected.deadLetters() != actual.deadLetters()) {
            throw new AssertionError("dead letters: expected " + expected.deadLetters() + " but was "
                    + actual.deadLetters() + " for " + what);
        }
    }

    private static void compare(String kind, Map<String, List<String>> expected, Map<String, List<String>> actual,
                                String what) {
        for (Map.Entry<String, List<String>> e : expected.entrySet()) {
            List<String> a = actual.getOrDefault(e.getKey(), List.of());
            List<String> x = e.getValue();
            for (int i = 0; i < Math.max(a.size(), x.size()); i++) {
                String xi = i < x.size() ? x.get(i) : "(nothing)";
                String ai = i < a.size() ? a.get(i) : "(nothing)";
                if (!Objects.equals(xi, ai)) {
                    throw new AssertionError(kind + " of " + e.getKey() + " differ at " + i + ":\n  expected " + xi
                            + "\n  but was  " + ai + "\n(" + x.size() + " expected, " + a.size() + " actual) for "
                            + what);
                }
            }
        }
    }

    private static void expectNoLate(RunResult result, String what) {
        if (!result.late().isEmpty()) {
            throw new AssertionError("late events " + result.late() + " in " + what);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("peregrine-testkit");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
