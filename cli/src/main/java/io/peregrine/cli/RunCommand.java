package io.peregrine.cli;

import io.peregrine.dsl.DslException;
import io.peregrine.dsl.Program;
import io.peregrine.dsl.Programs;
import io.peregrine.dsl.schema.DataType;
import io.peregrine.dsl.schema.Row;
import io.peregrine.feature.FeatureRequest;
import io.peregrine.feature.FeatureResponse;
import io.peregrine.feature.FeatureSetDefinition;
import io.peregrine.feature.FeatureSetInfo;
import io.peregrine.feature.KeyFeatures;
import io.peregrine.runtime.Job;
import io.peregrine.runtime.JobException;
import io.peregrine.runtime.JobFeatureView;
import io.peregrine.runtime.JobProgress;
import io.peregrine.runtime.JobSummary;
import io.peregrine.runtime.sink.JsonWriter;
import io.peregrine.runtime.source.Source;
import io.peregrine.runtime.source.Sources;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code peregrine run PROGRAM --input STREAM=PATH ... --out DIR}: run a program over files until they
 * end, write each pattern's rows, the late events and the dead letters as JSON lines, print a summary.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a program over its inputs until they end.",
            "Writes DIR/<pattern>.jsonl (the PARTITION BY columns, then the MEASURES), DIR/late.jsonl and "
                    + "DIR/dead-letter.jsonl, then prints a summary."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the inputs were processed", "1:failure while running", "2:bad arguments",
            "3:the program does not compile"})
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PROGRAM", description = "The program file (.cep).")
    Path program;

    @Option(names = {"-i", "--input"}, paramLabel = "STREAM=PATH", required = true,
            description = "A stream's input: a file (JSON lines or CSV with a header, .gz allowed), a directory of them, "
                    + "or - for standard input. Repeat for several streams or files.")
    List<String> inputs = new ArrayList<>();

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", required = true, description = "Output directory (created if missing).")
    Path out;

    @Option(names = {"-p", "--parallelism"}, paramLabel = "N", description = "Worker threads (default: the number of cores).")
    Integer parallelism;

    @Option(names = "--features-out", paramLabel = "FILE",
            description = "Write every key's features as of the end of the input: one JSON object per key (the key, "
                    + "then the features in declared order), keys in order; with several feature sets, set by set, "
                    + "each object starting with \"feature_set\".")
    Path featuresOut;

    @Option(names = "--metrics-port", paramLabel = "P",
            description = "Serve Prometheus metrics on 127.0.0.1:P while running (0 picks a free port).")
    Integer metricsPort;

    @CommandLine.Mixin
    StateOptions stateOptions = new StateOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Program compiled;
        try {
            compiled = Programs.compile(program.toString(), ValidateCommand.read(program));
        } catch (DslException e) {
            err.println(e.getMessage());
            return ExitCodes.INVALID_PROGRAM;
        }
        Map<String, List<Source>> sources = sources(compiled);
        prepareOutput();
        Job.Builder builder = Job.builder(compiled).outputDirectory(out);
        sources.forEach((stream, list) -> list.forEach(s -> builder.input(stream, s)));
        if (parallelism != null) {
            if (parallelism < 1) {
                throw new UserError(ExitCodes.USAGE, "--parallelism must be at least 1");
            }
            builder.parallelism(parallelism);
        }
        if (metricsPort != null) {
            builder.metricsPort(metricsPort);
        }
        stateOptions.configure(builder, out.resolve(".state"));
        Job job;
        try {
            job = builder.build();
        } catch (JobException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        Progress progress = new Progress(job, err, System.console() != null);
        progress.start();
        JobSummary summary;
        try {
            summary = job.run();
        } catch (JobException e) {
            throw new UserError(ExitCodes.FAILURE, e.getMessage());
        } finally {
            progress.stop();
        }
        if (metricsPort != null) {
            err.println("metrics were served on 127.0.0.1:" + job.metricsPort());
        }
        if (featuresOut != null) {
            writeFeatures(compiled, job);
        }
        spec.commandLine().getOut().print(summary.format());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }


    private void writeFeatures(Program compiled, Job job) {
        JobFeatureView view = job.featureView();
        boolean several = compiled.featureSets().size() > 1;
        try (BufferedWriter w = Files.newBufferedWriter(featuresOut, StandardCharsets.UTF_8)) {
            for (FeatureSetDefinition<Row> set : compiled.featureSets()) {
                FeatureSetInfo info = set.info();
                var schema = compiled.stream(set.stream()).map(s -> s.schema())
                        .orElseGet(() -> compiled.pattern(set.stream()).orElseThrow().outputSchema());
                boolean numericKey = schema.find(set.keyColumn()).orElseThrow().type().kind() != DataType.Kind.STRING;
                List<String> keys = view.keys(set.name());
                for (int from = 0; from < keys.size(); from += 1000) {
                    List<String> batch = keys.subList(from, Math.min(keys.size(), from + 1000));
                    FeatureResponse r = view.get(FeatureRequest.latest(set.name(), batch));
                    for (KeyFeatures k : r.rows()) {
                        String line = FeatureText.json(set.keyColumn(), numericKey ? (Object) Long.parseLong(k.key()) : k.key(),
                                info.features(), k.values());
                        if (several) {
                            line = "{\"feature_set\":" + new JsonWriter().string(set.name()) + "," + line.substring(1);
                        }
                        w.write(line);
                        w.write('\n');
                    }
                }
            }
        } catch (IOException e) {
            throw new UserError(ExitCodes.FAILURE, "cannot write " + featuresOut + ": " + e.getMessage());
        }
    }

    private Map<String, List<Source>> sources(Program compiled) {
        return sources(compiled, program, inputs);
    }

    /** {@code --input STREAM=PATH} options as sources per stream ({@code -} is standard input). */
    static Map<String, List<Source>> sources(Program compiled, Path program, List<String> inputs) {
        Map<String, List<Source>> sources = new LinkedHashMap<>();
        for (String spec : inputs) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new UserError(ExitCodes.USAGE, "--input needs STREAM=PATH, not '" + spec + "'");
            }
            String stream = spec.substring(0, eq);
            String path = spec.substring(eq + 1);
            if (compiled.stream(stream).isEmpty()) {
                List<String> names = new ArrayList<>();
                compiled.streams().forEach(s -> names.add(s.name()));
                throw new UserError(ExitCodes.USAGE, "unknown stream '" + stream + "' in --input; " + program + " declares "
                        + String.join(", ", names));
            }
            Source source;
            if (path.equals("-")) {
                source = Sources.stdin();
            } else {
                Path p = Path.of(path);
                if (!Files.exists(p)) {
                    throw new UserError(ExitCodes.USAGE, "no such file or directory: " + p);
                }
                if (!Files.isReadable(p)) {
                    throw new UserError(ExitCodes.USAGE, "cannot read " + p);
                }
                source = Sources.file(p);
            }
            sources.computeIfAbsent(stream, k -> new ArrayList<>()).add(source);
        }
        return sources;
    }

    private void prepareOutput() {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UserError(ExitCodes.USAGE, "cannot create output directory " + out + ": " + e.getMessage());
        }
        if (!Files.isWritable(out)) {
            throw new UserError(ExitCodes.USAGE, "output directory " + out + " is not writable");
        }
    }

    /**
     * Events, rate, watermark and rows while the job runs: a line rewritten in place on a terminal,
     * a plain line every 10 s otherwise.
     */
    static final class Progress {
        private final Job job;
        private final PrintWriter err;
        private final boolean terminal;
        private final Thread thread;
        private volatile boolean running = true;

        Progress(Job job, PrintWriter err, boolean terminal) {
            this.job = job;
            this.err = err;
            this.terminal = terminal;
            this.thread = new Thread(this::loop, "peregrine-progress");
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() {
            running = false;
            thread.interrupt();
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (terminal) {
                err.print("\r\033[K");
                err.flush();
            }
        }

        private void loop() {
            long period = terminal ? 500 : 10_000;
            while (running) {
                try {
                    Thread.sleep(period);
                } catch (InterruptedException e) {
                    return;
                }
                JobProgress p = job.progress();
                String watermark = p.watermark() == Long.MIN_VALUE || p.watermark() == Long.MAX_VALUE ? "-"
                        : Instant.ofEpochMilli(p.watermark()).toString();
                String line = String.format(Locale.ROOT, "%,d events  %,.0f/s  watermark %s  %,d rows  %.0f s",
                        p.events(), p.eventsPerSecond(), watermark, p.rows(), p.seconds());
                err.print(terminal ? "\r\033[K" + line : line + "\n");
                err.flush();
            }
        }
    }
}
