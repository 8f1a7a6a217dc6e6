package io.peregrine.cli;

import picocli.CommandLine;

/** Entry point of the {@code peregrine} command. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (see {@link ExitCodes}). */
    public static int run(String... args) {
        CommandLine cl;
        try {
            cl = PeregrineCommand.commandLine(args);
        } catch (UserError e) {
            System.err.println("peregrine: " + e.getMessage());
            return e.exitCode();
        }
        return cl.execute(args);
    }
}
