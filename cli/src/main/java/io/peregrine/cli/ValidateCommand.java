package io.peregrine.cli;

import io.peregrine.dsl.DslException;
import io.peregrine.dsl.Program;
import io.peregrine.dsl.Programs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code peregrine validate PROGRAM}: compile a program and print its diagnostics or {@code ok}. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a program: print every error with its line and column, or 'ok'. Exit 0 when valid, 3 when not.")
final class ValidateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PROGRAM", description = "The program file (.cep).")
    Path program;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try {
            Program p = Programs.compile(program.toString(), read(program));
            spec.commandLine().getOut().println("ok: " + p.streams().size() + " stream" + (p.streams().size() == 1 ? "" : "s")
                    + ", " + p.patterns().size() + " pattern" + (p.patterns().size() == 1 ? "" : "s")
                    + (p.featureSets().isEmpty() ? "" : ", " + p.featureSets().size() + " feature set"
                            + (p.featureSets().size() == 1 ? "" : "s")));
            return ExitCodes.OK;
        } catch (DslException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return ExitCodes.INVALID_PROGRAM;
        }
    }

    /** Reads a program, turning a missing or unreadable file into a one-line usage error. */
    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserError(ExitCodes.USAGE, "no such file: " + file);
        } catch (IOException e) {
            throw new UserError(ExitCodes.USAGE, "cannot read " + file + ": " + e.getMessage());
        }
    }
}
