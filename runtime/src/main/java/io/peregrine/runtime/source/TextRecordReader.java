package io.peregrine.runtime.source;

import java.io.Closeable;
import java.io.IOException;

/**
 * Splits byte inputs into records: one per line, or for CSV one per line outside double quotes (a
 * quoted field may hold line breaks). A trailing {@code \r} is dropped; the last record needs no
 * line terminator. Reads 1 MB at a time into one buffer that records point into, growing it only for a
 * record longer than the buffer.
 */
final class TextRecordReader implements RecordReader {

    /** The files (or the one stream) a text source reads, in order. */
    interface Splits {
        int count();

        String name(int split);

        /** Opens a split positioned at a byte offset. */
        ByteInput open(int split, long offset) throws IOException;
    }

    /** Bytes of one split; {@link #read} returns 0 when a live input has nothing yet. */
    interface ByteInput extends Closeable {
        int read(byte[] b, int off, int len) throws IOException;
    }

    private final String source;
    private final Splits splits;
    private final boolean quotes;
    private byte[] buf = new byte[1 << 20];
    private int pos;
    private int limit;
    private long bufOffset;
    private long line = 1;
    private int split = -1;
    private ByteInput in;
    private boolean eof;
    private boolean fresh;
    private boolean ended;
    // scan state of the record at pos
    private int scan;
    private boolean inQuotes;
    private int newlinesInRecord;
    private byte[] pendingHeader;

    TextRecordReader(String source, Splits splits, boolean quotes, SourcePosition from) throws IOException {
        this.source = source;
        this.splits = splits;
        this.quotes = quotes;
        if (from == null || (from.split() == 0 && from.offset() == 0)) {
            if (!nextSplit()) {
                ended = true;
            }
        } else {
            int s = from.split();
            if (s >= splits.count() || !splits.name(s).equals(from.splitName())) {
                s = -1;
                for (int i = 0; i < splits.count(); i++) {
                    if (splits.name(i).equals(from.splitName())) {
                        s = i;
                    }
                }
                if (s < 0) {
                    throw new SourceException(source + ": cannot resume at " + from.splitName()
                            + ": no such file any more");
                }
            }
            split = s;
            if (quotes && from.offset() > 0) {
                pendingHeader = readFirstRecord(s);
            }
            in = splits.open(s, from.offset());
            bufOffset = from.offset();
            line = from.line();
            fresh = from.offset() == 0;
        }
    }

    @Override
    public int read(RecordBatch batch, int max) throws IOException {
        if (pendingHeader != null) {
            batch.startText(pendingHeader, split, splits.name(split), true);
            batch.addText(0, pendingHeader.length, 0, 1);
            pendingHeader = null;
            return 1;
        }
        while (true) {
            if (ended) {
                batch.clear();
                return END;
            }
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, limit - pos);
                limit -= pos;
                scan -= pos;
                bufOffset += pos;
                pos = 0;
            }
            batch.startText(buf, split, splits.name(split), fresh);
            int n = 0;
            while (n < max) {
                int e = findEnd();
                if (e >= 0) {
                    emit(batch, e, e + 1);
                    n++;
                    continue;
                }
                if (n > 0) {
                    return n;
                }
                if (eof) {
                    if (pos < limit) {
                        emit(batch, limit, limit);
                        return 1;
                    }
                    in.close();
                    in = null;
                    if (!nextSplit()) {
                        ended = true;
                    }
                    break;
                }
                byte[] before = buf;
                int r = fill();
                if (r == 0) {
                    return NOTHING_YET;
                }
                if (buf != before) {
                    batch.startText(buf, split, splits.name(split), fresh); // grown: no record points into the old one
                }
            }
            if (n > 0) {
                return n;
            }
        }
    }

    private void emit(RecordBatch batch, int end, int next) {
        int e = end;
        if (e > pos && buf[e - 1] == '\r') {
            e--;
        }
        batch.addText(pos, e, bufOffset + pos, line);
        line += 1 + newlinesInRecord;
        newlinesInRecord = 0;
        inQuotes = false;
        pos = next;
        scan = next;
        fresh = false;
    }

    /** Index of the newline that ends the record at pos, or -1 (scan state kept for more bytes). */
    private int findEnd() {
        byte[] b = buf;
        int i = scan;
        int lim = limit;
        if (!quotes) {
            while (i < lim) {
                if (b[i] == '\n') {
                    return i;
                }
                i++;
            }
            scan = i;
            return -1;
        }
        boolean q = inQuotes;
        while (i < lim) {
            byte c = b[i];
            if (c == '"') {
                q = !q;
            } else if (c == '\n') {
                if (!q) {
                    inQuotes = false;
                    return i;
                }
                newlinesInRecord++;
            }
            i++;
        }
        inQuotes = q;
        scan = i;
        return -1;
    }

    /** Reads more bytes; returns what the input returned (0: nothing yet). */
    private int fill() throws IOException {
        if (limit == buf.length) {
            byte[] bigger = new byte[buf.length * 2];
            System.arraycopy(buf, 0, bigger, 0, limit);
            buf = bigger;
        }
        int r = in.read(buf, limit, buf.length - limit);
        if (r < 0) {
            eof = true;
            return -1;
        }
        limit += r;
        return r;
    }

    private boolean nextSplit() throws IOException {
        split++;
        if (split >= splits.count()) {
            split = Math.max(0, splits.count() - 1);
            return false;
        }
        in = splits.open(split, 0);
        pos = 0;
        limit = 0;
        scan = 0;
        bufOffset = 0;
        line = 1;
        eof = false;
        fresh = true;
        inQuotes = false;
        newlinesInRecord = 0;
        return true;
    }

    private byte[] readFirstRecord(int s) throws IOException {
        try (ByteInput header = splits.open(s, 0)) {
            byte[] b = new byte[4096];
            int n = 0;
            boolean q = false;
            while (true) {
                if (n == b.length) {
                    b = java.util.Arrays.copyOf(b, n * 2);
                }
                int r = header.read(b, n, 1);
                if (r < 0) {
                    break;
                }
                if (r == 0) {
                    continue;
                }
                byte c = b[n];
                if (c == '"') {
                    q = !q;
                } else if (c == '\n' && !q) {
                    break;
                }
                n++;
            }
            if (n > 0 && b[n - 1] == '\r') {
                n--;
            }
            return java.util.Arrays.copyOf(b, n);
        }
    }

    @Override
    public SourcePosition position() {
        String name = splits.count() == 0 ? "" : splits.name(split);
        return new SourcePosition(Math.max(split, 0), name, bufOffset + pos, line);
    }

    @Override
    public void close() throws IOException {
        ended = true;
        if (in != null) {
            in.close();
            in = null;
        }
    }

    @Override
    public String toString() {
        return source;
    }
}
