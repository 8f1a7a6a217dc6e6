package io.peregrine.feature;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The mergeable state of one aggregate over some events: a window chunk's summary, a hopping
 * tile, the folded past of a lifetime feature, or the accumulator of a read. Samples are added and
 * partials merged in time order where order matters (FIRST, LAST, LAST_N: among equal timestamps
 * the later arrival counts as later); the other aggregates ignore order.
 */
abstract class Partial {

    final Aggregate aggregate;

    Partial(Aggregate aggregate) {
        this.aggregate = aggregate;
    }

    static Partial create(Aggregate a) {
        return switch (a.kind()) {
            case COUNT -> new Partials.Count(a);
            case SUM -> a.input() == ValueKind.BIGINT ? new Partials.LongSum(a) : new Partials.DoubleSum(a);
            case AVG, STDDEV_POP, STDDEV_SAMP, VAR_POP, VAR_SAMP -> new Partials.Moments(a);
            case MIN, MAX -> new Partials.Extreme(a);
            case FIRST, LAST, TIME_SINCE_LAST -> new Partials.Edge(a);
            case LAST_N -> new Partials.LastN(a);
            case COUNT_DISTINCT -> new Partials.Distinct(a);
            case APPROX_COUNT_DISTINCT -> new Partials.Hll(a);
            case APPROX_PERCENTILE -> new Partials.Kll(a);
        };
    }

    /** Empties this partial for reuse. */
    abstract void reset();

    /** Adds one sample: its timestamp, its value's bits and, for STRING values, the string. */
    abstract void add(long ts, long bits, Object object);

    /** Adds the samples summarized by {@code other} (same aggregate), which come after this one's in time. */
    abstract void merge(Partial other);

    /** Whether no sample was added. */
    abstract boolean isEmpty();

    /** The aggregate's value as read at {@code asOf}. */
    abstract FeatureValue result(long asOf);

    abstract void write(DataOutput out) throws IOException;

    abstract void read(DataInput in) throws IOException;

    static double asDouble(ValueKind kind, long bits) {
        return kind == ValueKind.DOUBLE ? Double.longBitsToDouble(bits) : (double) bits;
    }

    static void writeSample(ValueKind kind, DataOutput out, long bits, Object object) throws IOException {
        if (kind == ValueKind.STRING) {
            out.writeUTF((String) object);
        } else {
            out.writeLong(bits);
        }
    }
}
