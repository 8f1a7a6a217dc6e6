package io.peregrine.runtime.source;

import io.peregrine.dsl.StreamDef;
import io.peregrine.runtime.format.RowDecoders;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** The built-in sources. */
public final class Sources {

    private Sources() {}

    /**
     * A file, or a directory whose regular files (not hidden ones) are read one after another in
     * file-name order. Files ending in {@code .gz} are decompressed.
     */
    public static Source file(Path path) {
        Objects.requireNonNull(path, "path");
        return new FileSource(path);
    }

    /** Standard input, read by a thread of its own so that the job never blocks on it (not replayable). */
    public static Source stdin() {
        return new StreamSource("stdin", () -> System.in);
    }

    /**
     * Text from a live stream that the supplier opens (a pipe, a socket, tests), read like
     * {@link #stdin()}: the job goes on while it has nothing, and its watermark can go idle. Not replayable.
     */
    public static Source stream(String name, Supplier<InputStream> input) {
        return new StreamSource(name, input);
    }

    /** Rows from the seeded transactions generator. */
    public static Source generator(TransactionGenerator.Config config) {
        return new GeneratorSource(config);
    }

    private static final class FileSource implements Source {
        private final Path path;

        FileSource(Path path) {
            this.path = path;
        }

        @Override
        public String describe() {
            return path.toString();
        }

        @Override
        public RecordReader open(StreamDef stream, SourcePosition from) {
            List<Path> files = new ArrayList<>();
            if (Files.isDirectory(path)) {
                try (Stream<Path> list = Files.list(path)) {
                    list.filter(Files::isRegularFile)
                            .filter(p -> !p.getFileName().toString().startsWith("."))
                            .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                            .forEach(files::add);
                } catch (IOException e) {
                    throw new SourceException("cannot list directory " + path + ": " + e.getMessage(), e);
                }
            } else if (Files.isRegularFile(path)) {
                if (!Files.isReadable(path)) {
                    throw new SourceException("cannot read " + path + ": permission denied");
                }
                files.add(path);
            } else {
                throw new SourceException("no such file or directory: " + path);
            }
            try {
                return new TextRecordReader(path.toString(), new FileSplits(files),
                        RowDecoders.quotedNewlines(stream.format()), from);
            } catch (IOException e) {
                throw new SourceException("cannot open " + path + ": " + e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return describe();
        }
    }

    private static final class StreamSource implements Source {
        private final String name;
        private final Supplier<InputStream> input;

        StreamSource(String name, Supplier<InputStream> input) {
            this.name = name;
            this.input = input;
        }

        @Override
        public String describe() {
            return name;
        }

        @Override
        public boolean replayable() {
            return false;
        }

        @Override
        public RecordReader open(StreamDef stream, SourcePosition from) {
            if (from != null && (from.offset() > 0 || from.split() > 0)) {
                throw new SourceException(name + " cannot be replayed from " + from);
            }
            InputStream in = input.get();
            TextRecordReader.Splits splits = new TextRecordReader.Splits() {
                @Override
                public int count() {
                    return 1;
                }

                @Override
                public String name(int split) {
                    return name;
                }

                @Override
                public TextRecordReader.ByteInput open(int split, long offset) {
                    return new AsyncInput(name, in);
                }
            };
            try {
                return new TextRecordReader(name, splits, RowDecoders.quotedNewlines(stream.format()), null);
            } catch (IOException e) {
                throw new SourceException("cannot open " + name + ": " + e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
