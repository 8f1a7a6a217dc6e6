package io.peregrine.cli;

import io.peregrine.dsl.DslException;
import io.peregrine.dsl.Program;
import io.peregrine.dsl.Programs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code peregrine evaluate}: how many labelled injected fraud cases each pattern caught, and its false alerts. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Score a program's patterns against labelled data (as 'peregrine generate' writes it): per pattern,",
            "its alerts, how many were true or false, and how many injected cases of its kind (its name) it caught or",
            "missed. The matches are those 'run' finds: each stream is replayed in one thread in the runtime's order."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:ok", "1:failure while running", "2:bad arguments", "3:the program does not compile"})
final class EvaluateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PROGRAM", description = "The program file (.cep).")
    Path program;

    @Option(names = {"-i", "--input"}, paramLabel = "STREAM=FILE", required = true,
            description = "A stream's labelled input file; repeat for several streams.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--label-column", paramLabel = "NAME", defaultValue = "fraud_case",
            description = "The label column: empty for normal records, kind#n for injected cases (default: ${DEFAULT-VALUE}).")
    String labelColumn;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Program compiled;
        try {
            compiled = Programs.compile(program.toString(), ValidateCommand.read(program));
        } catch (DslException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return ExitCodes.INVALID_PROGRAM;
        }
        DetectionReport.print(DetectionReport.score(compiled, inputs(compiled, inputs, program), labelColumn),
                spec.commandLine().getOut());
        return ExitCodes.OK;
    }

    /** Parses {@code STREAM=FILE} arguments against a program's streams. */
    static Map<String, Path> inputs(Program compiled, List<String> specs, Path program) {
        Map<String, Path> out = new LinkedHashMap<>();
        for (String s : specs) {
            int eq = s.indexOf('=');
            if (eq <= 0 || eq == s.length() - 1) {
                throw new UserError(ExitCodes.USAGE, "--input needs STREAM=FILE, not '" + s + "'");
            }
            String stream = s.substring(0, eq);
            Path file = Path.of(s.substring(eq + 1));
            if (compiled.stream(stream).isEmpty()) {
                List<String> names = new ArrayList<>();
                compiled.streams().forEach(d -> names.add(d.name()));
                throw new UserError(ExitCodes.USAGE, "unknown stream '" + stream + "' in --input; " + program + " declares "
                        + String.join(", ", names));
            }
            if (!Files.isRegularFile(file)) {
                throw new UserError(ExitCodes.USAGE, "no such file: " + file);
            }
            if (out.put(stream, file) != null) {
                throw new UserError(ExitCodes.USAGE, "stream " + stream + " is given twice; evaluate reads one file per stream");
            }
        }
        return out;
    }
}
