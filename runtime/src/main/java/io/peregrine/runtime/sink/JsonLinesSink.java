package io.peregrine.runtime.sink;

import java.io.IOException;
import java.io.OutputStream;

/** One JSON object per line (UTF-8, {@code \n}), through a buffer. */
public final class JsonLinesSink<T> implements Sink<T> {

    private final String name;
    private final OutputStream out;
    private final JsonEncoder<? super T> encoder;
    private final boolean closeStream;
    private final JsonWriter writer = new JsonWriter();

    /**
     * @param name        for error messages (a path, {@code stdout})
     * @param closeStream whether {@link #close} closes {@code out} (not for standard output)
     */
    public JsonLinesSink(String name, OutputStream out, JsonEncoder<? super T> encoder, boolean closeStream) {
        this.name = name;
        this.out = out;
        this.encoder = encoder;
        this.closeStream = closeStream;
    }

    @Override
    public void write(T record) {
        writer.reset();
        encoder.encode(record, writer);
        writer.raw((byte) '\n');
        try {
            writer.writeTo(out);
        } catch (IOException e) {
            throw new SinkException("cannot write " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new SinkException("cannot write " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            if (closeStream) {
                out.close();
            } else {
                out.flush();
            }
        } catch (IOException e) {
            throw new SinkException("cannot close " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
