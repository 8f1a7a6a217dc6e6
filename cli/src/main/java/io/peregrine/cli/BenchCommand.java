package io.peregrine.cli;

import io.peregrine.dsl.CompiledPattern;
import io.peregrine.dsl.DslException;
import io.peregrine.dsl.Program;
import io.peregrine.dsl.Programs;
import io.peregrine.runtime.Job;
import io.peregrine.runtime.JobException;
import io.peregrine.runtime.JobSummary;
import io.peregrine.runtime.source.FraudDataGenerator;
import io.peregrine.runtime.source.Sources;
import io.peregrine.runtime.sink.Sinks;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code peregrine bench}: how fast this machine runs the fraud example. Generates the labelled
 * sample data once, then runs the program over it as a real job (reading and decoding the files,
 * worker threads, every pattern; outputs discarded so the disk does not count) a few times per
 * parallelism, and prints the median and best rates.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure events per second of a program (default: the fraud example) over generated sample data,",
            "as a real job: decoding, watermarks, worker threads and every pattern; outputs are discarded."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:ok", "1:failure while running", "2:bad arguments", "3:the program does not compile"})
final class BenchCommand implements Callable<Integer> {

    @Option(names = {"-n", "--events"}, paramLabel = "N", defaultValue = "1000000",
            description = "Background records to generate (default: ${DEFAULT-VALUE}); injected fraud comes on top.")
    int events;

    @Option(names = {"-p", "--parallelism"}, paramLabel = "N[,N...]", split = ",",
            description = "Worker threads to measure with (default: 1 and the number of cores).")
    int[] parallelisms;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3", description = "Runs per parallelism (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--program", paramLabel = "FILE",
            description = "A program over the streams transactions and account_events (default: examples/fraud.cep).")
    Path program;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (events < 0 || runs < 1) {
            throw new UserError(ExitCodes.USAGE, "--events must be >= 0 and --runs >= 1");
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int[] ps = parallelisms != null ? parallelisms : cores > 1 ? new int[] {1, cores} : new int[] {1};
        for (int p : ps) {
            if (p < 1) {
                throw new UserError(ExitCodes.USAGE, "--parallelism must be >= 1, was " + p);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        Program compiled;
        try {
            compiled = Programs.compile(DemoCommand.exampleName(program), DemoCommand.exampleText(program));
        } catch (DslException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return ExitCodes.INVALID_PROGRAM;
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("peregrine-bench");
        } catch (IOException e) {
            throw new UserError(ExitCodes.FAILURE, "cannot create a temporary directory: " + e.getMessage());
        }
        try {
            FraudDataGenerator.Summary data = GenerateCommand.write(FraudDataGenerator.Config.of(seed, events), dir);
            long total = data.transactions() + data.accountEvents();
            out.printf("%s over %,d generated events (%,d transactions, %,d account events), %d run(s) each, %d cores%n",
                    DemoCommand.exampleName(program), total, data.transactions(), data.accountEvents(), runs, cores);
            out.println();
            out.printf("%-12s %15s %15s%n", "parallelism", "median ev/s", "best ev/s");
            Map<String, Long> rows = null;
            for (int p : ps) {
                double[] rates = new double[runs];
                for (int r = 0; r < runs; r++) {
                    JobSummary summary = run(compiled, dir, p);
                    rates[r] = summary.eventsPerSecond();
                    if (rows == null) {
                        rows = summary.rowsPerPattern();
                    } else if (!rows.equals(summary.rowsPerPattern())) {
                        throw new UserError(ExitCodes.FAILURE, "runs disagree: " + rows + " then, at parallelism " + p
                                + ", " + summary.rowsPerPattern());
                    }
                }
                Arrays.sort(rates);
                out.printf("%-12d %,15.0f %,15.0f%n", p, rates[(runs - 1) / 2], rates[runs - 1]);
                out.flush();
            }
            out.println();
            out.println("rows per pattern (the same in every run):");
            for (Map.Entry<String, Long> e : rows.entrySet()) {
                out.printf("  %-24s %,d%n", e.getKey(), e.getValue());
            }
            out.flush();
            return ExitCodes.OK;
        } finally {
            delete(dir);
        }
    }

    private static JobSummary run(Program program, Path dir, int parallelism) {
        Job.Builder b = Job.builder(program).parallelism(parallelism)
                .lateSink(Sinks.discard()).deadLetterSink(Sinks.discard());
        for (CompiledPattern p : program.patterns()) {
            b.sink(p.name(), Sinks.discard());
            if (p.emitsTimeouts()) {
                b.timeoutSink(p.name(), Sinks.discard());
            }
        }
        List<String> inputs = new ArrayList<>();
        for (String stream : List.of("transactions", "account_events")) {
            if (program.stream(stream).isPresent()) {
                b.input(stream, Sources.file(dir.resolve(stream + ".jsonl")));
                inputs.add(stream);
            }
        }
        if (inputs.isEmpty()) {
            throw new UserError(ExitCodes.USAGE, "the program reads neither transactions nor account_events");
        }
        try {
            return b.build().run();
        } catch (JobException e) {
            throw new UserError(ExitCodes.FAILURE, e.getMessage());
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
