package io.peregrine.runtime.source;

import io.peregrine.dsl.schema.Row;
import java.util.Arrays;

/**
 * Records of one read: text records (byte ranges of a buffer, each with its byte offset and line
 * number) or rows a generator made. Reused from read to read; all records of a batch are of one
 * split.
 */
public final class RecordBatch {

    private byte[] buffer;
    private int[] starts = new int[256];
    private int[] ends = new int[256];
    private long[] offsets = new long[256];
    private long[] lines = new long[256];
    private Row[] rows;
    private int size;
    private int split;
    private String splitName = "";
    private boolean startsSplit;

    /** Starts a batch of text records in {@code buffer}. */
    public void startText(byte[] buffer, int split, String splitName, boolean startsSplit) {
        clear();
        this.buffer = buffer;
        this.split = split;
        this.splitName = splitName;
        this.startsSplit = startsSplit;
    }

    /** Starts a batch of rows. */
    public void startRows(int split, String splitName) {
        clear();
        if (rows == null) {
            rows = new Row[starts.length];
        }
        this.split = split;
        this.splitName = splitName;
    }

    public void addText(int start, int end, long offset, long line) {
        ensure(size + 1);
        starts[size] = start;
        ends[size] = end;
        offsets[size] = offset;
        lines[size] = line;
        size++;
    }

    public void addRow(Row row, long sequence) {
        ensure(size + 1);
        if (rows == null || rows.length < starts.length) {
            rows = rows == null ? new Row[starts.length] : Arrays.copyOf(rows, starts.length);
        }
        rows[size] = row;
        offsets[size] = sequence;
        lines[size] = sequence + 1;
        size++;
    }

    public void clear() {
        if (rows != null && buffer == null) {
            Arrays.fill(rows, 0, size, null);
        }
        buffer = null;
        size = 0;
        startsSplit = false;
    }

    private void ensure(int n) {
        if (n > starts.length) {
            int cap = Math.max(n, starts.length * 2);
            starts = Arrays.copyOf(starts, cap);
            ends = Arrays.copyOf(ends, cap);
            offsets = Arrays.copyOf(offsets, cap);
            lines = Arrays.copyOf(lines, cap);
        }
    }

    public int size() {
        return size;
    }

    /** True when the records are rows ({@link #row}), false when text ({@link #buffer}, {@link #start}, {@link #end}). */
    public boolean isDecoded() {
        return buffer == null;
    }

    public byte[] buffer() {
        return buffer;
    }

    public int start(int i) {
        return starts[i];
    }

    public int end(int i) {
        return ends[i];
    }

    public long offset(int i) {
        return offsets[i];
    }

    public long line(int i) {
        return lines[i];
    }

    public Row row(int i) {
        return rows[i];
    }

    public int split() {
        return split;
    }

    public String splitName() {
        return splitName;
    }

    /** True when the first record of the batch is the first of its split (a CSV header follows). */
    public boolean startsSplit() {
        return startsSplit;
    }
}
