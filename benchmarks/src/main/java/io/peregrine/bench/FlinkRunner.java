package io.peregrine.bench;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * Runs one pattern on FlinkCEP: a local (in-JVM) mini cluster, parallelism 1, heap state backend,
 * streaming mode, event time with a 2 s bounded-out-of-orderness watermark, keyed by card,
 * {@code CEP.pattern(...).inEventTime().process(...)} counting matches.
 *
 * <p>The events come from the pre-generated array (the mini cluster runs in this JVM), indexed by a
 * {@code fromSequence} source, so Flink and cep-core see the same events in the same order. The
 * clock runs from the first record the source emits to the close of the CEP operator (after the
 * final watermark), so mini-cluster start-up and shut-down are not counted.
 */
public final class FlinkRunner {

    static volatile Txn[] events;
    static final AtomicLong START = new AtomicLong();
    static final AtomicLong END = new AtomicLong();
    static final AtomicLong START_CPU = new AtomicLong();
    static final AtomicLong END_CPU = new AtomicLong();
    static final AtomicLong MATCHES = new AtomicLong();

    /** Result of one run. */
    public record Result(long matches, long nanos, long cpuNanos, long wallNanos) {}

    private FlinkRunner() {}

    public static Result run(FraudPatterns pattern, Txn[] input, long boundMillis, String tmpDir) throws Exception {
        events = input;
        START.set(0);
        END.set(0);
        MATCHES.set(0);

        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING);
        conf.set(CoreOptions.TMP_DIRS, tmpDir);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);

        DataStream<Txn> txns = env.fromSequence(0, input.length - 1)
                .map(new Lookup())
                .name("txns")
                .assignTimestampsAndWatermarks(WatermarkStrategy
                        .<Txn>forBoundedOutOfOrderness(Duration.ofMillis(boundMillis))
                        .withTimestampAssigner((t, previous) -> t.ts()));
        KeyedStream<Txn, Long> byCard = txns.keyBy(Txn::cardId);
        CEP.pattern(byCard, pattern.flink())
                .inEventTime()
                .process(new CountMatches())
                .name("cep-" + pattern.label())
                .sinkTo(new DiscardingSink<>());

        long t0 = System.nanoTime();
        env.execute("flinkcep " + pattern.label());
        long wall = System.nanoTime() - t0;
        events = null;
        return new Result(MATCHES.get(), END.get() - START.get(), END_CPU.get() - START_CPU.get(), wall);
    }

    static final class Lookup implements MapFunction<Long, Txn> {
        private static final long serialVersionUID = 1L;
        private transient boolean started;

        @Override
        public Txn map(Long i) {
            if (!started) {
                started = true;
                START_CPU.set(FraudBenchmark.processCpuNanos());
                START.set(System.nanoTime());
            }
            return events[(int) (long) i];
        }
    }

    static final class CountMatches extends PatternProcessFunction<Txn, Long> {
        private static final long serialVersionUID = 1L;
        private long count;

        @Override
        public void processMatch(java.util.Map<String, java.util.List<Txn>> match, Context ctx, Collector<Long> out) {
            count++;
        }

        @Override
        public void close() throws Exception {
            END.set(System.nanoTime());
            END_CPU.set(FraudBenchmark.processCpuNanos());
            MATCHES.addAndGet(count);
            super.close();
        }
    }
}
