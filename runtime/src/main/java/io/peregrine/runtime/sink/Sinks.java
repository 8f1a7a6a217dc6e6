package io.peregrine.runtime.sink;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FileNotFoundException;
import java.io.OutputStream;
import java.nio.file.Path;

/** The built-in sinks. */
public final class Sinks {

    private Sinks() {}

    /** A JSON-lines file, created or truncated. */
    public static <T> Sink<T> jsonLines(Path file, JsonEncoder<? super T> encoder) {
        OutputStream out;
        try {
            out = new BufferedOutputStream(new FileOutputStream(file.toFile()), 1 << 16);
        } catch (FileNotFoundException e) {
            throw new SinkException("cannot create " + file + ": " + e.getMessage(), e);
        }
        return new JsonLinesSink<>(file.toString(), out, encoder, true);
    }

    /** JSON lines on standard output (flushed at each watermark boundary). */
    public static <T> Sink<T> stdout(JsonEncoder<? super T> encoder) {
        return new JsonLinesSink<>("stdout", new BufferedOutputStream(new FileOutputStream(java.io.FileDescriptor.out), 1 << 16),
                encoder, false);
    }

    /** Drops everything. */
    public static <T> Sink<T> discard() {
        return new Sink<>() {
            @Override
            public void write(T record) {}

            @Override
            public void close() {}
        };
    }
}
