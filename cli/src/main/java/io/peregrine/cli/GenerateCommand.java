package io.peregrine.cli;

import io.peregrine.runtime.source.TransactionGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code peregrine generate}: seeded synthetic card transactions as JSON lines, with injected card testing. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Write seeded synthetic card transactions as JSON lines (card_id, amount, merchant_id, country, ts),",
            "a little out of order, with injected card-testing bursts. The same seed gives the same file."})
final class GenerateCommand implements Callable<Integer> {

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", required = true, description = "The file to write (- for standard output).")
    String out;

    @Option(names = {"-n", "--events"}, paramLabel = "N", defaultValue = "100000", description = "Records (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--cards", paramLabel = "C", defaultValue = "10000", description = "Distinct cards (default: ${DEFAULT-VALUE}).")
    int cards;

    @Option(names = "--fraud-rate", paramLabel = "R", defaultValue = "0.001",
            description = "Chance per record of injecting a card-testing burst (default: ${DEFAULT-VALUE}).")
    double fraudRate;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (events < 0 || cards < 1 || fraudRate < 0 || fraudRate > 1) {
            throw new UserError(ExitCodes.USAGE, "--events must be >= 0, --cards >= 1 and --fraud-rate within 0..1");
        }
        TransactionGenerator.Config config = TransactionGenerator.Config.of(seed, events).withCards(cards).withFraudRate(fraudRate);
        try {
            long n;
            if (out.equals("-")) {
                n = TransactionGenerator.writeJsonLines(config, System.out);
                System.out.flush();
            } else {
                Path path = Path.of(out);
                if (path.getParent() != null) {
                    Files.createDirectories(path.getParent());
                }
                try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16)) {
                    n = TransactionGenerator.writeJsonLines(config, os);
                }
                spec.commandLine().getErr().printf("wrote %,d transactions to %s%n", n, path);
            }
        } catch (IOException e) {
            throw new UserError(ExitCodes.FAILURE, "cannot write " + out + ": " + e.getMessage());
        }
        return ExitCodes.OK;
    }
}
