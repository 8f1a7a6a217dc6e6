package io.peregrine.runtime;

import io.peregrine.dsl.schema.Row;
import java.util.Arrays;

/**
 * Events on their way from the reader to one worker, with their encoded keys side by side in one
 * byte array, optionally followed by an epoch marker: the watermarks of all streams after these
 * events. Recycled between reader and worker.
 */
final class EventBatch {

    static final int CAPACITY = 1024;

    final Row[] rows = new Row[CAPACITY];
    final long[] timestamps = new long[CAPACITY];
    final int[] keyings = new int[CAPACITY];
    final int[] hashes = new int[CAPACITY];
    final int[] keyStarts = new int[CAPACITY + 1];
    byte[] keyBytes = new byte[CAPACITY * 16];
    int size;

    /** Epoch number of the marker after the events, or -1 when there is none. */
    long epoch = -1;
    long[] watermarks;
    /** The last batch: the inputs ended (the marker holds the final watermarks). */
    boolean end;
    /** A checkpoint barrier after the marker: the worker snapshots its state once it advanced to it. */
    CheckpointBarrier barrier;

    boolean isFull() {
        return size == CAPACITY;
    }

    void add(int keying, int hash, byte[] key, int keyLength, Row row, long timestamp) {
        int i = size;
        int at = keyStarts[i];
        if (at + keyLength > keyBytes.length) {
            keyBytes = Arrays.copyOf(keyBytes, Math.max(at + keyLength, keyBytes.length * 2));
        }
        System.arraycopy(key, 0, keyBytes, at, keyLength);
        keyStarts[i + 1] = at + keyLength;
        keyings[i] = keying;
        hashes[i] = hash;
        rows[i] = row;
        timestamps[i] = timestamp;
        size = i + 1;
    }

    void clear() {
        Arrays.fill(rows, 0, size, null);
        size = 0;
        keyStarts[0] = 0;
        epoch = -1;
        watermarks = null;
        end = false;
        barrier = null;
    }
}
