package io.peregrine.feature;

import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * The samples of all sliding and lifetime features of one key, in one log of rows in timestamp
 * order (ties in arrival order): a row is one event, its timestamp once, then one value column per
 * feature and a bit per feature saying whether the event counted for it (filter, NULL argument).
 * An event thus touches one row of one chunk whatever the number of features (one chunk of
 * per-feature arrays each cost a cache miss per feature). Rows sit in chunks of at most
 * {@value #CHUNK}, each with a lazily rebuilt {@link Partial} summary per column, so a read over a
 * window merges the summaries of the chunks inside it and scans only the two chunks at its edges,
 * without subtraction; inserts cost O(CHUNK) whatever the arrival order. The log keeps the rows the
 * longest window needs; a read of a shorter window skips older rows by timestamp.
 */
final class SharedLog {

    static final int CHUNK = 64;

    /** What every key of a feature set shares: the columns' aggregates and the row layout. */
    static final class Layout {
        final Aggregate[] aggregates;
        final int columns;
        /** Longs per row: the timestamp, a value per column, then the presence bit words. */
        final int stride;
        /** Per column, its slot among the string columns, or -1. */
        final int[] stringSlot;
        final int strings;

        Layout(Aggregate[] aggregates) {
            this.aggregates = aggregates;
            this.columns = aggregates.length;
            this.stride = 1 + columns + (columns + 63) / 64;
            this.stringSlot = new int[columns];
            int s = 0;
            for (int c = 0; c < columns; c++) {
                stringSlot[c] = aggregates[c].input() == ValueKind.STRING ? s++ : -1;
            }
            this.strings = s;
        }
    }

    /**
     * Rows {@code [start, end)} of {@code data}: dropping the oldest rows (every expiry) moves
     * {@code start} instead of the rows, which move only when an insert needs the room.
     */
    private static final class Chunk {
        final Layout layout;
        long[] data;
        /** Row r's string of string slot s at {@code r * strings + s}; null without string columns. */
        Object[] objects;
        int start;
        int end;
        Partial[] summaries;
        boolean[] stale;

        Chunk(Layout layout, int capacity) {
            this.layout = layout;
            data = new long[capacity * layout.stride];
            objects = layout.strings == 0 ? null : new Object[capacity * layout.strings];
        }

        int size() {
            return end - start;
        }

        long ts(int row) {
            return data[row * layout.stride];
        }

        long first() {
            return data[start * layout.stride];
        }

        long last() {
            return data[(end - 1) * layout.stride];
        }

        boolean present(int row, int column) {
            return (data[row * layout.stride + 1 + layout.columns + (column >>> 6)] >>> column & 1L) != 0;
        }

        long bits(int row, int column) {
            return data[row * layout.stride + 1 + column];
        }

        Object object(int row, int column) {
            int s = layout.stringSlot[column];
            return s < 0 ? null : objects[row * layout.strings + s];
        }

        /** The first row after the rows at or before {@code t}. */
        int upperBound(long t) {
            int stride = layout.stride;
            if (end > start && data[(end - 1) * stride] <= t) {
                return end;  // in order: the common case
            }
            int lo = start;
            int hi = end;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (data[mid * stride] <= t) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        /**
         * Inserts an empty row (no column present) with timestamp {@code t} before row {@code pos}
         * (at most {@link #CHUNK} rows must result).
         *
         * @return the new row's index
         */
        int insert(int pos, long t) {
            int stride = layout.stride;
            int strings = layout.strings;
            if (end * stride == data.length) {
                if (start > 0) {
                    int n = end - start;
                    System.arraycopy(data, start * stride, data, 0, n * stride);
                    Arrays.fill(data, n * stride, end * stride, 0L);
                    if (objects != null) {
                        System.arraycopy(objects, start * strings, objects, 0, n * strings);
                        Arrays.fill(objects, n * strings, end * strings, null);
                    }
                    pos -= start;
                    end = n;
                    start = 0;
                } else {
                    int cap = Math.min(CHUNK, end * 2);
                    data = Arrays.copyOf(data, cap * stride);
                    if (objects != null) {
                        objects = Arrays.copyOf(objects, cap * strings);
                    }
                }
            }
            if (pos < end) {
                System.arraycopy(data, pos * stride, data, (pos + 1) * stride, (end - pos) * stride);
                Arrays.fill(data, pos * stride + 1, (pos + 1) * stride, 0L);
                if (objects != null) {
                    System.arraycopy(objects, pos * strings, objects, (pos + 1) * strings, (end - pos) * strings);
                    Arrays.fill(objects, pos * strings, (pos + 1) * strings, null);
                }
            }
            // rows at and past end are zero (new arrays, or cleared when moved or split off)
            data[pos * stride] = t;
            end++;
            touch();
            return pos;
        }

        void set(int row, int column, long bits, Object o) {
            int base = row * layout.stride;
            data[base + 1 + column] = bits;
            data[base + 1 + layout.columns + (column >>> 6)] |= 1L << column;
            int s = layout.stringSlot[column];
            if (s >= 0) {
                objects[row * layout.strings + s] = o;
            }
            touch();
        }

        void touch() {
            if (stale != null) {
                Arrays.fill(stale, true);
            }
        }

        /** Drops the first {@code n} rows (fewer than all: emptied chunks are dropped whole). */
        void dropFirst(int n) {
            if (objects != null) {
                Arrays.fill(objects, start * layout.strings, (start + n) * layout.strings, null);
            }
            start += n;
            touch();
        }

        Partial summary(int column) {
            if (summaries == null) {
                summaries = new Partial[layout.columns];
                stale = new boolean[layout.columns];
                Arrays.fill(stale, true);
            }
            Partial p = summaries[column];
            if (p == null) {
                p = summaries[column] = Partial.create(layout.aggregates[column]);
            }
            if (stale[column]) {
                p.reset();
                for (int i = start; i < end; i++) {
                    if (present(i, column)) {
                        p.add(ts(i), bits(i, column), object(i, column));
                    }
                }
                stale[column] = false;
            }
            return p;
        }
    }

    private final Layout layout;
    private Chunk[] chunks = new Chunk[1];
    private int count;
    /** {@code chunks[count - 1]}, or null: appends in time order touch only it. */
    private Chunk tail;
    /** Where the latest {@link #insertRow} put its row, for {@link #set}. */
    private Chunk current;
    private int currentRow;

    SharedLog(Layout layout) {
        this.layout = layout;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Inserts an event's row, no column present yet: {@link #set} fills it. */
    void insertRow(long t) {
        Chunk last = tail;
        if (last == null) {
            tail = chunks[0] = new Chunk(layout, 2);
            count = 1;
            place(tail, 0, t);
            return;
        }
        if (last.size() < CHUNK && last.last() <= t) {
            place(last, last.end, t);
            return;
        }
        int c = count - 1;
        while (c > 0 && chunks[c].first() > t) {
            c--;
        }
        Chunk ch = chunks[c];
        int pos = ch.upperBound(t);
        if (ch.size() == CHUNK) {
            if (pos == ch.end && c == count - 1) {
                // in-order append: start a new chunk rather than leaving two half-full ones
                Chunk next = new Chunk(layout, 8);
                insertChunk(c + 1, next);
                place(next, 0, t);
                return;
            }
            int rel = pos - ch.start;
            Chunk right = split(c);
            int half = ch.size();
            if (rel > half) {
                place(right, rel - half, t);
                return;
            }
            pos = ch.start + rel;
        }
        place(ch, pos, t);
    }

    private void place(Chunk ch, int pos, long t) {
        currentRow = ch.insert(pos, t);
        current = ch;
    }

    /** Sets column {@code column} of the row the latest {@link #insertRow} inserted. */
    void set(int column, long bits, Object o) {
        current.set(currentRow, column, bits, o);
    }

    /**
     * Adds a restored sample of one column: into the last row at {@code t} when that row lacks the
     * column (columns are restored one after another, each in its order, so the column's earlier
     * samples are all in rows before it), else into a new row.
     */
    void restore(int column, long t, long bits, Object o) {
        if (count > 0) {
            int c = count - 1;
            while (c > 0 && chunks[c].first() > t) {
                c--;
            }
            Chunk ch = chunks[c];
            int pos = ch.upperBound(t);
            if (pos > ch.start && ch.ts(pos - 1) == t && !ch.present(pos - 1, column)) {
                ch.set(pos - 1, column, bits, o);
                return;
            }
        }
        insertRow(t);
        set(column, bits, o);
    }

    private Chunk split(int c) {
        Chunk ch = chunks[c];
        int stride = layout.stride;
        int strings = layout.strings;
        int mid = ch.start + ch.size() / 2;
        Chunk right = new Chunk(layout, CHUNK);
        int n = ch.end - mid;
        System.arraycopy(ch.data, mid * stride, right.data, 0, n * stride);
        Arrays.fill(ch.data, mid * stride, ch.end * stride, 0L);
        if (strings > 0) {
            System.arraycopy(ch.objects, mid * strings, right.objects, 0, n * strings);
            Arrays.fill(ch.objects, mid * strings, ch.end * strings, null);
        }
        right.end = n;
        ch.end = mid;
        ch.touch();
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

    /** Drops the rows with timestamp at or before {@code cutoff}. */
    void dropThrough(long cutoff) {
        int whole = 0;
        while (whole < count && chunks[whole].last() <= cutoff) {
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
            ch.dropFirst(ch.upperBound(cutoff) - ch.start);
        }
        current = null;
    }

    /** Adds to {@code acc}, in time order, column {@code column}'s samples with timestamp in {@code (lo, hi]}. */
    void aggregate(int column, Partial acc, long lo, long hi) {
        for (int c = 0; c < count; c++) {
            Chunk ch = chunks[c];
            if (ch.last() <= lo) {
                continue;
            }
            if (ch.first() > hi) {
                break;
            }
            if (ch.first() > lo && ch.last() <= hi) {
                acc.merge(ch.summary(column));
            } else {
                scan(ch, column, acc, lo, hi);
            }
        }
    }

    /**
     * Like {@link #aggregate} but sample by sample, building no summary: folding a lifetime
     * feature's past touches rows once, and their chunks stay for the longer windows.
     */
    void fold(int column, Partial acc, long lo, long hi) {
        for (int c = 0; c < count; c++) {
            Chunk ch = chunks[c];
            if (ch.last() <= lo) {
                continue;
            }
            if (ch.first() > hi) {
                break;
            }
            scan(ch, column, acc, lo, hi);
        }
    }

    private static void scan(Chunk ch, int column, Partial acc, long lo, long hi) {
        for (int i = lo == Long.MIN_VALUE ? ch.start : ch.upperBound(lo); i < ch.end; i++) {
            long t = ch.ts(i);
            if (t > hi) {
                break;
            }
            if (t > lo && ch.present(i, column)) {
                acc.add(t, ch.bits(i, column), ch.object(i, column));
            }
        }
    }

    /**
     * Whether some sliding column {@code c} (one with no lifetime slot) has a sample after its cutoff
     * {@code minus(from, sizes[c])}: the newest rows decide at once unless the key is going idle.
     */
    boolean liveAfter(long from, long[] sizes, int[] lifetimeSlot) {
        for (int c = count - 1; c >= 0; c--) {
            Chunk ch = chunks[c];
            for (int i = ch.end - 1; i >= ch.start; i--) {
                long t = ch.ts(i);
                for (int col = 0; col < layout.columns; col++) {
                    if (lifetimeSlot[col] < 0 && ch.present(i, col) && t > WindowState.minus(from, sizes[col])) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Writes column {@code column}'s samples after {@code after} (all when it is {@link Long#MIN_VALUE})
     * as {@link SampleLog} did: int count, then per sample its timestamp and value.
     */
    void writeColumn(int column, long after, DataOutput out) throws IOException {
        int n = 0;
        for (int c = 0; c < count; c++) {
            Chunk ch = chunks[c];
            for (int i = ch.start; i < ch.end; i++) {
                if (ch.present(i, column) && (ch.ts(i) > after || after == Long.MIN_VALUE)) {
                    n++;
                }
            }
        }
        out.writeInt(n);
        ValueKind kind = layout.aggregates[column].input();
        for (int c = 0; c < count; c++) {
            Chunk ch = chunks[c];
            for (int i = ch.start; i < ch.end; i++) {
                if (ch.present(i, column) && (ch.ts(i) > after || after == Long.MIN_VALUE)) {
                    out.writeLong(ch.ts(i));
                    Partial.writeSample(kind, out, ch.bits(i, column), ch.object(i, column));
                }
            }
        }
    }
}
