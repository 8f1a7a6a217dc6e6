package io.peregrine.cli;

import io.peregrine.runtime.source.FraudDataGenerator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code peregrine generate}: seeded synthetic transactions and account events with labelled injected fraud. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Write seeded synthetic data for examples/fraud.cep into DIR: transactions.jsonl (card payments",
            "with a location) and account_events.jsonl (logins, password resets, transfers, deposits), a little out",
            "of order. Injected fraud (card testing, impossible travel, account takeover, velocity spike, structuring)",
            "is labelled in a fraud_case column (kind#n; empty for normal traffic), which the program does not declare.",
            "The background has look-alikes, so detectors raise some false alerts. The same seed gives the same files."})
final class GenerateCommand implements Callable<Integer> {

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", required = true, description = "The directory to write into (created if missing).")
    Path out;

    @Option(names = {"-n", "--events"}, paramLabel = "N", defaultValue = "200000",
            description = "Background records over both files (default: ${DEFAULT-VALUE}); injected cases come on top.")
    int events;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--accounts", paramLabel = "A", defaultValue = "2000", description = "Customers, one card each (default: ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--cases", paramLabel = "C", defaultValue = "10", description = "Injected cases of each kind (default: ${DEFAULT-VALUE}).")
    int cases;

    @Option(names = "--days", paramLabel = "D", defaultValue = "2", description = "Days of event time (default: ${DEFAULT-VALUE}).")
    int days;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (events < 0 || accounts < 1 || cases < 0 || days < 1) {
            throw new UserError(ExitCodes.USAGE, "--events and --cases must be >= 0, --accounts and --days >= 1");
        }
        if (out.toString().endsWith(".jsonl")) {
            throw new UserError(ExitCodes.USAGE, "--out names a directory (it gets transactions.jsonl and account_events.jsonl), not "
                    + out);
        }
        FraudDataGenerator.Summary s = write(new FraudDataGenerator.Config(seed, events, accounts, cases, days, 2_000), out);
        spec.commandLine().getErr().printf("wrote %,d transactions to %s and %,d account events to %s (%d injected cases)%n",
                s.transactions(), out.resolve(TRANSACTIONS), s.accountEvents(), out.resolve(ACCOUNT_EVENTS), s.cases());
        return ExitCodes.OK;
    }

    static final String TRANSACTIONS = "transactions.jsonl";
    static final String ACCOUNT_EVENTS = "account_events.jsonl";

    /** Writes both files into {@code dir}; an I/O failure is a one-line user error. */
    static FraudDataGenerator.Summary write(FraudDataGenerator.Config config, Path dir) {
        try {
            Files.createDirectories(dir);
            try (Writer t = new BufferedWriter(Files.newBufferedWriter(dir.resolve(TRANSACTIONS), StandardCharsets.UTF_8), 1 << 16);
                 Writer a = new BufferedWriter(Files.newBufferedWriter(dir.resolve(ACCOUNT_EVENTS), StandardCharsets.UTF_8), 1 << 16)) {
                return FraudDataGenerator.write(config, t, a);
            }
        } catch (IOException e) {
            throw new UserError(ExitCodes.FAILURE, "cannot write into " + dir + ": " + e.getMessage());
        }
    }
}
