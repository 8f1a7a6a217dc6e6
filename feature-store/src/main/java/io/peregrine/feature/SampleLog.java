package io.peregrine.feature;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * One feature's samples of one key in timestamp order (ties in arrival order), in chunks of at most
 * {@value #CHUNK} samples. Each chunk keeps a {@link Partial} summary of its samples, rebuilt only
 * when the chunk changed since it was last read, so a read over a window merges the summaries of the
 * chunks inside it and scans only the two chunks at its edges: reads cost O(window / CHUNK + CHUNK)
 * and inserts O(CHUNK) whatever the arrival order, with no subtraction (no floating-point drift)
 * and the same structure for invertible and non-invertible aggregates (MIN, MAX, sketches).
 */
abstract class SampleLog extends WindowState {

    static final int CHUNK = 64;

    private final boolean strings;
    private Chunk[] chunks = new Chunk[1];
    private int count;
    /** {@code chunks[count - 1]}, or null: appends in time order touch only it. */
    private Chunk tail;
    private int samples;

    SampleLog(Aggregate aggregate) {
        super(aggregate);
        this.strings = aggregate.input() == ValueKind.STRING;
    }

    /** Samples in order: {@code data[2i]} the timestamp and {@code data[2i + 1]} the value bits (one array: one cache miss). */
    private static final class Chunk {
        long[] data;
        Object[] objects;
        int size;
        Partial summary;
        boolean dirty = true;

        Chunk(int capacity, boolean strings) {
            data = new long[2 * capacity];
            objects = strings ? new Object[capacity] : null;
        }

        long ts(int i) {
            return data[2 * i];
        }

        long bits(int i) {
            return data[2 * i + 1];
        }

        Object object(int i) {
            return objects == null ? null : objects[i];
        }

        long first() {
            return data[0];
        }

        long last() {
            return data[2 * size - 2];
        }

        int upperBound(long t) {
            if (size > 0 && data[2 * size - 2] <= t) {
                return size;  // in order: the common case
            }
            int lo = 0;
            int hi = size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (data[2 * mid] <= t) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        void insert(int pos, long t, long b, Object o) {
            if (2 * size == data.length) {
                int cap = Math.min(CHUNK, size * 2);
                data = Arrays.copyOf(data, 2 * cap);
                if (objects != null) {
                    objects = Arrays.copyOf(objects, cap);
                }
            }
            if (pos < size) {
                System.arraycopy(data, 2 * pos, data, 2 * pos + 2, 2 * (size - pos));
                if (objects != null) {
                    System.arraycopy(objects, pos, objects, pos + 1, size - pos);
                }
            }
            if (objects != null) {
                objects[pos] = o;
            }
            data[2 * pos] = t;
            data[2 * pos + 1] = b;
            size++;
            dirty = true;
        }

        /** Drops the first {@code n} samples. */
        void dropFirst(int n) {
            System.arraycopy(data, 2 * n, data, 0, 2 * (size - n));
            if (objects != null) {
                System.arraycopy(objects, n, objects, 0, size - n);
                Arrays.fill(objects, size - n, size, null);
            }
            size -= n;
            dirty = true;
        }

        Partial summary(Aggregate a) {
            if (summary == null) {
                summary = Partial.create(a);
            }
            if (dirty) {
                summary.reset();
                for (int i = 0; i < size; i++) {
                    summary.add(data[2 * i], data[2 * i + 1], object(i));
                }
                dirty = false;
            }
            return summary;
        }
    }

    int size() {
        return samples;
    }

    @Override
    void add(long t, long b, Object o) {
        samples++;
        Chunk last = tail;
        if (last == null) {
            tail = chunks[0] = new Chunk(2, strings);
            count = 1;
            tail.insert(0, t, b, o);
            return;
        }
        if (last.size < CHUNK && last.last() <= t) {
            last.insert(last.size, t, b, o);
            return;
        }
        int c = count - 1;
        while (c > 0 && chunks[c].first() > t) {
            c--;
        }
        Chunk ch = chunks[c];
        int pos = ch.upperBound(t);
        if (ch.size == CHUNK) {
            if (pos == CHUNK && c == count - 1) {
                // in-order append: start a new chunk rather than leaving two half-full ones
                Chunk next = new Chunk(8, strings);
                insertChunk(c + 1, next);
                next.insert(0, t, b, o);
                return;
            }
            Chunk right = split(c);
            int half = ch.size;
            if (pos > half) {
                right.insert(pos - half, t, b, o);
                return;
            }
        }
        ch.insert(pos, t, b, o);
    }

    private Chunk split(int c) {
        Chunk ch = chunks[c];
        int half = ch.size / 2;
        Chunk right = new Chunk(CHUNK, strings);
        int n = ch.size - half;
        System.arraycopy(ch.data, 2 * half, right.data, 0, 2 * n);
        if (strings) {
            System.arraycopy(ch.objects, half, right.objects, 0, n);
            Arrays.fill(ch.objects, half, ch.size, null);
        }
        right.size = n;
        ch.size = half;
        ch.dirty = true;
        insertChunk(c + 1, right);
        return right;
    }

    private void insertChunk(int at, Chunk chunk) {
        if (count == chunks.length) {
            chunks = Arrays.copyOf(chunks, count * 2);
        }
        System.arraycopy(chunks, at, chunks, at + 1, count - at);
        chunks[at] = chunk;
        count++;
        tail = chunks[count - 1];
    }

    /** Drops the samples with timestamp at or before {@code cutoff}, adding them in order to {@code into} if not null. */
    void dropThrough(long cutoff, Partial into) {
        int whole = 0;
        while (whole < count && chunks[whole].last() <= cutoff) {
            Chunk ch = chunks[whole];
            if (into != null) {
                into.merge(ch.summary(aggregate));
            }
            samples -= ch.size;
            whole++;
        }
        if (whole > 0) {
            System.arraycopy(chunks, whole, chunks, 0, count - whole);
            Arrays.fill(chunks, count - whole, count, null);
            count -= whole;
            tail = count == 0 ? null : chunks[count - 1];
        }
        if (count > 0 && chunks[0].first() <= cutoff) {
            Chunk ch = chunks[0];
            int n = ch.upperBound(cutoff);
            if (into != null) {
                for (int i = 0; i < n; i++) {
                    into.add(ch.ts(i), ch.bits(i), ch.object(i));
                }
            }
            ch.dropFirst(n);
            samples -= n;
        }
    }

    /** Adds to {@code acc}, in time order, the samples with timestamp in {@code (lo, hi]}. */
    void aggregate(Partial acc, long lo, long hi) {
        for (int c = 0; c < count; c++) {
            Chunk ch = chunks[c];
            if (ch.last() <= lo) {
                continue;
            }
            if (ch.first() > hi) {
                break;
            }
            if (ch.first() > lo && ch.last() <= hi) {
                acc.merge(ch.summary(aggregate));
            } else {
                for (int i = 0; i < ch.size; i++) {
                    long t = ch.ts(i);
                    if (t > lo && t <= hi) {
                        acc.add(t, ch.bits(i), ch.object(i));
                    }
                }
            }
        }
    }

    /** Writes the samples (subclasses add their own state around them). */
    void writeSamples(DataOutput out) throws IOException {
        out.writeInt(samples);
        for (int c = 0; c < count; c++) {
            Chunk ch = chunks[c];
            for (int i = 0; i < ch.size; i++) {
                out.writeLong(ch.ts(i));
                Partial.writeSample(aggregate.input(), out, ch.bits(i), ch.object(i));
            }
        }
    }

    void readSamples(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("negative sample count " + n);
        }
        for (int i = 0; i < n; i++) {
            long t = in.readLong();
            if (strings) {
                add(t, 0, in.readUTF());
            } else {
                add(t, in.readLong(), null);
            }
        }
    }
}
