package io.peregrine.runtime.checkpoint;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoint directory: {@code chk-<id>/} per checkpoint holding the workers' state files and,
 * written last and atomically (temporary file, fsync, rename, fsync of the directory), its
 * {@code MANIFEST}. A savepoint is the same layout in a directory of its own.
 */
public final class CheckpointStorage {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStorage.class);
    public static final String MANIFEST = "MANIFEST";
    private static final String PREFIX = "chk-";

    private final Path root;
    private final int retained;

    /** A checkpoint read back and verified. */
    public record Loaded(Path directory, CheckpointManifest manifest) {}

    /** Writes a state file and says its length and checksum. */
    @FunctionalInterface
    public interface StateWriter {
        void write(DataOutputStream out) throws IOException;
    }

    public CheckpointStorage(Path root, int retained) {
        this.root = root;
        this.retained = retained;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new CheckpointException("cannot create checkpoint directory " + root + ": " + e, e);
        }
    }

    public Path root() {
        return root;
    }

    public Path directoryOf(long id) {
        return root.resolve(String.format("%s%012d", PREFIX, id));
    }

    /** A fresh directory for a checkpoint (a leftover of a crashed attempt with that id is removed). */
    public Path create(long id) {
        Path dir = directoryOf(id);
        try {
            deleteRecursively(dir);
            Files.createDirectories(dir);
        } catch (IOException | UncheckedIOException e) {
            throw new CheckpointException("cannot create checkpoint directory " + dir + ": " + e, e);
        }
        return dir;
    }

    /** The ids of the {@code chk-*} directories, newest first (complete or not). */
    public List<Long> ids() {
        List<Long> ids = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return ids;
        }
        try (Stream<Path> list = Files.list(root)) {
            list.forEach(p -> {
                String n = p.getFileName().toString();
                if (n.startsWith(PREFIX)) {
                    try {
                        ids.add(Long.parseLong(n.substring(PREFIX.length())));
                    } catch (NumberFormatException e) {
                        // not ours
                    }
                }
            });
        } catch (IOException e) {
            throw new CheckpointException("cannot list checkpoint directory " + root + ": " + e, e);
        }
        ids.sort(Comparator.reverseOrder());
        return ids;
    }

    /**
     * The newest complete checkpoint that verifies; newer ones that do not (no manifest yet: an attempt
     * cut short; a truncated or corrupt manifest or state file) are skipped with a warning.
     */
    public Optional<Loaded> latest() {
        for (long id : ids()) {
            Path dir = directoryOf(id);
            if (!Files.exists(dir.resolve(MANIFEST))) {
                LOG.warn("skipping checkpoint {}: it has no manifest (it was cut short)", dir);
                continue;
            }
            try {
                return Optional.of(load(dir));
            } catch (CheckpointException e) {
                LOG.warn("skipping checkpoint {}: {}", dir, e.getMessage());
            }
        }
        return Optional.empty();
    }

    /**
     * Reads a checkpoint or savepoint directory and verifies every state file's length and checksum.
     *
     * @throws CheckpointException naming the directory and what is wrong
     */
    public static Loaded load(Path dir) {
        Path manifestFile = dir.resolve(MANIFEST);
        CheckpointManifest m;
        try {
            m = CheckpointManifest.fromBytes(Files.readAllBytes(manifestFile));
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + manifestFile + ": " + e.getMessage(), e);
        }
        for (CheckpointManifest.StateFile f : m.stateFiles()) {
            Path p = dir.resolve(f.name());
            try (InputStream in = Files.newInputStream(p)) {
                CRC32 crc = new CRC32();
                byte[] buf = new byte[1 << 16];
                long length = 0;
                int n;
                while ((n = in.read(buf)) > 0) {
                    crc.update(buf, 0, n);
                    length += n;
                }
                if (length != f.length() || crc.getValue() != f.crc32()) {
                    throw new CheckpointException("state file " + p + " has " + length + " bytes (checksum "
                            + Long.toHexString(crc.getValue()) + "), the manifest says " + f.length() + " (checksum "
                            + Long.toHexString(f.crc32()) + ")", null);
                }
            } catch (IOException e) {
                throw new CheckpointException("cannot read state file " + p + ": " + e, e);
            }
        }
        return new Loaded(dir, m);
    }

    /** Writes a state file into a checkpoint directory, synced to disk. */
    public static CheckpointManifest.StateFile writeStateFile(Path dir, String name, StateWriter writer) {
        Path p = dir.resolve(name);
        try (FileOutputStream file = new FileOutputStream(p.toFile())) {
            CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(file, 1 << 16), new CRC32());
            DataOutputStream out = new DataOutputStream(checked);
            writer.write(out);
            out.flush();
            file.getChannel().force(true);
            return new CheckpointManifest.StateFile(name, file.getChannel().size(), checked.getChecksum().getValue());
        } catch (IOException e) {
            throw new CheckpointException("cannot write state file " + p + ": " + e, e);
        }
    }

    /** Writes the manifest last: temporary file, fsync, atomic rename, fsync of the directory. */
    public static void writeManifest(Path dir, CheckpointManifest manifest) {
        Path tmp = dir.resolve(MANIFEST + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING); OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                out.write(manifest.toBytes());
                out.flush();
                ch.force(true);
            }
            Files.move(tmp, dir.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(dir);
        } catch (IOException e) {
            throw new CheckpointException("cannot write manifest in " + dir + ": " + e, e);
        }
    }

    /** Makes a rename or a new file in the directory durable (a no-op where directories cannot be opened). */
    public static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some platforms cannot open a directory; the rename is still atomic there
        }
    }

    /** Keeps the newest {@code retained} complete checkpoints; removes older ones and older cut-short attempts. */
    public void retain() {
        int complete = 0;
        for (long id : ids()) {
            Path dir = directoryOf(id);
            boolean done = Files.exists(dir.resolve(MANIFEST));
            if (complete >= retained) {
                try {
                    deleteRecursively(dir);
                } catch (IOException | UncheckedIOException e) {
                    LOG.warn("cannot delete old checkpoint {}: {}", dir, e.toString());
                }
            } else if (done) {
                complete++;
            }
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
