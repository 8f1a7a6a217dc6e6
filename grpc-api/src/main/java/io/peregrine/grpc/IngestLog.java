package io.peregrine.grpc;

import io.peregrine.dsl.StreamDef;
import io.peregrine.runtime.format.RowDecoder;
import io.peregrine.runtime.format.RowDecoders;
import io.peregrine.runtime.source.RecordBatch;
import io.peregrine.runtime.source.RecordReader;
import io.peregrine.runtime.source.Source;
import io.peregrine.runtime.source.SourceException;
import io.peregrine.runtime.source.SourcePosition;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream's durable local log of ingested events, and the job's replayable source for them.
 *
 * <p><b>Format (version 1).</b> A directory of segment files named by the sequence number of their
 * first event, 20 decimal digits, {@code .seg}. A segment starts with the magic {@code PGIL} and a
 * big-endian int version; then frames: int payload length, int CRC32C of the payload, the payload
 * (one event as a UTF-8 JSON object). Sequence numbers count events from 0 over the whole log.
 *
 * <p><b>Durability.</b> One writer thread does group commit: it takes every append waiting, writes
 * their frames, {@code fsync}s, and only then completes their futures (which is when the gRPC
 * layer acknowledges). On open, a torn tail of the last segment (a frame cut short or with a bad
 * CRC, as a crash mid-write leaves) is cut off; acknowledged events were fsynced before the
 * acknowledgement, so they are never in the torn part. Damage anywhere else is an error naming the
 * segment and byte offset, never silently skipped.
 *
 * <p>Readers ({@link #source()}) see only fsynced frames, so a job never reads an event that a crash
 * could take back. Segments are never deleted yet (retention waits for checkpoints).
 */
public final class IngestLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestLog.class);
    static final int MAGIC = 0x5047494c; // "PGIL"
    static final int CURRENT_VERSION = 1;
    static final int HEADER_BYTES = 8;
    static final int FRAME_HEADER_BYTES = 8;
    static final String SUFFIX = ".seg";

    private final Path dir;
    private final StreamDef stream;
    private final long segmentBytes;
    private final int maxEventBytes;
    private final long maxPendingBytes;
    private final CopyOnWriteArrayList<Segment> segments = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<Append> queue = new LinkedBlockingQueue<>();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final AtomicLong readCount = new AtomicLong();
    private final Thread writer;
    private final Object readNotify = new Object();

    private volatile long durableCount;
    private volatile boolean inputEnded;
    private volatile boolean closed;
    private volatile IOException failure;

    // writer-thread state
    private FileChannel current;
    private long nextSequence;
    private ByteBuffer writeBuffer = ByteBuffer.allocateDirect(1 << 20);
    private final CRC32C crc = new CRC32C();

    /** One segment file: its first sequence number and how many of its bytes are fsynced. */
    static final class Segment {
        final long firstSequence;
        final Path path;
        volatile long durableEnd;

        Segment(long firstSequence, Path path, long durableEnd) {
            this.firstSequence = firstSequence;
            this.path = path;
            this.durableEnd = durableEnd;
        }
    }

    private record Append(List<byte[]> payloads, long bytes, CompletableFuture<Long> done) {
    }

    /** The log is over its backlog limit or closed: the caller should answer RESOURCE_EXHAUSTED / UNAVAILABLE. */
    public static final class RejectedException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final boolean overloaded;

        RejectedException(String message, boolean overloaded) {
            super(message);
            this.overloaded = overloaded;
        }

        public boolean overloaded() {
            return overloaded;
        }
    }

    private IngestLog(Path dir, StreamDef stream, long segmentBytes, int maxEventBytes, long maxPendingBytes)
            throws IOException {
        this.dir = dir;
        this.stream = stream;
        this.segmentBytes = segmentBytes;
        this.maxEventBytes = maxEventBytes;
        this.maxPendingBytes = maxPendingBytes;
        Files.createDirectories(dir);
        recover();
        this.writer = new Thread(this::writeLoop, "peregrine-ingest-log-" + stream.name());
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Opens (creating if needed) the log of {@code stream} in {@code dir}, recovering what an
     * earlier process left: every complete frame is kept, a torn tail is cut off.
     *
     * @throws IOException when the directory cannot be used or a segment is damaged before its end
     */
    public static IngestLog open(Path dir, StreamDef stream) throws IOException {
        return open(dir, stream, Limits.DEFAULTS);
    }

    /**
     * @param segmentBytes    a new segment starts once the current one is this large
     * @param maxEventBytes   the largest event payload accepted (and read back)
     * @param maxPendingBytes appends waiting for the writer beyond this many bytes are rejected (overload)
     */
    public record Limits(long segmentBytes, int maxEventBytes, long maxPendingBytes) {
        public static final Limits DEFAULTS = new Limits(64L << 20, 4 << 20, 256L << 20);
    }

    public static IngestLog open(Path dir, StreamDef stream, Limits limits) throws IOException {
        return open(dir, stream, limits.segmentBytes(), limits.maxEventBytes(), limits.maxPendingBytes());
    }

    /**
     * @param segmentBytes    a new segment starts once the current one is this large
     * @param maxEventBytes   the largest event payload accepted (and read back)
     * @param maxPendingBytes appends waiting for the writer beyond this many bytes are rejected (overload)
     */
    public static IngestLog open(Path dir, StreamDef stream, long segmentBytes, int maxEventBytes,
                                 long maxPendingBytes) throws IOException {
        return new IngestLog(dir, stream, segmentBytes, maxEventBytes, maxPendingBytes);
    }

    public StreamDef stream() {
        return stream;
    }

    public Path directory() {
        return dir;
    }

    /** Events durably appended so far: the sequence number the next one will get. */
    public long appended() {
        return durableCount;
    }

    /** Events the job has read from this log (through {@link #source()}). */
    public long read() {
        return readCount.get();
    }

    /**
     * Appends events; the future completes with the first event's sequence number once all of them
     * are fsynced (or exceptionally with the I/O error). Events of one call stay together and in
     * order; calls are appended in the order they are made.
     *
     * @throws RejectedException when the log is closed or too many bytes are waiting to be written
     */
    public CompletableFuture<Long> append(List<byte[]> payloads) {
        long bytes = 0;
        for (byte[] p : payloads) {
            if (p.length == 0 || p.length > maxEventBytes) {
                throw new IllegalArgumentException("event of " + p.length + " bytes (limit " + maxEventBytes + ")");
            }
            bytes += p.length + FRAME_HEADER_BYTES;
        }
        if (closed) {
            throw new RejectedException("ingest log of " + stream.name() + " is closed", false);
        }
        IOException f = failure;
        if (f != null) {
            throw new RejectedException("ingest log of " + stream.name() + " failed: " + f.getMessage(), false);
        }
        if (pendingBytes.addAndGet(bytes) > maxPendingBytes) {
            pendingBytes.addAndGet(-bytes);
            throw new RejectedException("ingest log of " + stream.name() + " would have more than " + maxPendingBytes
                    + " bytes waiting to be written; retry later", true);
        }
        CompletableFuture<Long> done = new CompletableFuture<>();
        queue.add(new Append(List.copyOf(payloads), bytes, done));
        return done;
    }

    /** Readers return END once they have read everything appended (for bounded replays and shutdown). */
    public void endInput() {
        inputEnded = true;
    }

    /** Stops the writer after it has written what is queued. Appends after this are rejected. */
    @Override
    public void close() {
        closed = true;
        queue.add(new Append(List.of(), 0, null));
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        inputEnded = true;
    }

    /** Waits until the job has read at least {@code count} events or the deadline (nanoTime) passes. */
    boolean awaitRead(long count, long deadlineNanos) throws InterruptedException {
        while (readCount.get() < count) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            synchronized (readNotify) {
                if (readCount.get() < count) {
                    readNotify.wait(Math.max(1, Math.min(left / 1_000_000, 50)));
                }
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- recovery

    private static Path segmentPath(Path dir, long first) {
        return dir.resolve(String.format("%020d%s", first, SUFFIX));
    }

    private void recover() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().forEach(files::add);
        }
        long expected = 0;
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            String name = file.getFileName().toString();
            long first;
            try {
                first = Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
            } catch (NumberFormatException e) {
                throw new IOException("ingest log " + dir + ": unexpected file " + name);
            }
            if (first != expected) {
                throw new IOException("ingest log " + dir + ": segment " + name + " starts at event " + first
                        + " but the segments before it end at " + expected);
            }
            boolean last = i == files.size() - 1;
            long[] scan = scan(file, last);
            expected = first + scan[0];
            segments.add(new Segment(first, file, scan[1]));
        }
        nextSequence = expected;
        durableCount = expected;
        if (segments.isEmpty()) {
            startSegment(0);
        } else {
            Segment s = segments.get(segments.size() - 1);
            current = FileChannel.open(s.path, StandardOpenOption.WRITE, StandardOpenOption.READ);
            current.position(s.durableEnd);
        }
        LOG.info("ingest log {}: {} events in {} segments", dir, expected, segments.size());
    }

    /** Counts a segment's valid frames; returns {count, end offset}. Cuts a torn tail of the last segment. */
    private long[] scan(Path file, boolean last) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (size < HEADER_BYTES) {
                if (!last) {
                    throw new IOException("ingest log segment " + file + " is " + size + " bytes, shorter than its header");
                }
                writeHeader(ch);
                ch.force(true);
                return new long[] {0, HEADER_BYTES};
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
            readFully(ch, header, 0);
            header.flip();
            int magic = header.getInt();
            int version = header.getInt();
            if (magic != MAGIC) {
                throw new IOException("ingest log segment " + file + " is not an ingest log (magic " + Integer.toHexString(magic) + ")");
            }
            if (version != CURRENT_VERSION) {
                throw new IOException("ingest log segment " + file + " has format version " + version
                        + "; this build reads version " + CURRENT_VERSION);
            }
            long pos = HEADER_BYTES;
            long count = 0;
            ByteBuffer fh = ByteBuffer.allocate(FRAME_HEADER_BYTES);
            ByteBuffer payload = ByteBuffer.allocate(64 << 10);
            CRC32C c = new CRC32C();
            String problem = null;
            while (pos < size) {
                if (size - pos < FRAME_HEADER_BYTES) {
                    problem = "a frame header cut short";
                    break;
                }
                fh.clear();
                readFully(ch, fh, pos);
                fh.flip();
                int len = fh.getInt();
                int sum = fh.getInt();
                if (len <= 0 || len > maxEventBytes) {
                    problem = "a frame length of " + len;
                    break;
                }
                if (size - pos - FRAME_HEADER_BYTES < len) {
                    problem = "a frame cut short";
                    break;
                }
                if (payload.capacity() < len) {
                    payload = ByteBuffer.allocate(len);
                }
                payload.clear().limit(len);
                readFully(ch, payload, pos + FRAME_HEADER_BYTES);
                c.reset();
                c.update(payload.array(), 0, len);
                if ((int) c.getValue() != sum) {
                    problem = "a CRC mismatch";
                    break;
                }
                pos += FRAME_HEADER_BYTES + len;
                count++;
            }
            if (problem != null) {
                if (!last) {
                    throw new IOException("ingest log segment " + file + " is damaged at byte " + pos + ": " + problem);
                }
                LOG.warn("ingest log segment {}: cutting {} bytes of torn tail at byte {} ({})", file, size - pos, pos, problem);
                ch.truncate(pos);
                ch.force(true);
            }
            return new long[] {count, pos};
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new EOFException();
            }
            pos += n;
        }
    }

    private static void writeHeader(FileChannel ch) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).putInt(MAGIC).putInt(CURRENT_VERSION);
        h.flip();
        ch.truncate(0);
        while (h.hasRemaining()) {
            ch.write(h, HEADER_BYTES - h.remaining());
        }
        ch.position(HEADER_BYTES);
    }

    private void startSegment(long first) throws IOException {
        if (current != null) {
            current.close();
        }
        Path path = segmentPath(dir, first);
        current = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
        writeHeader(current);
        current.force(true);
        // the new file's directory entry must survive a crash too
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            LOG.debug("cannot fsync directory {}: {}", dir, e.toString());
        }
        segments.add(new Segment(first, path, HEADER_BYTES));
    }

    // ---------------------------------------------------------------- writer

    private void writeLoop() {
        List<Append> batch = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch);
            List<Append> work = new ArrayList<>(batch.size());
            for (Append a : batch) {
                if (a.done() == null) {
                    stop = true;
                } else {
                    work.add(a);
                }
            }
            batch.clear();
            if (!work.isEmpty()) {
                commit(work);
            }
        }
        try {
            if (current != null) {
                current.close();
            }
        } catch (IOException e) {
            LOG.warn("closing ingest log {}: {}", dir, e.toString());
        }
        // whatever raced with close is refused, never left hanging
        List<Append> rest = new ArrayList<>();
        queue.drainTo(rest);
        for (Append a : rest) {
            if (a.done() != null) {
                a.done().completeExceptionally(new RejectedException("ingest log of " + stream.name() + " is closed", false));
            }
        }
    }

    private void commit(List<Append> work) {
        long bytes = 0;
        for (Append a : work) {
            bytes += a.bytes();
        }
        try {
            if (failure != null) {
                throw failure;
            }
            Segment seg = segments.get(segments.size() - 1);
            if (seg.durableEnd >= segmentBytes) {
                startSegment(nextSequence);
                seg = segments.get(segments.size() - 1);
            }
            long pos = seg.durableEnd;
            long seq = nextSequence;
            for (Append a : work) {
                for (byte[] p : a.payloads()) {
                    if (writeBuffer.remaining() < FRAME_HEADER_BYTES + p.length) {
                        pos += flushBuffer(pos);
                        if (writeBuffer.capacity() < FRAME_HEADER_BYTES + p.length) {
                            writeBuffer = ByteBuffer.allocateDirect(FRAME_HEADER_BYTES + p.length);
                        }
                    }
                    crc.reset();
                    crc.update(p, 0, p.length);
                    writeBuffer.putInt(p.length).putInt((int) crc.getValue()).put(p);
                }
            }
            pos += flushBuffer(pos);
            current.force(false);
            seg.durableEnd = pos;
            for (Append a : work) {
                long first = seq;
                seq += a.payloads().size();
                nextSequence = seq;
                durableCount = seq;
                a.done().complete(first);
            }
        } catch (IOException e) {
            // Undefined what reached the disk: stop accepting; a restart recovers the valid prefix.
            failure = e;
            LOG.error("ingest log {} failed: {}", dir, e.toString());
            for (Append a : work) {
                a.done().completeExceptionally(e);
            }
        } finally {
            pendingBytes.addAndGet(-bytes);
        }
    }

    private long flushBuffer(long pos) throws IOException {
        writeBuffer.flip();
        long n = 0;
        while (writeBuffer.hasRemaining()) {
            n += current.write(writeBuffer, pos + n);
        }
        writeBuffer.clear();
        return n;
    }

    // ---------------------------------------------------------------- reading

    /**
     * The job's source for this log: live (it waits for new events and never ends until
     * {@link #endInput}), replayable from a sequence number ({@link SourcePosition#offset()}).
     */
    public Source source() {
        return new Source() {
            @Override
            public String describe() {
                return "ingest-log:" + dir;
            }

            @Override
            public RecordReader open(StreamDef def, SourcePosition from) {
                if (!def.schema().equals(stream.schema())) {
                    throw new SourceException("ingest log " + dir + " holds stream " + stream.name()
                            + ", not " + def.name());
                }
                try {
                    return new LogReader(def, from == null ? 0 : from.offset());
                } catch (IOException e) {
                    throw new SourceException("cannot open ingest log " + dir + ": " + e.getMessage(), e);
                }
            }

            @Override
            public String toString() {
                return describe();
            }
        };
    }

    private final class LogReader implements RecordReader {
        private final RowDecoder decoder;
        private final CRC32C check = new CRC32C();
        private int segmentIndex = -1;
        private FileChannel channel;
        private long filePos;
        private byte[] buf = new byte[256 << 10];
        private int bufStart;
        private int bufEnd;
        private long nextSeq;
        private long skipped;

        LogReader(StreamDef def, long from) throws IOException {
            this.decoder = RowDecoders.forFormat("json", def.schema());
            // find the segment holding `from`, then skip frames up to it
            int idx = 0;
            for (int i = 0; i < segments.size(); i++) {
                if (segments.get(i).firstSequence <= from) {
                    idx = i;
                }
            }
            openSegment(idx);
            nextSeq = segments.get(idx).firstSequence;
            RecordBatch scratch = new RecordBatch();
            while (nextSeq < from) {
                int n = readFrames(scratch, (int) Math.min(1024, from - nextSeq), false);
                if (n <= 0) {
                    throw new IOException("event " + from + " is beyond the log's end " + nextSeq);
                }
            }
            readCount.set(nextSeq);
        }

        private void openSegment(int idx) throws IOException {
            if (channel != null) {
                channel.close();
            }
            segmentIndex = idx;
            channel = FileChannel.open(segments.get(idx).path, StandardOpenOption.READ);
            filePos = HEADER_BYTES;
            bufStart = 0;
            bufEnd = 0;
        }

        @Override
        public int read(RecordBatch batch, int max) throws IOException {
            batch.startRows(0, stream.name());
            int n = readFrames(batch, max, true);
            if (n > 0) {
                readCount.set(nextSeq);
                synchronized (readNotify) {
                    readNotify.notifyAll();
                }
                return n;
            }
            if (nextSeq >= durableCount && inputEnded) {
                return END;
            }
            return NOTHING_YET;
        }

        /** Reads up to max fsynced frames; decodes them into the batch when {@code emit}. */
        private int readFrames(RecordBatch batch, int max, boolean emit) throws IOException {
            int n = 0;
            while (n < max) {
                if (bufEnd - bufStart < FRAME_HEADER_BYTES || bufEnd - bufStart < FRAME_HEADER_BYTES + frameLength()) {
                    if (!fill()) {
                        break;
                    }
                    continue;
                }
                int len = frameLength();
                int sum = getInt(buf, bufStart + 4);
                int start = bufStart + FRAME_HEADER_BYTES;
                check.reset();
                check.update(buf, start, len);
                if ((int) check.getValue() != sum) {
                    throw new IOException("CRC mismatch in " + segments.get(segmentIndex).path + " at event " + nextSeq);
                }
                if (emit) {
                    if (decoder.decode(buf, start, start + len) == RowDecoder.Status.ROW) {
                        batch.addRow(decoder.row(), nextSeq);
                        n++;
                    } else {
                        // validated before it was appended; only a changed program can get here
                        skipped++;
                        LOG.warn("ingest log {}: event {} no longer decodes ({}); {} skipped so far",
                                dir, nextSeq, decoder.failure(), skipped);
                    }
                } else {
                    n++;
                }
                bufStart = start + len;
                nextSeq++;
            }
            return n;
        }

        private int frameLength() throws IOException {
            if (bufEnd - bufStart < FRAME_HEADER_BYTES) {
                return 0;
            }
            int len = getInt(buf, bufStart);
            if (len <= 0 || len > maxEventBytes) {
                throw new IOException("bad frame length " + len + " in " + segments.get(segmentIndex).path
                        + " at event " + nextSeq);
            }
            return len;
        }

        /** Reads more fsynced bytes; false when there are none right now. */
        private boolean fill() throws IOException {
            Segment seg = segments.get(segmentIndex);
            long end = seg.durableEnd;
            if (filePos >= end) {
                // the writer adds a segment only after the previous one's last durableEnd is published
                if (segmentIndex + 1 < segments.size() && bufStart == bufEnd) {
                    if (filePos >= seg.durableEnd) {
                        openSegment(segmentIndex + 1);
                        return true;
                    }
                }
                return false;
            }
            if (bufStart > 0) {
                System.arraycopy(buf, bufStart, buf, 0, bufEnd - bufStart);
                bufEnd -= bufStart;
                bufStart = 0;
            }
            if (bufEnd == buf.length) {
                buf = java.util.Arrays.copyOf(buf, buf.length * 2);
            }
            int want = (int) Math.min(buf.length - bufEnd, end - filePos);
            ByteBuffer bb = ByteBuffer.wrap(buf, bufEnd, want);
            int got = 0;
            while (bb.hasRemaining()) {
                int r = channel.read(bb, filePos + got);
                if (r < 0) {
                    throw new EOFException("ingest log segment " + seg.path + " ends before its fsynced length " + end);
                }
                got += r;
            }
            filePos += got;
            bufEnd += got;
            return true;
        }

        @Override
        public SourcePosition position() {
            return new SourcePosition(0, stream.name(), nextSeq, nextSeq + 1);
        }

        @Override
        public void close() throws IOException {
            if (channel != null) {
                channel.close();
            }
        }
    }

    private static int getInt(byte[] b, int i) {
        return ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
    }
}
