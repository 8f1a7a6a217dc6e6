package io.peregrine.runtime.sink;

import java.util.ArrayList;
import java.util.List;

/** Keeps what it is given, for tests; safe to read from another thread while a job writes. */
public final class InMemorySink<T> implements Sink<T> {

    private final List<T> records = new ArrayList<>();
    private boolean closed;

    @Override
    public synchronized void write(T record) {
        records.add(record);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    /** A copy of everything written so far. */
    public synchronized List<T> records() {
        return new ArrayList<>(records);
    }

    /** Everything written so far, removed from the sink. */
    public synchronized List<T> drain() {
        List<T> out = new ArrayList<>(records);
        records.clear();
        return out;
    }

    public synchronized boolean isClosed() {
        return closed;
    }
}
