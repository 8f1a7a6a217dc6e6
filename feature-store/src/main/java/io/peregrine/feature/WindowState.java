package io.peregrine.feature;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/** One hopping feature's state for one key. */
abstract class WindowState {

    final Aggregate aggregate;

    WindowState(Aggregate aggregate) {
        this.aggregate = aggregate;
    }

    /** The state of a hopping window (sliding and lifetime features live in the key's {@link SharedLog}). */
    static WindowState create(Aggregate a, Window.Hopping h) {
        return new Hopping(a, h.sizeMillis(), h.hopMillis());
    }

    abstract void add(long ts, long bits, Object object);

    /** Drops (or folds) what no read at or after {@code retainedFrom} needs. */
    abstract void expire(long retainedFrom);

    /** The value as of {@code asOf}. */
    abstract FeatureValue value(long asOf);

    /** Whether nothing is kept: a key whose states are all empty can be forgotten. */
    abstract boolean isEmpty();

    abstract void write(DataOutput out) throws IOException;

    abstract void read(DataInput in) throws IOException;

    static long minus(long a, long b) {
        long r = a - b;
        return ((a ^ b) & (a ^ r)) < 0 ? Long.MIN_VALUE : r;
    }

    /** Tiles {@code (k * hop, (k + 1) * hop]}, one partial each, merged at read. */
    static final class Hopping extends WindowState {
        final long size;
        final long hop;
        long[] tileIndex = new long[2];
        Partial[] tiles = new Partial[2];
        int count;

        Hopping(Aggregate a, long size, long hop) {
            super(a);
            this.size = size;
            this.hop = hop;
        }

        @Override
        void add(long ts, long bits, Object object) {
            tile(Math.floorDiv(ts - 1, hop)).add(ts, bits, object);
        }

        private Partial tile(long k) {
            int i = count;
            while (i > 0 && tileIndex[i - 1] > k) {
                i--;
            }
            if (i > 0 && tileIndex[i - 1] == k) {
                return tiles[i - 1];
            }
            if (count == tiles.length) {
                tiles = Arrays.copyOf(tiles, count * 2);
                tileIndex = Arrays.copyOf(tileIndex, count * 2);
            }
            System.arraycopy(tiles, i, tiles, i + 1, count - i);
            System.arraycopy(tileIndex, i, tileIndex, i + 1, count - i);
            Partial p = Partial.create(aggregate);
            tiles[i] = p;
            tileIndex[i] = k;
            count++;
            return p;
        }

        @Override
        void expire(long retainedFrom) {
            if (retainedFrom == Long.MIN_VALUE) {
                return;
            }
            // the earliest readable window starts at floor(retainedFrom / hop) * hop - size
            long firstKept = Math.floorDiv(retainedFrom, hop) - size / hop;
            int drop = 0;
            while (drop < count && tileIndex[drop] < firstKept) {
                drop++;
            }
            if (drop > 0) {
                System.arraycopy(tiles, drop, tiles, 0, count - drop);
                System.arraycopy(tileIndex, drop, tileIndex, 0, count - drop);
                Arrays.fill(tiles, count - drop, count, null);
                count -= drop;
            }
        }

        @Override
        FeatureValue value(long asOf) {
            long end = Math.floorDiv(asOf, hop);
            long first = end - size / hop;
            Partial acc = Partial.create(aggregate);
            for (int i = 0; i < count; i++) {
                long k = tileIndex[i];
                if (k >= first && k < end) {
                    acc.merge(tiles[i]);
                }
            }
            return acc.result(asOf);
        }

        @Override
        boolean isEmpty() {
            return count == 0;
        }

        @Override
        void write(DataOutput out) throws IOException {
            out.writeInt(count);
            for (int i = 0; i < count; i++) {
                out.writeLong(tileIndex[i]);
                tiles[i].write(out);
            }
        }

        @Override
        void read(DataInput in) throws IOException {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                tile(in.readLong()).read(in);
            }
        }
    }
}
