package io.peregrine.runtime.sink;

/**
 * Where output records go: a pattern's rows, late events, dead letters. Called from one thread
 * (the job's output thread), in the job's deterministic output order.
 */
public interface Sink<T> extends AutoCloseable {

    void write(T record);

    /** Makes what was written visible (called at watermark boundaries and at the end). */
    default void flush() {}

    @Override
    void close();
}
