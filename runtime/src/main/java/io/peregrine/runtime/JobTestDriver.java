package io.peregrine.runtime;

import io.peregrine.dsl.CompiledPattern;
import io.peregrine.dsl.Program;
import io.peregrine.dsl.StreamDef;
import io.peregrine.dsl.schema.Row;
import io.peregrine.runtime.sink.DeadLetter;
import io.peregrine.runtime.sink.InMemorySink;
import io.peregrine.runtime.sink.JsonWriter;
import io.peregrine.runtime.sink.LateEvent;
import io.peregrine.runtime.sink.RowJsonEncoder;
import io.peregrine.runtime.sink.Sink;
import io.peregrine.runtime.state.HeapStateBackend;
import io.peregrine.runtime.state.KeyGroupRange;
import io.peregrine.runtime.state.KeyGroups;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a program without threads, for tests of patterns and jobs: pipe rows or raw lines into
 * streams, move watermarks, read what the patterns emitted, the late events and the dead letters.
 * It runs the job's own code (decoding, watermarks, lateness, key groups, the pattern operator,
 * output order) with one worker owning every key group, so its outputs equal a {@link Job}'s on the
 * same input, in the same order.
 *
 * <p>Each stream's watermark follows its events as in a job (highest timestamp minus the stream's
 * out-of-orderness bound, minus 1 ms), and can be raised with {@link #advanceWatermark}. Outputs
 * appear as soon as a watermark passes the events that produce them. {@link #finish} ends the input:
 * the final watermark flushes everything.
 *
 * <pre>{@code
 * try (JobTestDriver driver = JobTestDriver.create(program)) {
 *     driver.pipeLine("transactions", "{\"card_id\":\"c1\",\"amount\":0.5,\"ts\":1000}");
 *     driver.pipe("transactions", "c1", 900.0, Instant.ofEpochMilli(5000));
 *     driver.finish();
 *     List<Row> alerts = driver.output("card_testing");
 * }
 * }</pre>
 */
public final class JobTestDriver implements AutoCloseable {

    private static final String SOURCE = "test";

    private final JobPlan plan;
    private final Ingest ingest;
    private final Worker worker;
    private final OutputStage output;
    private final List<InMemorySink<Row>> patternSinks = new ArrayList<>();
    private final InMemorySink<LateEvent> late = new InMemorySink<>();
    private final InMemorySink<DeadLetter> deadLetters = new InMemorySink<>();
    private final Ingest.Input[] inputs;
    private final boolean[] headerSeen;
    private final long[] lines;
    private EventBatch batch = new EventBatch();
    private final JobFeatureView features;
    private boolean finished;

    private JobTestDriver(Program program, int maxParallelism) {
        this.plan = new JobPlan(program, maxParallelism);
        List<Sink<Row>> sinks = new ArrayList<>();
        for (int o = 0; o < 2 * plan.patterns.size(); o++) {
            InMemorySink<Row> s = new InMemorySink<>();
            patternSinks.add(s);
            sinks.add(s);
        }
        KeyGroupRange all = KeyGroupRange.all(maxParallelism);
        this.worker = new Worker(0, all, plan, new HeapStateBackend(all));
        this.output = new OutputStage(sinks, () -> 0L);
        this.features = new JobFeatureView(plan);
        features.attach(List.of(worker));
        this.ingest = new Ingest(plan, 1, new DirectOutput(), late, deadLetters);
        this.inputs = new Ingest.Input[plan.streams.size()];
        for (int s = 0; s < inputs.length; s++) {
            inputs[s] = ingest.addInput(s, null);
        }
        ingest.start(0, 0);
        this.headerSeen = new boolean[inputs.length];
        this.lines = new long[inputs.length];
    }

    /** A driver with the default 128 key groups. */
    public static JobTestDriver create(Program program) {
        return new JobTestDriver(program, KeyGroups.DEFAULT_MAX_PARALLELISM);
    }

    public static JobTestDriver create(Program program, int maxParallelism) {
        return new JobTestDriver(program, maxParallelism);
    }

    private int stream(String name) {
        int s = plan.indexOf(name);
        if (s < 0) {
            throw new IllegalArgumentException("unknown stream " + name);
        }
        if (finished) {
            throw new IllegalStateException("the input has finished");
        }
        return s;
    }

    /** An event of a stream, as it arrives. */
    public JobTestDriver pipe(String stream, Row row) {
        int s = stream(stream);
        StreamDef def = plan.streams.get(s);
        if (!row.schema().equals(def.schema())) {
            throw new IllegalArgumentException("row " + row + " is not of stream " + stream + def.schema());
        }
        long line = ++lines[s];
        ingest.onRow(inputs[s], row, SOURCE, line, line - 1, null, 0, 0);
        ingest.maybeEpoch();
        return this;
    }

    /** An event from its column values in order (boxed: Instant or epoch millis for TIMESTAMP, numbers, strings). */
    public JobTestDriver pipe(String stream, Object... values) {
        int s = stream(stream);
        return pipe(stream, Row.of(plan.streams.get(s).schema(), values));
    }

    /**
     * Raw text records, decoded by the stream's format (the first line piped into a CSV stream is its
     * header). Bad records go to the dead letters.
     */
    public JobTestDriver pipeLines(String stream, String... records) {
        int s = stream(stream);
        for (String record : records) {
            byte[] b = record.getBytes(StandardCharsets.UTF_8);
            if (!headerSeen[s]) {
                headerSeen[s] = true;
                // the first record of the input: a CSV decoder takes it as the header
                ingest.onSplitStart(inputs[s]);
            }
            long line = ++lines[s];
            ingest.onText(inputs[s], b, 0, b.length, SOURCE, line, line - 1);
            ingest.maybeEpoch();
        }
        return this;
    }

    /** Raises every stream's watermark to at least {@code watermark} (epoch ms). */
    public JobTestDriver advanceWatermark(long watermark) {
        for (int s = 0; s < inputs.length; s++) {
            ingest.advanceWatermark(s, watermark);
        }
        ingest.maybeEpoch();
        return this;
    }

    public JobTestDriver advanceWatermark(Instant watermark) {
        return advanceWatermark(watermark.toEpochMilli());
    }

    /** Raises one stream's watermark to at least {@code watermark}. */
    public JobTestDriver advanceWatermark(String stream, long watermark) {
        ingest.advanceWatermark(stream(stream), watermark);
        ingest.maybeEpoch();
        return this;
    }

    /** The end of the input: the final watermark, which releases every held event and fires every timer. */
    public JobTestDriver finish() {
        if (!finished) {
            finished = true;
            ingest.finish();
        }
        return this;
    }

    /**
     * The features as of now: every event piped so far is in them (events still batched are handed
     * to the worker first).
     */
    public JobFeatureView featureView() {
        ingest.flushPartial();
        return features;
    }

    /** A stream's current watermark ({@link Long#MIN_VALUE} before its first event). */
    public long watermark(String stream) {
        return ingest.streams[plan.indexOf(stream)].watermark;
    }

    /** Every match row the pattern emitted so far, in output order. */
    public List<Row> output(String pattern) {
        return patternSinks.get(2 * patternIndex(pattern)).records();
    }

    /** The match rows emitted since the last call, removed from the driver. */
    public List<Row> readOutput(String pattern) {
        return patternSinks.get(2 * patternIndex(pattern)).drain();
    }

    /** Every timed-out partial match row the pattern emitted so far (patterns with timeouts), in output order. */
    public List<Row> timeouts(String pattern) {
        return patternSinks.get(2 * patternIndex(pattern) + 1).records();
    }

    /** The pattern's match rows as the job writes them to its JSON-lines file, one object per line. */
    public List<String> outputLines(String pattern) {
        return lines(2 * patternIndex(pattern));
    }

    /** The pattern's timeout rows as the job writes them to its timeouts file, one object per line. */
    public List<String> timeoutLines(String pattern) {
        return lines(2 * patternIndex(pattern) + 1);
    }

    private List<String> lines(int output) {
        CompiledPattern p = plan.patterns.get(output / 2);
        RowJsonEncoder encoder = new RowJsonEncoder(output % 2 == 0 ? p.outputSchema() : p.timeoutSchema());
        List<String> lines = new ArrayList<>();
        JsonWriter w = new JsonWriter();
        for (Row r : patternSinks.get(output).records()) {
            w.reset();
            encoder.encode(r, w);
            lines.add(w.toString());
        }
        return lines;
    }

    public List<LateEvent> lateEvents() {
        return late.records();
    }

    public List<DeadLetter> deadLetters() {
        return deadLetters.records();
    }

    /**
     * Keys with state for a pattern: partial matches, held events or match counters (shared by the
     * patterns that partition the stream alike).
     */
    public long keys(String pattern) {
        return worker.operatorOf(patternIndex(pattern)).keys();
    }

    /** Partial matches in progress of a pattern. */
    public long partialMatches(String pattern) {
        int p = patternIndex(pattern);
        return worker.operatorOf(p).partialMatches[plan.localIndexOfPattern[p]];
    }

    private int patternIndex(String pattern) {
        int p = plan.patternIndex(pattern);
        if (p < 0) {
            throw new IllegalArgumentException("unknown pattern " + pattern);
        }
        return p;
    }

    @Override
    public void close() {
        worker.close();
    }

    /** Batches straight into the worker; epoch markers straight to the output. */
    private final class DirectOutput implements Ingest.Output {
        @Override
        public EventBatch batch(int w) {
            return batch;
        }

        @Override
        public void deliver(int w, EventBatch b) {
            worker.process(b);
            if (b.epoch >= 0) {
                output.write(new EpochOutput[] {worker.advance(b.epoch, b.watermarks, b.end)});
            }
            b.clear();
        }
    }
}
