package io.peregrine.cli;

import io.peregrine.dsl.DslException;
import io.peregrine.dsl.Program;
import io.peregrine.dsl.Programs;
import io.peregrine.runtime.Job;
import io.peregrine.runtime.JobException;
import io.peregrine.runtime.JobFeatureView;
import io.peregrine.runtime.JobSummary;
import io.peregrine.feature.FeatureSetDefinition;
import io.peregrine.grpc.PeregrineClient;
import io.peregrine.grpc.PeregrineServer;
import io.peregrine.grpc.v1.GetFeaturesRequest;
import io.peregrine.grpc.v1.GetFeaturesResponse;
import java.time.Duration;
import java.util.Arrays;
import io.peregrine.runtime.source.FraudDataGenerator;
import io.peregrine.runtime.source.Sources;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code peregrine demo}: generate labelled data, run the fraud example over it with the runtime,
 * print how many injected cases each pattern caught and how many alerts were false. The work is a
 * list of {@link Step}s over one {@link Context}, so further steps (serving the features over gRPC
 * and querying a few) slot in between.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Generate labelled sample data, run examples/fraud.cep over it (five fraud patterns on two streams),",
            "and print the run's summary and a detection report: per pattern, injected cases caught and missed, true and",
            "false alerts."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:ok", "1:failure while running", "2:bad arguments", "3:the program does not compile"})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Where to put the data and the output (default: a new temporary directory).")
    Path dir;

    @Option(names = {"-n", "--events"}, paramLabel = "N", defaultValue = "200000", description = "Background records (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--program", paramLabel = "FILE",
            description = "The program (default: examples/fraud.cep, or the copy packed into the command).")
    Path program;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What the steps share. */
    static final class Context {
        final PrintWriter out;
        final PrintWriter err;
        Path dir;
        Program program;
        Map<String, Path> inputs = new LinkedHashMap<>();
        JobSummary summary;
        Job job;

        Context(PrintWriter out, PrintWriter err) {
            this.out = out;
            this.err = err;
        }
    }

    /** One step of the demo. */
    interface Step {
        String title();

        void run(Context context);
    }

    private record NamedStep(String title, java.util.function.Consumer<Context> action) implements Step {
        @Override
        public void run(Context context) {
            action.accept(context);
        }
    }

    @Override
    public Integer call() {
        if (events < 0) {
            throw new UserError(ExitCodes.USAGE, "--events must be >= 0");
        }
        Context ctx = new Context(spec.commandLine().getOut(), spec.commandLine().getErr());
        try {
            ctx.program = Programs.compile(exampleName(program), exampleText(program));
        } catch (DslException e) {
            ctx.err.println(e.getMessage());
            return ExitCodes.INVALID_PROGRAM;
        }
        try {
            ctx.dir = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("peregrine-demo");
        } catch (IOException e) {
            throw new UserError(ExitCodes.USAGE, "cannot create " + dir + ": " + e.getMessage());
        }
        List<Step> steps = List.of(
                new NamedStep("generate labelled data", this::generate),
                new NamedStep("run the patterns", DemoCommand::runJob),
                new NamedStep("serve the features over gRPC and query a few", DemoCommand::serve),
                new NamedStep("score the alerts against the labels", DemoCommand::report));
        for (int i = 0; i < steps.size(); i++) {
            ctx.out.printf("[%d/%d] %s%n", i + 1, steps.size(), steps.get(i).title());
            ctx.out.flush();
            steps.get(i).run(ctx);
        }
        ctx.out.println("data and output are in " + ctx.dir);
        ctx.out.flush();
        return ExitCodes.OK;
    }

    private void generate(Context ctx) {
        FraudDataGenerator.Summary s = GenerateCommand.write(FraudDataGenerator.Config.of(seed, events), ctx.dir);
        ctx.inputs.put("transactions", ctx.dir.resolve(GenerateCommand.TRANSACTIONS));
        ctx.inputs.put("account_events", ctx.dir.resolve(GenerateCommand.ACCOUNT_EVENTS));
        ctx.out.printf("      %,d transactions, %,d account events, %d injected fraud cases in %s%n",
                s.transactions(), s.accountEvents(), s.cases(), ctx.dir);
    }

    private static void runJob(Context ctx) {
        Path out = ctx.dir.resolve("out");
        Job.Builder b = Job.builder(ctx.program).outputDirectory(out);
        for (Map.Entry<String, Path> in : ctx.inputs.entrySet()) {
            if (ctx.program.stream(in.getKey()).isEmpty()) {
                throw new UserError(ExitCodes.USAGE, "the demo program must declare stream " + in.getKey());
            }
            b.input(in.getKey(), Sources.file(in.getValue()));
        }
        Job job;
        try {
            Files.createDirectories(out);
            job = b.build();
        } catch (IOException | JobException e) {
            throw new UserError(ExitCodes.FAILURE, "cannot start the job: " + e.getMessage());
        }
        RunCommand.Progress progress = new RunCommand.Progress(job, ctx.err, System.console() != null);
        progress.start();
        ctx.job = job;
        try {
            ctx.summary = job.run();
        } catch (JobException e) {
            throw new UserError(ExitCodes.FAILURE, e.getMessage());
        } finally {
            progress.stop();
        }
        ctx.out.print(ctx.summary.format().indent(6));
        ctx.out.println("      rows in " + out);
    }

    /**
     * Serves the finished job's features on a loopback port, reads a few keys of each feature set
     * through the Java client (what a model server would do) and times single-key reads.
     */
    private static void serve(Context ctx) {
        if (ctx.program.featureSets().isEmpty()) {
            ctx.out.println("      the program declares no feature sets: nothing to serve");
            return;
        }
        JobFeatureView view = ctx.job.featureView();
        try (PeregrineServer server = PeregrineServer.builder().bind("127.0.0.1").port(0).program(ctx.program)
                .featureView(view).start();
             PeregrineClient client = PeregrineClient.builder(server.address()).deadline(Duration.ofSeconds(10)).build()) {
            ctx.out.println("      serving peregrine.v1 on " + server.address());
            String timedSet = null;
            String timedKey = null;
            for (FeatureSetDefinition<?> set : ctx.program.featureSets()) {
                List<String> keys = view.keys(set.name());
                if (keys.isEmpty()) {
                    continue;
                }
                List<String> some = keys.subList(0, Math.min(3, keys.size()));
                GetFeaturesResponse r = client.getFeatures(GetFeaturesRequest.newBuilder()
                        .setFeatureSet(set.name()).addAllKeys(some).build());
                ctx.out.printf("      %s (%,d keys), first %d:%n", set.name(), keys.size(), some.size());
                ctx.out.print(QueryCommand.table(r).indent(8));
                if (timedSet == null) {
                    timedSet = set.name();
                    timedKey = some.get(0);
                }
            }
            if (timedSet != null) {
                GetFeaturesRequest one = GetFeaturesRequest.newBuilder().setFeatureSet(timedSet).addKeys(timedKey).build();
                int n = 2_000;
                long[] nanos = new long[n];
                for (int i = -500; i < n; i++) { // the first 500 warm the connection and the JIT
                    long t0 = System.nanoTime();
                    client.getFeatures(one);
                    if (i >= 0) {
                        nanos[i] = System.nanoTime() - t0;
                    }
                }
                Arrays.sort(nanos);
                ctx.out.printf("      %,d GetFeatures of one %s key over loopback: p50 %.0f us, p99 %.0f us%n", n, timedSet,
                        nanos[n / 2] / 1e3, nanos[n * 99 / 100] / 1e3);
            }
        } catch (IOException | RuntimeException e) {
            throw new UserError(ExitCodes.FAILURE, "serving the features failed: " + e.getMessage());
        }
    }

    private static void report(Context ctx) {
        List<DetectionReport.Score> scores = DetectionReport.score(ctx.program, ctx.inputs, FraudDataGenerator.LABEL_COLUMN);
        DetectionReport.print(scores, ctx.out);
        for (DetectionReport.Score s : scores) {
            Long rows = ctx.summary.rowsPerPattern().get(s.pattern());
            if (rows != null && rows != s.alerts()) {
                // one row per match for these patterns: the replay must agree with the run
                ctx.out.printf("note: %s wrote %d rows but the replay found %d matches%n", s.pattern(), rows, s.alerts());
            }
        }
    }

    /** The name of {@code program}, or of the bundled example when it is null. */
    static String exampleName(Path program) {
        return program != null ? program.toString() : "examples/fraud.cep";
    }

    /** The text of {@code program}, or of the bundled example (from the working directory, else the jar). */
    static String exampleText(Path program) {
        if (program != null) {
            return ValidateCommand.read(program);
        }
        Path local = Path.of("examples", "fraud.cep");
        if (Files.isRegularFile(local)) {
            return ValidateCommand.read(local);
        }
        try (InputStream in = DemoCommand.class.getResourceAsStream("fraud.cep")) {
            if (in == null) {
                throw new UserError(ExitCodes.USAGE, "no examples/fraud.cep here; give --program FILE");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError(ExitCodes.FAILURE, "cannot read the packed fraud.cep: " + e.getMessage());
        }
    }
}
