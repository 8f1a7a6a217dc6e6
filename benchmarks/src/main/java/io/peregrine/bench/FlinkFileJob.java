package io.peregrine.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * The FlinkCEP side of the end-to-end benchmark: a streaming job on a local (in-JVM) mini cluster
 * that reads the JSON-lines transactions file with {@code FileSource} and {@code TextLineInputFormat},
 * parses each line into a {@link Txn} with Jackson (Flink's shaded copy: {@code readTree}, then the
 * five fields), assigns timestamps with 2 s bounded-out-of-orderness watermarks, keys by card and
 * runs the three {@link FraudPatterns#flink()} patterns with {@code CEP.pattern(...).process(...)};
 * each pattern's matches are counted in an accumulator by a chained map, then discarded.
 *
 * <p>Heap ({@code hashmap}) state backend, default settings otherwise (periodic watermarks every
 * 200 ms, no object reuse). One file is one split, so one source subtask reads and parses it at any
 * parallelism (as Peregrine's single reader does); the CEP operators run at the job's parallelism.
 *
 * <p>Two clocks: {@code nanos} runs from the first line parsed to the close of the last CEP
 * operator (mini-cluster start-up and shut-down excluded: in Flink's favour); {@code wallNanos} is
 * the whole {@code execute()}.
 */
final class FlinkFileJob {

    // first record parsed and last CEP operator closed in this run (the mini cluster is in this JVM),
    // with the process CPU time at those moments
    private static long start;
    private static long startCpu;
    private static long end;
    private static long endCpu;

    /**
     * One run.
     *
     * @param rows matches per pattern, by {@link FraudPatterns#label()}
     * @param nanos first record parsed to last CEP operator closed
     * @param cpuNanos CPU time of the whole process (all threads, GC included) over the same interval
     * @param wallNanos the whole {@code execute()}, mini-cluster start-up and shut-down included
     */
    record Result(Map<String, Long> rows, long nanos, long cpuNanos, long wallNanos) {}

    private FlinkFileJob() {}

    static Result run(Path file, List<FraudPatterns> patterns, int parallelism, long boundMillis, String tmpDir)
            throws Exception {
        synchronized (FlinkFileJob.class) {
            start = 0;
            end = 0;
        }
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING);
        conf.set(CoreOptions.TMP_DIRS, tmpDir);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);

        FileSource<String> source = FileSource
                .forRecordStreamFormat(new TextLineInputFormat(), new org.apache.flink.core.fs.Path(file.toUri()))
                .build();
        DataStream<Txn> txns = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), "transactions")
                .map(new ParseTxn())
                .name("parse")
                .assignTimestampsAndWatermarks(WatermarkStrategy
                        .<Txn>forBoundedOutOfOrderness(Duration.ofMillis(boundMillis))
                        .withTimestampAssigner((t, previous) -> t.ts()));
        KeyedStream<Txn, Long> byCard = txns.keyBy(Txn::cardId);
        for (FraudPatterns p : patterns) {
            CEP.pattern(byCard, p.flink())
                    .inEventTime()
                    .process(new EmitOne())
                    .name(p.label())
                    .map(new CountRows(p.label()))
                    .name("count " + p.label())
                    .sinkTo(new DiscardingSink<>());
        }

        long t0 = System.nanoTime();
        JobExecutionResult result = env.execute("flinkcep e2e p=" + parallelism);
        long wall = System.nanoTime() - t0;
        Map<String, Long> rows = new LinkedHashMap<>();
        for (FraudPatterns p : patterns) {
            Long n = result.getAccumulatorResult(p.label());
            rows.put(p.label(), n == null ? 0L : n);
        }
        synchronized (FlinkFileJob.class) {
            if (start == 0 || end == 0) {
                throw new IllegalStateException("the Flink job read no record");
            }
            return new Result(rows, end - start, endCpu - startCpu, wall);
        }
    }

    /**
     * One JSON line to a {@link Txn}. The card id ({@code "card-0001234"}) becomes the number after
     * the dash: {@link Txn} keys cards by a {@code long} (hashing it is cheaper than a string, which
     * favours Flink slightly).
     */
    static final class ParseTxn extends RichMapFunction<String, Txn> {
        private static final long serialVersionUID = 1L;
        private transient ObjectMapper json;
        private transient boolean started;

        @Override
        public void open(OpenContext context) {
            json = new ObjectMapper();
        }

        @Override
        public Txn map(String line) throws Exception {
            if (!started) {
                started = true;
                synchronized (FlinkFileJob.class) {
                    if (start == 0) {
                        start = System.nanoTime();
                        startCpu = FraudBenchmark.processCpuNanos();
                    }
                }
            }
            JsonNode n = json.readTree(line);
            String card = n.get("card_id").asText();
            return new Txn(Long.parseLong(card, card.indexOf('-') + 1, card.length(), 10), n.get("amount").asDouble(),
                    n.get("country").asText(), n.get("merchant_id").asLong(), n.get("ts").asLong());
        }
    }

    /** A 1 for each match. */
    static final class EmitOne extends PatternProcessFunction<Txn, Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processMatch(Map<String, List<Txn>> match, Context ctx, Collector<Long> out) {
            out.collect(1L);
        }
    }

    /**
     * Counts a pattern's matches into the accumulator named after it (chained after the CEP operator,
     * which does not support accumulators itself); closed after it, so it stops the clock.
     */
    static final class CountRows extends RichMapFunction<Long, Long> {
        private static final long serialVersionUID = 1L;
        private final String name;
        private transient LongCounter rows;

        CountRows(String name) {
            this.name = name;
        }

        @Override
        public void open(OpenContext context) {
            rows = new LongCounter();
            getRuntimeContext().addAccumulator(name, rows);
        }

        @Override
        public Long map(Long one) {
            rows.add(one);
            return one;
        }

        @Override
        public void close() throws Exception {
            synchronized (FlinkFileJob.class) {
                end = System.nanoTime();
                endCpu = FraudBenchmark.processCpuNanos();
            }
            super.close();
        }
    }
}
