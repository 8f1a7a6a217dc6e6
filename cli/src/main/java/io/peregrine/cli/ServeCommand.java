package io.peregrine.cli;

import io.peregrine.dsl.DslException;
import io.peregrine.dsl.Program;
import io.peregrine.dsl.Programs;
import io.peregrine.grpc.MatchHub;
import io.peregrine.grpc.PeregrineServer;
import io.peregrine.grpc.ServedJob;
import io.peregrine.grpc.ServerLimits;
import io.peregrine.runtime.JobException;
import io.peregrine.runtime.source.Source;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code peregrine serve PROGRAM}: runs the program continuously over its file inputs and the
 * events sent to IngestService, and serves the gRPC API until stopped (Ctrl-C or SIGTERM).
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run a program continuously and serve the gRPC API (features, ingest, matches, admin).",
            "Every stream reads its --input files (if any) together with its durable ingest log in "
                    + "LOG_DIR/<stream>, which is replayed from the start on every start. Prints the bound address."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:stopped", "1:failure while running", "2:bad arguments", "3:the program does not compile"})
final class ServeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PROGRAM", description = "The program file (.cep).")
    Path program;

    @Option(names = {"-i", "--input"}, paramLabel = "STREAM=PATH",
            description = "A stream's file input, read alongside its ingest log. Repeat for several.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--grpc-port", paramLabel = "P", defaultValue = "50051",
            description = "The gRPC port (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "The address to listen on (default ${DEFAULT-VALUE}); any other than loopback needs --token-file.")
    String bind;

    @Option(names = "--token-file", paramLabel = "F",
            description = "Bearer tokens with scopes, one per line: TOKEN read,ingest,admin [NAME].")
    Path tokenFile;

    @Option(names = "--tls-cert", paramLabel = "C", description = "Server certificate chain (PEM).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "K", description = "Server private key (PKCS#8 PEM).")
    Path tlsKey;

    @Option(names = "--tls-client-ca", paramLabel = "CA", description = "Require client certificates signed by this CA (mutual TLS).")
    Path tlsClientCa;

    @Option(names = "--log-dir", paramLabel = "DIR", defaultValue = "peregrine-ingest",
            description = "Directory of the durable ingest logs (default ${DEFAULT-VALUE}).")
    Path logDir;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Also write DIR/<pattern>.jsonl, late and dead letters.")
    Path out;

    @Option(names = {"-p", "--parallelism"}, paramLabel = "N", description = "Worker threads (default: the number of cores).")
    Integer parallelism;

    @CommandLine.Mixin
    StateOptions stateOptions = new StateOptions();

    @Option(names = "--metrics-port", paramLabel = "P", description = "Serve Prometheus metrics on 127.0.0.1:P.")
    Integer metricsPort;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final CountDownLatch stop = new CountDownLatch(1);
    volatile int boundPort = -1;

    /** Ends {@link #call} as Ctrl-C does (tests). */
    void stop() {
        stop.countDown();
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        Program compiled;
        try {
            compiled = Programs.compile(program.toString(), ValidateCommand.read(program));
        } catch (DslException e) {
            err.println(e.getMessage());
            return ExitCodes.INVALID_PROGRAM;
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new UserError(ExitCodes.USAGE, "--tls-cert and --tls-key go together");
        }
        if (tlsClientCa != null && tlsCert == null) {
            throw new UserError(ExitCodes.USAGE, "--tls-client-ca needs --tls-cert and --tls-key");
        }
        for (Path p : new Path[] {tokenFile, tlsCert, tlsKey, tlsClientCa}) {
            if (p != null && !Files.isReadable(p)) {
                throw new UserError(ExitCodes.USAGE, "cannot read " + p);
            }
        }
        if (parallelism != null && parallelism < 1) {
            throw new UserError(ExitCodes.USAGE, "--parallelism must be at least 1");
        }
        Map<String, List<Source>> sources = RunCommand.sources(compiled, program, inputs);

        ServedJob job;
        try {
            job = ServedJob.start(compiled, sources, logDir, new MatchHub(compiled, ServerLimits.DEFAULTS), out, b -> {
                if (parallelism != null) {
                    b.parallelism(parallelism);
                }
                if (metricsPort != null) {
                    b.metricsPort(metricsPort);
                }
                stateOptions.configure(b, (out != null ? out : logDir).resolve(".state"));
            });
        } catch (UncheckedIOException | JobException e) {
            throw new UserError(ExitCodes.FAILURE, e.getMessage());
        }
        PeregrineServer server;
        try {
            PeregrineServer.Builder b = PeregrineServer.builder().bind(bind).port(port).job(job);
            b.checkpointing(io.peregrine.grpc.Checkpointing.of(job.job(), stateOptions.checkpointDir));
            if (tokenFile != null) {
                b.tokenFile(tokenFile);
            }
            if (tlsCert != null) {
                b.tls(tlsCert, tlsKey);
            }
            if (tlsClientCa != null) {
                b.clientCa(tlsClientCa);
            }
            server = b.start();
        } catch (IllegalStateException | IllegalArgumentException e) {
            job.close();
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        } catch (IOException e) {
            job.close();
            throw new UserError(ExitCodes.FAILURE, "cannot serve on " + bind + ":" + port + ": " + e.getMessage());
        }
        Thread hook = new Thread(stop::countDown, "peregrine-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        spec.commandLine().getOut().println("serving " + program + " on " + server.address()
                + " (ingest logs in " + logDir + ")");
        spec.commandLine().getOut().flush();
        boundPort = server.port();
        try {
            while (!stop.await(200, TimeUnit.MILLISECONDS)) {
                if (job.state() == ServedJob.State.FAILED) {
                    err.println("peregrine: the job failed: " + job.failure().getMessage());
                    return ExitCodes.FAILURE;
                }
            }
            return ExitCodes.OK;
        } finally {
            server.close();
            job.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
    }
}
