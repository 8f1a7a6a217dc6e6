package io.peregrine.cli;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code peregrine}: the top-level command; everything happens in its subcommands. */
@Command(
        name = "peregrine",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Complex event processing and online ML features: run fraud patterns over event streams.",
        subcommands = {RunCommand.class, ServeCommand.class, QueryCommand.class, SavepointCommand.class, BackfillCommand.class, GenerateCommand.class, ValidateCommand.class, ExplainCommand.class, EvaluateCommand.class, DemoCommand.class, BenchCommand.class, CompletionCommand.class, VersionCommand.class, CommandLine.HelpCommand.class})
final class PeregrineCommand implements Runnable {

    @Option(names = {"-v", "--verbose"}, description = "Print details, including stack traces of failures.", scope = CommandLine.ScopeType.INHERIT)
    boolean verbose;

    @Option(names = "--config", paramLabel = "FILE", scope = CommandLine.ScopeType.INHERIT,
            description = "Settings from a properties file (also $PEREGRINE_CONFIG): long option names as keys, alone "
                    + "(parallelism = 2) or for one command (run.checkpoint-dir = DIR); flags override it.")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    /** The command line with the settings of the config file named in {@code args} or $PEREGRINE_CONFIG. */
    static CommandLine commandLine(String... args) {
        CommandLine cl = commandLine();
        ConfigFile.install(cl, args, System.getenv("PEREGRINE_CONFIG"));
        return cl;
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new PeregrineCommand());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean verbose = parseResult.hasMatchedOption("-v") || parseResult.hasMatchedOption("--verbose")
                    || isVerbose(parseResult);
            if (ex instanceof UserError) {
                commandLine.getErr().println("peregrine: " + ex.getMessage());
                return ((UserError) ex).exitCode();
            }
            commandLine.getErr().println("peregrine: " + ex);
            if (verbose) {
                ex.printStackTrace(commandLine.getErr());
            } else {
                commandLine.getErr().println("(run with -v for details)");
            }
            return ExitCodes.FAILURE;
        });
        return cl;
    }

    private static boolean isVerbose(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("-v")) {
                return true;
            }
        }
        return false;
    }
}
