package io.peregrine.runtime;

import io.peregrine.dsl.StreamDef;
import io.peregrine.dsl.schema.Row;
import io.peregrine.runtime.checkpoint.CheckpointManifest;
import io.peregrine.runtime.format.DecodeException;
import io.peregrine.runtime.format.RowDecoder;
import io.peregrine.runtime.format.RowDecoders;
import io.peregrine.runtime.format.Timestamps;
import io.peregrine.runtime.sink.DeadLetter;
import io.peregrine.runtime.sink.LateEvent;
import io.peregrine.runtime.sink.Sink;
import io.peregrine.runtime.source.RecordBatch;
import io.peregrine.runtime.source.RecordReader;
import io.peregrine.runtime.source.Source;
import io.peregrine.runtime.source.SourceException;
import io.peregrine.runtime.source.SourcePosition;
import io.peregrine.runtime.state.KeyGroups;
import io.peregrine.runtime.time.BoundedOutOfOrdernessWatermarks;
import io.peregrine.runtime.time.WatermarkCombiner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reading side of a job, on one thread: records from the inputs are decoded (bad ones to the
 * dead letters), stamped with event time, judged late against their stream's watermark (late ones
 * to the late output), and routed by key group to the workers' batches; watermarks are generated
 * per input, combined per stream, and sent to every worker as epoch markers.
 *
 * <p>Lateness is decided here, per event, against the watermark as it stands after the events
 * before it, so it depends only on the order records are read in, not on threads or parallelism.
 */
final class Ingest {

    /** Where routed events go: the job's worker queues, or the test driver's single worker. */
    interface Output {
        /** The batch currently being filled for a worker. */
        EventBatch batch(int worker);

        /** Hands a batch over; the next {@link #batch} call for that worker returns another one. */
        void deliver(int worker, EventBatch batch);
    }

    static final class Input {
        final int index;
        final int stream;
        final int local;
        final Source source;
        final String name;
        final BoundedOutOfOrdernessWatermarks watermarks;
        RecordReader reader;
        RowDecoder decoder;
        boolean ended;
        long records;
        final AtomicLong publishedRecords = new AtomicLong();

        Input(int index, int stream, int local, Source source, long bound) {
            this.index = index;
            this.stream = stream;
            this.local = local;
            this.source = source;
            this.name = source == null ? "test" : source.describe();
            this.watermarks = new BoundedOutOfOrdernessWatermarks(bound);
        }
    }

    static final class StreamState {
        final int index;
        final StreamDef def;
        final int eventTime;
        final String eventTimeName;
        final int[] keyings;
        WatermarkCombiner combiner;
        long watermark = Long.MIN_VALUE;
        long records;
        long decodeFailures;
        long late;
        final AtomicLong publishedRecords = new AtomicLong();
        final AtomicLong publishedFailures = new AtomicLong();
        final AtomicLong publishedLate = new AtomicLong();
        final AtomicLong publishedWatermark = new AtomicLong(Long.MIN_VALUE);

        StreamState(int index, StreamDef def, int eventTime, int[] keyings) {
            this.index = index;
            this.def = def;
            this.eventTime = eventTime;
            this.eventTimeName = eventTime < 0 ? null : def.schema().column(eventTime).name();
            this.keyings = keyings;
        }
    }

    private final JobPlan plan;
    private final int parallelism;
    final StreamState[] streams;
    final List<Input> inputs = new ArrayList<>();
    private final KeyEncoder[] encoders;
    private final Output output;
    private final Sink<LateEvent> late;
    private final Sink<DeadLetter> deadLetters;
    private final long[] sent;
    private long epoch;
    /** Attached to the next epoch marker sent. */
    private CheckpointBarrier barrier;
    private final RecordBatch scratch = new RecordBatch();

    Ingest(JobPlan plan, int parallelism, Output output, Sink<LateEvent> late, Sink<DeadLetter> deadLetters) {
        this.plan = plan;
        this.parallelism = parallelism;
        this.output = output;
        this.late = late;
        this.deadLetters = deadLetters;
        this.streams = new StreamState[plan.streams.size()];
        for (int s = 0; s < streams.length; s++) {
            streams[s] = new StreamState(s, plan.streams.get(s), plan.eventTimeColumn[s], plan.keyingsByStream[s]);
        }
        this.encoders = new KeyEncoder[plan.keyingColumns.length];
        for (int k = 0; k < encoders.length; k++) {
            encoders[k] = plan.keyEncoder(k);
        }
        this.sent = new long[streams.length];
        java.util.Arrays.fill(sent, Long.MIN_VALUE);
    }

    /** Adds an input of a stream (source null: rows and lines are piped in by a test driver). */
    Input addInput(int stream, Source source) {
        int local = 0;
        for (Input in : inputs) {
            if (in.stream == stream) {
                local++;
            }
        }
        Input in = new Input(inputs.size(), stream, local, source, plan.outOfOrderness[stream]);
        inputs.add(in);
        return in;
    }

    /** Creates the watermark combiners once all inputs are known; streams without inputs end at once. */
    void start(long idleTimeoutMillis, long nowMillis) {
        for (StreamState st : streams) {
            int count = 0;
            for (Input in : inputs) {
                if (in.stream == st.index) {
                    count++;
                }
            }
            if (count == 0) {
                st.combiner = null;
                continue;
            }
            st.combiner = new WatermarkCombiner(count, idleTimeoutMillis, nowMillis);
        }
    }

    /** Opens every input's source (from the given positions, or the beginning). */
    void open(List<SourcePosition> from) {
        for (Input in : inputs) {
            if (in.source != null && !in.ended) {
                in.reader = in.source.open(plan.streams.get(in.stream), from == null ? null : from.get(in.index));
            }
        }
    }

    boolean allEnded() {
        for (Input in : inputs) {
            if (!in.ended) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads and handles up to {@code max} records of an input.
     *
     * @return the number read, {@link RecordReader#NOTHING_YET} or {@link RecordReader#END}
     */
    int readChunk(Input in, int max, long nowMillis) {
        if (in.ended) {
            return RecordReader.END;
        }
        int n;
        try {
            n = in.reader.read(scratch, max);
        } catch (IOException e) {
            throw new SourceException("cannot read " + in.name + " at " + describe(in.reader.position()) + ": "
                    + e.getMessage(), e);
        }
        if (n == RecordReader.END) {
            endInput(in);
            return n;
        }
        if (n == 0) {
            return n;
        }
        StreamState st = streams[in.stream];
        st.combiner.onActivity(in.local, nowMillis);
        RecordBatch b = scratch;
        String split = b.splitName();
        if (b.isDecoded()) {
            for (int i = 0; i < n; i++) {
                onRow(in, b.row(i), split, b.line(i), b.offset(i), null, 0, 0);
            }
        } else {
            if (b.startsSplit()) {
                onSplitStart(in);
            }
            byte[] buf = b.buffer();
            for (int i = 0; i < n; i++) {
                onText(in, buf, b.start(i), b.end(i), split, b.line(i), b.offset(i));
            }
        }
        in.records += n;
        st.records += n;
        return n;
    }

    private RowDecoder decoder(Input in) {
        if (in.decoder == null) {
            StreamDef def = plan.streams.get(in.stream);
            try {
                in.decoder = RowDecoders.forFormat(def.format(), def.schema());
            } catch (IllegalArgumentException e) {
                throw new JobException("stream " + def.name() + ": " + e.getMessage());
            }
        }
        return in.decoder;
    }

    /** A new file of an input begins (a CSV decoder reads its header next). */
    void onSplitStart(Input in) {
        decoder(in).startSplit();
    }

    /** A text record: decoded, then handled as a row or a dead letter. */
    void onText(Input in, byte[] buf, int s, int e, String split, long line, long offset) {
        RowDecoder decoder = decoder(in);
        RowDecoder.Status status;
        try {
            status = decoder.decode(buf, s, e);
        } catch (DecodeException ex) {
            throw new SourceException(in.name + (split.equals(in.name) ? "" : "/" + split) + ":" + line + ": "
                    + ex.getMessage() + " (stream " + streams[in.stream].def.name() + ")");
        }
        if (status == RowDecoder.Status.ROW) {
            onRow(in, decoder.row(), split, line, offset, buf, s, e);
        } else if (status == RowDecoder.Status.FAILED) {
            deadLetter(in, split, line, offset, decoder.failure(), new String(buf, s, e - s, StandardCharsets.UTF_8));
        }
    }

    /** A decoded row: stamped, judged late or not, routed. */
    void onRow(Input in, Row row, String split, long line, long offset, byte[] raw, int rs, int re) {
        StreamState st = streams[in.stream];
        int col = st.eventTime;
        if (col < 0) {
            return; // a stream no pattern reads and without event time: read, counted, nothing else
        }
        if (row.isNull(col)) {
            deadLetter(in, split, line, offset, "event time column '" + st.eventTimeName + "' is null",
                    raw != null ? new String(raw, rs, re - rs, StandardCharsets.UTF_8) : row.toString());
            return;
        }
        long ts = row.getLong(col);
        if (ts == Long.MAX_VALUE) {
            deadLetter(in, split, line, offset, "event time column '" + st.eventTimeName + "' is out of range",
                    raw != null ? new String(raw, rs, re - rs, StandardCharsets.UTF_8) : row.toString());
            return;
        }
        if (ts <= st.watermark) {
            st.late++;
            late.write(new LateEvent(st.def.name(), in.name, split, line, offset, ts, st.watermark,
                    "event time " + Timestamps.formatIso(ts) + " is at or below the watermark "
                            + Timestamps.formatIso(st.watermark) + " of stream " + st.def.name(), row));
            return;
        }
        in.watermarks.onEvent(ts);
        long wm = st.combiner.onWatermark(in.local, in.watermarks.currentWatermark());
        if (wm > st.watermark) {
            st.watermark = wm;
        }
        for (int k : st.keyings) {
            KeyEncoder enc = encoders[k];
            int len = enc.encode(row);
            int hash = KeyGroups.hash(enc.buffer(), 0, len);
            int worker = parallelism == 1 ? 0
                    : KeyGroups.worker(KeyGroups.keyGroup(hash, plan.maxParallelism), plan.maxParallelism, parallelism);
            EventBatch batch = output.batch(worker);
            batch.add(k, hash, enc.buffer(), len, row, ts);
            if (batch.isFull()) {
                output.deliver(worker, batch);
            }
        }
    }

    private void deadLetter(Input in, String split, long line, long offset, String reason, String raw) {
        streams[in.stream].decodeFailures++;
        deadLetters.write(new DeadLetter(streams[in.stream].def.name(), in.name, split, line, offset, reason, raw));
    }

    void endInput(Input in) {
        if (in.ended) {
            return;
        }
        in.ended = true;
        StreamState st = streams[in.stream];
        long wm = st.combiner.onEnd(in.local);
        if (wm > st.watermark) {
            st.watermark = wm;
        }
        try {
            if (in.reader != null) {
                in.reader.close();
            }
        } catch (IOException e) {
            throw new SourceException("cannot close " + in.name + ": " + e.getMessage(), e);
        }
    }

    /** Marks inputs idle that have produced nothing for the idle timeout. */
    void checkIdle(long nowMillis) {
        for (StreamState st : streams) {
            if (st.combiner != null) {
                long wm = st.combiner.onIdleCheck(nowMillis);
                if (wm > st.watermark) {
                    st.watermark = wm;
                }
            }
        }
    }

    /** Raises a stream's watermark by hand (test driver); it never goes back. */
    void advanceWatermark(int stream, long watermark) {
        StreamState st = streams[stream];
        if (watermark > st.watermark) {
            st.watermark = watermark;
        }
    }

    /** Sends an epoch marker to every worker if some stream's watermark moved since the last one. */
    boolean maybeEpoch() {
        boolean moved = false;
        for (int s = 0; s < streams.length; s++) {
            moved |= streams[s].watermark > sent[s];
        }
        if (moved) {
            sendEpoch(false);
        }
        return moved;
    }

    /** The end of all input: the final watermark for every stream, and the end marker. */
    void finish() {
        for (StreamState st : streams) {
            st.watermark = Long.MAX_VALUE;
        }
        sendEpoch(true);
    }

    /** Ends without the final watermark (a cancelled job): the end marker with the watermarks as they are. */
    void sendEnd() {
        sendEpoch(true);
    }

    private void sendEpoch(boolean end) {
        long[] wms = new long[streams.length];
        for (int s = 0; s < streams.length; s++) {
            wms[s] = streams[s].watermark;
            sent[s] = wms[s];
        }
        long e = ++epoch;
        CheckpointBarrier cb = barrier;
        barrier = null;
        if (cb != null) {
            cb.watermarks = wms;
        }
        for (int w = 0; w < parallelism; w++) {
            EventBatch b = output.batch(w);
            b.epoch = e;
            b.watermarks = wms;
            b.end = end;
            b.barrier = cb;
            output.deliver(w, b);
        }
        publish();
    }

    /** Hands over partly filled batches (when the inputs are quiet), without an epoch marker. */
    void flushPartial() {
        for (int w = 0; w < parallelism; w++) {
            EventBatch b = output.batch(w);
            if (b.size > 0) {
                output.deliver(w, b);
            }
        }
    }

    void publish() {
        for (StreamState st : streams) {
            st.publishedRecords.lazySet(st.records);
            st.publishedFailures.lazySet(st.decodeFailures);
            st.publishedLate.lazySet(st.late);
            st.publishedWatermark.lazySet(st.watermark);
        }
        for (Input in : inputs) {
            in.publishedRecords.lazySet(in.records);
        }
    }

    long epoch() {
        return epoch;
    }

    /**
     * Records where every input is and sends a barrier to every worker behind the events read so far
     * (with an epoch marker), so that the workers' snapshots hold exactly those events.
     */
    void checkpoint(CheckpointBarrier b) {
        captureInto(b);
        barrier = b;
        sendEpoch(false);
    }

    /** The end of all input with a barrier: the final watermarks, then a last checkpoint. */
    void finish(CheckpointBarrier b) {
        for (StreamState st : streams) {
            st.watermark = Long.MAX_VALUE;
        }
        captureInto(b);
        barrier = b;
        sendEpoch(true);
    }

    private void captureInto(CheckpointBarrier b) {
        List<CheckpointManifest.StreamProgress> sp = new ArrayList<>();
        for (StreamState st : streams) {
            sp.add(new CheckpointManifest.StreamProgress(st.def.name(), st.watermark, st.records, st.late,
                    st.decodeFailures));
        }
        List<CheckpointManifest.InputProgress> ip = new ArrayList<>();
        for (Input in : inputs) {
            SourcePosition pos = in.reader == null ? null : in.reader.position();
            ip.add(new CheckpointManifest.InputProgress(streams[in.stream].def.name(), in.local, in.name, pos, in.ended,
                    in.watermarks.maxTimestamp(), in.records));
        }
        b.streams = sp;
        b.inputs = ip;
    }

    /**
     * Resumes where a checkpoint was taken: stream watermarks and counters, each input's watermark
     * generator and whether it ended; returns the positions to open the inputs at. Call after
     * {@link #start} and before {@link #open}.
     *
     * @throws JobException when the checkpoint's inputs do not match this job's
     */
    List<SourcePosition> restore(CheckpointManifest m) {
        for (CheckpointManifest.StreamProgress p : m.streams()) {
            int s = plan.indexOf(p.name());
            if (s < 0) {
                throw new JobException("the checkpoint has stream " + p.name() + ", which the program does not declare");
            }
            StreamState st = streams[s];
            st.watermark = p.watermark();
            sent[s] = p.watermark();
            st.records = p.records();
            st.late = p.late();
            st.decodeFailures = p.decodeFailures();
        }
        List<SourcePosition> positions = new ArrayList<>();
        for (Input in : inputs) {
            String stream = streams[in.stream].def.name();
            CheckpointManifest.InputProgress found = null;
            for (CheckpointManifest.InputProgress p : m.inputs()) {
                if (p.stream().equals(stream) && p.local() == in.local) {
                    found = p;
                }
            }
            if (found == null) {
                throw new JobException("input " + (in.local + 1) + " of stream " + stream + " (" + in.name
                        + ") is not in the checkpoint: resume with the inputs it was taken with");
            }
            if (!found.source().equals(in.name)) {
                org.slf4j.LoggerFactory.getLogger(Ingest.class).warn(
                        "input {} of stream {} was {} when checkpointed and is {} now: resuming at its position",
                        in.local + 1, stream, found.source(), in.name);
            }
            in.watermarks.restore(found.maxTimestamp());
            in.records = found.records();
            StreamState st = streams[in.stream];
            if (st.combiner != null) {
                st.combiner.onWatermark(in.local, in.watermarks.currentWatermark());
                if (found.ended()) {
                    st.combiner.onEnd(in.local);
                }
            }
            in.ended = found.ended();
            positions.add(found.position());
        }
        publish();
        return positions;
    }

    List<SourcePosition> positions() {
        List<SourcePosition> out = new ArrayList<>();
        for (Input in : inputs) {
            out.add(in.reader == null ? null : in.reader.position());
        }
        return out;
    }

    void closeReaders() {
        for (Input in : inputs) {
            try {
                if (in.reader != null) {
                    in.reader.close();
                }
            } catch (IOException e) {
                // closing after a failure: the first error is what matters
            }
        }
    }

    private static String describe(SourcePosition p) {
        return p.splitName() + " line " + p.line() + " (byte " + p.offset() + ")";
    }
}
