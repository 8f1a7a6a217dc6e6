package io.peregrine.feature;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/** The partial aggregates, one class per family of aggregate functions. */
final class Partials {

    static final int HLL_LG_K = 12;
    static final int KLL_K = 200;

    private Partials() {
    }

    static final class Count extends Partial {
        long count;

        Count(Aggregate a) {
            super(a);
        }

        @Override
        void reset() {
            count = 0;
        }

        @Override
        void add(long ts, long bits, Object object) {
            count++;
        }

        @Override
        void merge(Partial other) {
            count += ((Count) other).count;
        }

        @Override
        boolean isEmpty() {
            return count == 0;
        }

        @Override
        FeatureValue result(long asOf) {
            return FeatureValue.present(count);
        }

        @Override
        void write(DataOutput out) throws IOException {
            out.writeLong(count);
        }

        @Override
        void read(DataInput in) throws IOException {
            count = in.readLong();
        }
    }

    /** SUM of BIGINT: exact, wrapping on overflow like Java's long. */
    static final class LongSum extends Partial {
        long count;
        long sum;

        LongSum(Aggregate a) {
            super(a);
        }

        @Override
        void reset() {
            count = 0;
            sum = 0;
        }

        @Override
        void add(long ts, long bits, Object object) {
            count++;
            sum += bits;
        }

        @Override
        void merge(Partial other) {
            LongSum o = (LongSum) other;
            count += o.count;
            sum += o.sum;
        }

        @Override
        boolean isEmpty() {
            return count == 0;
        }

        @Override
        FeatureValue result(long asOf) {
            return count == 0 ? FeatureValue.outOfWindow() : FeatureValue.present(sum);
        }

        @Override
        void write(DataOutput out) throws IOException {
            out.writeLong(count);
            out.writeLong(sum);
        }

        @Override
        void read(DataInput in) throws IOException {
            count = in.readLong();
            sum = in.readLong();
        }
    }

    /** SUM of DOUBLE, exact until the final rounding (see {@link ExactSum}). */
    static final class DoubleSum extends Partial {
        long count;
        final ExactSum sum = new ExactSum();

        DoubleSum(Aggregate a) {
            super(a);
        }

        @Override
        void reset() {
            count = 0;
            sum.clear();
        }

        @Override
        void add(long ts, long bits, Object object) {
            count++;
            sum.add(Double.longBitsToDouble(bits));
        }

        @Override
        void merge(Partial other) {
            DoubleSum o = (DoubleSum) other;
            count += o.count;
            sum.addAll(o.sum);
        }

        @Override
        boolean isEmpty() {
            return count == 0;
        }

        @Override
        FeatureValue result(long asOf) {
            return count == 0 ? FeatureValue.outOfWindow() : FeatureValue.present(sum.value());
        }

        @Override
        void write(DataOutput out) throws IOException {
            out.writeLong(count);
            sum.write(out);
        }

        @Override
        void read(DataInput in) throws IOException {
            count = in.readLong();
            sum.read(in);
        }
    }

    /**
     * Count, sum and sum of squares, all exact (see {@link ExactSum}), for AVG, VAR and STDDEV: the
     * mean is the rounded exact sum over the count, and {@code n * sum(x^2) - sum(x)^2} is formed
     * exactly before one rounding, so there is neither cancellation nor dependence on order.
     */
    static final class Moments extends Partial {
        long count;
        final ExactSum sum = new ExactSum();
        final ExactSum squares = new ExactSum();

        Moments(Aggregate a) {
            super(a);
        }

        @Override
        void reset() {
            count = 0;
            sum.clear();
            squares.clear();
        }

        @Override
        void add(long ts, long bits, Object object) {
            double x = asDouble(aggregate.input(), bits);
            count++;
            sum.add(x);
            squares.addProduct(x, x);
        }

        @Override
        void merge(Partial other) {
            Moments o = (Moments) other;
            count += o.count;
            sum.addAll(o.sum);
            squares.addAll(o.squares);
        }

        @Override
        boolean isEmpty() {
            return count == 0;
        }

        @Override
        FeatureValue result(long asOf) {
            AggregateKind k = aggregate.kind();
            long min = k == AggregateKind.STDDEV_SAMP || k == AggregateKind.VAR_SAMP ? 2 : 1;
            if (count < min) {
                return FeatureValue.outOfWindow();
            }
            double n = count;
            if (k == AggregateKind.AVG) {
                return FeatureValue.present(sum.value() / n);
            }
            ExactSum d = new ExactSum();
            squares.scaleInto(n, d);
            sum.subtractSquareFrom(d);
            double nm2 = Math.max(0, d.value());
            double v = switch (k) {
                case VAR_POP -> nm2 / (n * n);
                case VAR_SAMP -> nm2 / (n * (n - 1));
                case STDDEV_POP -> Math.sqrt(nm2 / (n * n));
                case STDDEV_SAMP -> Math.sqrt(nm2 / (n * (n - 1)));
                default -> throw new AssertionError(k);
            };
            return FeatureValue.present(v);
        }

        @Override
        void write(DataOutput out) throws IOException {
            out.writeLong(count);
            sum.write(out);
            squares.write(out);
        }

        @Override
        void read(DataInput in) throws IOException {
            count = in.readLong();
            sum.read(in);
            squares.read(in);
        }
    }

    /** MIN or MAX; DOUBLE values order as {@link Double#compare}, strings by {@link String#compareTo}. */
    static final class Extreme extends Partial {
        boolean has;
        long bits;
        Object object;
        private final boolean max;

        Extreme(Aggregate a) {
            super(a);
            this.max = a.kind() == AggregateKind.MAX;
        }

        @Override
        void reset() {
            has = false;
            object = null;
        }

        static int compare(ValueKind kind, long a, Object ao, long b, Object bo) {
            return switch (kind) {
                case DOUBLE -> Double.compare(Double.longBitsToDouble(a), Double.longBitsToDouble(b));
                case STRING -> ((String) ao).compareTo((String) bo);
                default -> Long.compare(a, b);
            };
        }

        @Override
        void add(long ts, long b, Object o) {
            if (!has) {
                has = true;
                bits = b;
                object = o;
                return;
            }
            int c = compare(aggregate.input(), b, o, bits, object);
            if (max ? c > 0 : c < 0) {
                bits = b;
                object = o;
            }
        }

        @Override
        void merge(Partial other) {
            Extreme e = (Extreme) other;
            if (e.has) {
                add(0, e.bits, e.object);
            }
        }

        @Override
        boolean isEmpty() {
            return !has;
        }

        @Override
        FeatureValue result(long asOf) {
            return has ? FeatureValue.present(aggregate.input().box(bits, object)) : FeatureValue.outOfWindow();
        }

        @Override
        void write(DataOutput out) throws IOException {
            out.writeBoolean(has);
            if (has) {
                writeSample(aggregate.input(), out, bits, object);
            }
        }

        @Override
        void read(DataInput in) throws IOException {
            has = in.readBoolean();
            object = null;
            if (has) {
                if (aggregate.input() == ValueKind.STRING) {
                    object = in.readUTF();
                } else {
                    bits = in.readLong();
                }
            }
        }
    }

    /** FIRST, LAST and TIME_SINCE_LAST: the earliest or latest sample by timestamp (ties: arrival order). */
    static final class Edge extends Partial {
        boolean has;
        long ts;
        long bits;
        Object object;
        private final boolean first;

        Edge(Aggregate a) {
            super(a);
            this.first = a.kind() == AggregateKind.FIRST;
        }

        @Override
        void reset() {
            has = false;
            object = null;
        }

        @Override
        void add(long t, long b, Object o) {
            if (!has || (first ? t < ts : t >= ts)) {
                has = true;
                ts = t;
                bits = b;
                object = o;
            }
        }

        @Override
        void merge(Partial other) {
            Edge e = (Edge) other;
            if (e.has) {
                add(e.ts, e.bits, e.object);
            }
        }

        @Override
        boolean isEmpty() {
            return !has;
        }

        @Override
        FeatureValue result(long asOf) {
            if (!has) {
                return FeatureValue.outOfWindow();
            }
            if (aggregate.kind() == AggregateKind.TIME_SINCE_LAST) {
                return FeatureValue.present(asOf - ts);
            }
            return FeatureValue.present(aggregate.input().box(bits, object));
        }

        @Override
        void write(DataOutput out) throws IOException {
            out.writeBoolean(has);
            if (has) {
                out.writeLong(ts);
                if (aggregate.input() != ValueKind.NONE) {
                    writeSample(aggregate.input(), out, bits, object);
                }
            }
        }

        @Override
        void read(DataInput in) throws IOException {
            has = in.readBoolean();
            object = null;
            if (has) {
                ts = in.readLong();
                if (aggregate.input() == ValueKind.STRING) {
                    object = in.readUTF();
                } else if (aggregate.input() != ValueKind.NONE) {
                    bits = in.readLong();
                }
            }
        }
    }

    /** The n latest samples by timestamp, oldest first (ties: arrival order). */
    static final class LastN extends Partial {
        final int n;
        long[] ts;
        long[] bits;
        Object[] objects;
        int size;

        LastN(Aggregate a) {
            super(a);
            this.n = a.n();
            int cap = Math.min(n, 4);
            ts = new long[cap];
            bits = new long[cap];
            objects = a.input() == ValueKind.STRING ? new Object[cap] : null;
        }

        @Override
        void reset() {
            size = 0;
            if (objects != null) {
                Arrays.fill(objects, null);
            }
        }

        @Override
        void add(long t, long b, Object o) {
            int pos = size;
            while (pos > 0 && ts[pos - 1] > t) {
                pos--;
            }
            if (size == n) {
                if (pos == 0) {
                    return;
                }
                // drop the oldest, shift the older part left, insert at pos - 1
                pos--;
                System.arraycopy(ts, 1, ts, 0, pos);
                System.arraycopy(bits, 1, bits, 0, pos);
                if (objects != null) {
                    System.arraycopy(objects, 1, objects, 0, pos);
                }
            } else {
                if (size == ts.length) {
                    int cap = Math.min(n, ts.length * 2);
                    ts = Arrays.copyOf(ts, cap);
                    bits = Arrays.copyOf(bits, cap);
                    if (objects != null) {
                        objects = Arrays.copyOf(objects, cap);
                    }
                }
                System.arraycopy(ts, pos, ts, pos + 1, size - pos);
                System.arraycopy(bits, pos, bits, pos + 1, size - pos);
                if (objects != null) {
                    System.arraycopy(objects, pos, objects, pos + 1, size - pos);
                }
                size++;
            }
            ts[pos] = t;
            bits[pos] = b;
            if (objects != null) {
                objects[pos] = o;
            }
        }

        @Override
        void merge(Partial other) {
            LastN l = (LastN) other;
            for (int i = 0; i < l.size; i++) {
                add(l.ts[i], l.bits[i], l.objects == null ? null : l.objects[i]);
            }
        }

        @Override
        boolean isEmpty() {
            return size == 0;
        }

        @Override
        FeatureValue result(long asOf) {
            if (size == 0) {
                return FeatureValue.outOfWindow();
            }
            List<Object> values = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                values.add(aggregate.input().box(bits[i], objects == null ? null : objects[i]));
            }
            return FeatureValue.present(List.copyOf(values));
        }

        @Override
        void write(DataOutput out) throws IOException {
            out.writeInt(size);
            for (int i = 0; i < size; i++) {
                out.writeLong(ts[i]);
                writeSample(aggregate.input(), out, bits[i], objects == null ? null : objects[i]);
            }
        }

        @Override
        void read(DataInput in) throws IOException {
            reset();
            int count = in.readInt();
            if (count < 0 || count > n) {
                throw new IOException("LAST_N state holds " + count + " values, more than n = " + n);
            }
            for (int i = 0; i < count; i++) {
                long t = in.readLong();
                if (aggregate.input() == ValueKind.STRING) {
                    add(t, 0, in.readUTF());
                } else {
                    add(t, in.readLong(), null);
                }
            }
        }
    }

    /** Exact COUNT(DISTINCT): a primitive set of value bits (DOUBLE -0.0 counts as 0.0), or a set of strings. */
    static final class Distinct extends Partial {
        final LongHashSet longs;
        final Set<String> strings;

        Distinct(Aggregate a) {
            super(a);
            boolean str = a.input() == ValueKind.STRING;
            longs = str ? null : new LongHashSet();
            strings = str ? new HashSet<>() : null;
        }

        @Override
        void reset() {
            if (longs != null) {
                longs.clear();
            } else {
                strings.clear();
            }
        }

        @Override
        void add(long ts, long bits, Object object) {
            if (longs != null) {
                longs.add(normalize(aggregate.input(), bits));
            } else {
                strings.add((String) object);
            }
        }

        static long normalize(ValueKind kind, long bits) {
            if (kind == ValueKind.DOUBLE) {
                double d = Double.longBitsToDouble(bits);
                return d == 0.0 ? 0L : Double.doubleToLongBits(d);
            }
            return bits;
        }

        @Override
        void merge(Partial other) {
            Distinct d = (Distinct) other;
            if (longs != null) {
                longs.addAll(d.longs);
            } else {
                strings.addAll(d.strings);
            }
        }

        @Override
        boolean isEmpty() {
            return longs != null ? longs.size() == 0 : strings.isEmpty();
        }

        @Override
        FeatureValue result(long asOf) {
            return FeatureValue.present((long) (longs != null ? longs.size() : strings.size()));
        }

        @Override
        void write(DataOutput out) throws IOException {
            writeValues(out, longs, strings);
        }

        @Override
        void read(DataInput in) throws IOException {
            reset();
            readValues(in, longs != null, v -> longs.add(v), v -> strings.add(v));
        }
    }

    /** A set of longs (when {@code longs} is not null) or of strings: a count, then the values. */
    static void writeValues(DataOutput out, LongHashSet longs, Set<String> strings) throws IOException {
        if (longs != null) {
            out.writeInt(longs.size());
            longs.forEach(v -> {
                try {
                    out.writeLong(v);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } else {
            out.writeInt(strings.size());
            for (String v : strings) {
                out.writeUTF(v);
            }
        }
    }

    /** Reads what {@link #writeValues} wrote, handing each value to {@code onLong} or {@code onString}. */
    static void readValues(DataInput in, boolean asLongs, java.util.function.LongConsumer onLong,
                           java.util.function.Consumer<String> onString) throws IOException {
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            if (asLongs) {
                onLong.accept(in.readLong());
            } else {
                onString.accept(in.readUTF());
            }
        }
    }

    /**
     * APPROX_COUNT_DISTINCT: a DataSketches HLL sketch (lgK 12, HLL_8). DataSketches 7.0.1 serializes
     * only through datasketches-memory, which needs {@code jdk.incubator.foreign} (absent by default on
     * JDK 17, gone on 21+), so the partial also keeps the inputs that changed the sketch (raised a
     * register or added a coupon: exactly the updates that change the estimate). Replaying them rebuilds
     * the same registers, so they serve as the persisted form and as the way to merge. There are at
     * most a few per register (the number of record highs), so at most a small multiple of 4096.
     */
    static final class Hll extends Partial {
        HllSketch sketch = new HllSketch(HLL_LG_K, TgtHllType.HLL_8);
        final LongHashSet longs;
        final Set<String> strings;

        Hll(Aggregate a) {
            super(a);
            boolean str = a.input() == ValueKind.STRING;
            longs = str ? null : new LongHashSet();
            strings = str ? new HashSet<>() : null;
        }

        @Override
        void reset() {
            sketch.reset();
            if (longs != null) {
                longs.clear();
            } else {
                strings.clear();
            }
        }

        @Override
        void add(long ts, long bits, Object object) {
            if (longs != null) {
                addLong(Distinct.normalize(aggregate.input(), bits));
            } else {
                addString((String) object);
            }
        }

        private void addLong(long v) {
            double before = sketch.getEstimate();
            sketch.update(v);
            if (sketch.getEstimate() != before) {
                longs.add(v);
            }
        }

        private void addString(String v) {
            double before = sketch.getEstimate();
            sketch.update(v);
            if (sketch.getEstimate() != before) {
                strings.add(v);
            }
        }

        @Override
        void merge(Partial other) {
            Hll h = (Hll) other;
            if (longs != null) {
                h.longs.forEach(this::addLong);
            } else {
                for (String v : h.strings) {
                    addString(v);
                }
            }
        }

        @Override
        boolean isEmpty() {
            return sketch.isEmpty();
        }

        @Override
        FeatureValue result(long asOf) {
            // the composite estimate depends on the registers only; HIP (getEstimate) also on the update order, and replays reorder
            return FeatureValue.present(Math.round(sketch.getCompositeEstimate()));
        }

        @Override
        void write(DataOutput out) throws IOException {
            writeValues(out, longs, strings);
        }

        @Override
        void read(DataInput in) throws IOException {
            reset();
            readValues(in, longs != null, this::addLong, this::addString);
        }
    }

    /** APPROX_PERCENTILE: a KLL doubles sketch (k 200); the quantile is read inclusively. */
    static final class Kll extends Partial {
        KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(KLL_K);

        Kll(Aggregate a) {
            super(a);
        }

        @Override
        void reset() {
            sketch.reset();
        }

        @Override
        void add(long ts, long bits, Object object) {
            double x = asDouble(aggregate.input(), bits);
            if (!Double.isNaN(x)) {
                sketch.update(x);
            }
        }

        @Override
        void merge(Partial other) {
            Kll k = (Kll) other;
            if (!k.sketch.isEmpty()) {
                sketch.merge(k.sketch);
            }
        }

        @Override
        boolean isEmpty() {
            return sketch.isEmpty();
        }

        @Override
        FeatureValue result(long asOf) {
            return sketch.isEmpty() ? FeatureValue.outOfWindow()
                    : FeatureValue.present(sketch.getQuantile(aggregate.fraction(), QuantileSearchCriteria.INCLUSIVE));
        }

        @Override
        void write(DataOutput out) throws IOException {
            // the sorted view (retained items and their weights), not toByteArray: see Hll for why
            if (sketch.isEmpty()) {
                out.writeInt(0);
                return;
            }
            var view = sketch.getSortedView();
            double[] items = view.getQuantiles();
            long[] cumulative = view.getCumulativeWeights();
            int distinct = 0;
            for (int i = 0; i < items.length; i++) {
                if (i == 0 || cumulative[i] != cumulative[i - 1]) {
                    distinct++;
                }
            }
            // equal items share one cumulative weight in the view: write each weight once
            out.writeInt(distinct);
            long previous = 0;
            for (int i = 0; i < items.length; i++) {
                if (cumulative[i] != previous) {
                    out.writeDouble(items[i]);
                    out.writeLong(cumulative[i] - previous);
                    previous = cumulative[i];
                }
            }
        }

        @Override
        void read(DataInput in) throws IOException {
            reset();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                double item = in.readDouble();
                long weight = in.readLong();
                if (weight <= 0) {
                    throw new IOException("KLL item weight " + weight + " is not positive");
                }
                sketch.update(item, weight);
            }
        }
    }
}
