package io.peregrine.bench;

import io.peregrine.runtime.source.TransactionGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A JSON-lines transactions file written by the runtime's {@link TransactionGenerator} (what
 * {@code peregrine generate} writes), made once and reused: beside it {@code FILE.params} holds the
 * generator configuration it was made with, and a file whose configuration differs (or that has
 * none, or was left half written) is made again.
 */
final class TransactionsFile {

    private TransactionsFile() {}

    /** The default name for a configuration, in {@code dir}. */
    static Path defaultPath(Path dir, TransactionGenerator.Config c) {
        return dir.resolve(String.format(java.util.Locale.ROOT, "e2e-transactions-s%d-n%d-c%d-r%s.jsonl", c.seed(),
                c.events(), c.cards(), Double.toString(c.eventsPerSecond()).replace('.', '_')));
    }

    /** Writes {@code file} unless it already holds this configuration's records; true when it wrote it. */
    static boolean ensure(Path file, TransactionGenerator.Config config) throws IOException {
        Path params = file.resolveSibling(file.getFileName() + ".params");
        String expected = config.toString();
        if (Files.isRegularFile(file) && Files.isRegularFile(params)
                && Files.readString(params, StandardCharsets.UTF_8).strip().equals(expected)) {
            return false;
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Files.deleteIfExists(params);
        Path partial = Files.createTempFile(dir, file.getFileName().toString(), ".partial");
        try {
            long n;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16)) {
                n = TransactionGenerator.writeJsonLines(config, out);
            }
            if (n != config.events()) {
                throw new IOException("the generator wrote " + n + " records, expected " + config.events());
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        Files.writeString(params, expected + "\n", StandardCharsets.UTF_8);
        return true;
    }
}
