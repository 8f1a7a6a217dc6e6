package io.peregrine.runtime;

import io.peregrine.dsl.schema.Row;
import io.peregrine.runtime.sink.Sink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Merges what the workers emitted for one epoch and writes it, per output (output {@code 2p}: the
 * matches of pattern p, {@code 2p + 1}: its timed-out partial matches, null when it emits none), in the job's output
 * order: by emission time, then key, each key's rows in the order it emitted them. Every row of an
 * epoch has an emission time above the previous epoch's watermark and at or below this one's, so
 * concatenating the sorted epochs gives one total order, whatever the epochs were.
 */
final class OutputStage {

    private static final long FLUSH_INTERVAL_MILLIS = 200;

    private final List<Sink<Row>> sinks;
    private final long[] rows;
    final AtomicLongArray published;
    private final LongSupplier clock;
    private long lastFlush;
    private final List<Emitted> merged = new ArrayList<>();

    OutputStage(List<Sink<Row>> sinks, LongSupplier clockMillis) {
        this.sinks = sinks;
        this.rows = new long[sinks.size()];
        this.published = new AtomicLongArray(sinks.size());
        this.clock = clockMillis;
        this.lastFlush = clockMillis.getAsLong();
    }

    /** One epoch's output of every worker (the same epoch). */
    void write(EpochOutput[] outputs) {
        long epoch = outputs[0].epoch;
        for (EpochOutput o : outputs) {
            if (o.epoch != epoch) {
                throw new IllegalStateException("workers out of step: epoch " + o.epoch + " beside " + epoch);
            }
        }
        for (int p = 0; p < sinks.size(); p++) {
            if (sinks.get(p) == null) {
                continue;
            }
            merged.clear();
            for (EpochOutput o : outputs) {
                List<Emitted> l = o.rows(p);
                if (l != null) {
                    merged.addAll(l);
                }
            }
            if (merged.isEmpty()) {
                continue;
            }
            merged.sort(Emitted.ORDER);
            Sink<Row> sink = sinks.get(p);
            for (Emitted e : merged) {
                sink.write(e.row());
            }
            rows[p] += merged.size();
            published.lazySet(p, rows[p]);
        }
        merged.clear();
        long now = clock.getAsLong();
        if (now - lastFlush >= FLUSH_INTERVAL_MILLIS) {
            lastFlush = now;
            for (Sink<Row> s : sinks) {
                if (s != null) {
                    s.flush();
                }
            }
        }
    }

    /** Continues the row counts of a restored checkpoint. */
    void restoreRows(List<Long> counts) {
        for (int o = 0; o < rows.length && o < counts.size(); o++) {
            rows[o] = counts.get(o);
            published.lazySet(o, rows[o]);
        }
    }

    long rows(int output) {
        return rows[output];
    }

    void close() {
        RuntimeException first = null;
        for (Sink<Row> s : sinks) {
            if (s == null) {
                continue;
            }
            try {
                s.flush();
                s.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
