package io.peregrine.bench;

import io.peregrine.dsl.Program;
import io.peregrine.dsl.Programs;
import io.peregrine.dsl.schema.Row;
import io.peregrine.dsl.schema.RowBuilder;
import io.peregrine.dsl.schema.Schema;
import io.peregrine.feature.FeatureKeyState;
import io.peregrine.feature.FeatureRequest;
import io.peregrine.feature.FeatureSetDefinition;
import io.peregrine.runtime.Job;
import io.peregrine.runtime.JobSummary;
import io.peregrine.runtime.source.Sources;
import io.peregrine.runtime.source.TransactionGenerator;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;

/**
 * The feature store under load, with the seven features of {@link #PROGRAM} per card:
 *
 * <ol>
 *   <li><b>ingest</b>: pre-built rows of 100k cards (100 events per second of event time, 2 s out of
 *       order) through {@link FeatureKeyState#add} and the per-event expiry the runtime does, on one
 *       thread, states found by card number (no key hashing: the aggregation alone); then the
 *       serialized (checkpoint) bytes of state per key.</li>
 *   <li><b>job</b>: the generator through a whole {@link Job} with one worker (generating, keying,
 *       keyed state, the feature operator) while a reader thread reads one random card at a time
 *       through {@link Job#featureView()}, about 10,000 reads a second; read latency p50/p99/p999
 *       from an HdrHistogram.</li>
 * </ol>
 */
public final class FeatureStoreBenchmark {

    static final String PROGRAM = """
            CREATE STREAM transactions (card_id STRING, amount DOUBLE, merchant_id BIGINT, country STRING,
              ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '2' SECOND) WITH (format = 'json');
            CREATE FEATURES card ON transactions KEY card_id (
              txn_1h        = COUNT(*)                    OVER SLIDING INTERVAL '1' HOUR,
              amount_1h     = SUM(amount)                 OVER SLIDING INTERVAL '1' HOUR,
              avg_amount_6h = AVG(amount)                 OVER SLIDING INTERVAL '6' HOUR,
              max_amount_1d = MAX(amount)                 OVER HOPPING INTERVAL '1' DAY EVERY INTERVAL '1' HOUR,
              merchants_6h  = COUNT(DISTINCT merchant_id) OVER SLIDING INTERVAL '6' HOUR,
              last_country  = LAST(country),
              since_last_ms = TIME_SINCE_LAST()
            );
            """;

    private FeatureStoreBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long events = 10_000_000;
        int keys = 100_000;
        long jobEvents = 5_000_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = FraudBenchmark.parseCount(args[++i]);
                case "--keys" -> keys = Integer.parseInt(args[++i]);
                case "--job-events" -> jobEvents = FraudBenchmark.parseCount(args[++i]);
                default -> {
                    System.err.println("unknown option " + args[i]
                            + "; options: --events N, --keys N, --job-events N (0 skips the job part)");
                    System.exit(64);
                }
            }
        }
        Program program = Programs.compile("features.cep", PROGRAM);
        FeatureSetDefinition<Row> set = program.featureSets().get(0);
        ingest(program, set, events, keys);
        if (jobEvents > 0) {
            job(program, jobEvents, keys);
        }
    }

    private static void ingest(Program program, FeatureSetDefinition<Row> set, long events, int keys) throws IOException {
        Schema schema = program.stream("transactions").orElseThrow().schema();
        // one million distinct rows, replayed with shifted times: building rows is not what is measured
        int distinct = 1_000_000;
        Row[] rows = new Row[distinct];
        int[] cards = new int[distinct];
        long[] times = new long[distinct];
        Random random = new Random(1);
        String[] countries = {"US", "CA", "FR", "DE", "GB", "BR", "IN", "JP"};
        String[] cardIds = new String[keys];
        for (int k = 0; k < keys; k++) {
            cardIds[k] = TransactionGenerator.cardId(k);
        }
        long start = TransactionGenerator.DEFAULT_START_MILLIS;
        for (int i = 0; i < distinct; i++) {
            int card = random.nextInt(keys);
            long ts = start + i * 10L - random.nextInt(2_000);
            rows[i] = new RowBuilder(schema).setString(0, cardIds[card]).setDouble(1, random.nextInt(50_000) / 100.0)
                    .setLong(2, random.nextInt(5_000)).setString(3, countries[random.nextInt(8)]).setLong(4, ts).build();
            cards[i] = card;
            times[i] = ts;
        }
        long span = distinct * 10L;
        @SuppressWarnings("unchecked")
        FeatureKeyState<Row>[] states = new FeatureKeyState[keys];
        FeatureKeyState.Factory<Row> factory = set.keyStates();
        for (int k = 0; k < keys; k++) {
            states[k] = factory.create();
        }
        // warm up on the first million, then measure the rest
        long warm = Math.min(events / 5, distinct);
        long watermark = Long.MIN_VALUE;
        long t0 = 0;
        for (long e = 0; e < warm + events; e++) {
            if (e == warm) {
                t0 = System.nanoTime();
            }
            int i = (int) (e % distinct);
            long ts = times[i] + (e / distinct) * span;
            FeatureKeyState<Row> s = states[cards[i]];
            s.add(rows[i], ts);
            if ((e & 1023) == 0) {
                watermark = ts - 4_000;
            }
            s.expire(watermark);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        CountingStream counter = new CountingStream();
        DataOutputStream out = new DataOutputStream(counter);
        for (FeatureKeyState<Row> s : states) {
            s.write(out);
        }
        out.flush();
        System.out.printf(Locale.ROOT, "ingest: %,d events over %,d keys, 7 features, one thread: %.2f s, %,.0f events/s%n",
                events, keys, seconds, events / seconds);
        System.out.printf(Locale.ROOT, "state: %,.0f bytes per key serialized (checkpoint form), %,d keys%n",
                (double) counter.count / keys, keys);
    }

    private static void job(Program program, long events, int keys) throws Exception {
        TransactionGenerator.Config config = TransactionGenerator.Config.of(7, events).withCards(keys);
        Job job = Job.builder(program).input("transactions", Sources.generator(config)).parallelism(1).build();
        Histogram latency = new Histogram(3_600_000_000L, 3);
        AtomicBoolean done = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            Random random = new Random(3);
            long reads = 0;
            while (!done.get()) {
                String key = TransactionGenerator.cardId(random.nextInt(keys));
                long t = System.nanoTime();
                job.featureView().get(FeatureRequest.latest("card", List.of(key)));
                long ns = System.nanoTime() - t;
                if (++reads > 2_000) {
                    latency.recordValue(ns);
                }
                // about 10,000 reads a second: latency under load, without starving the worker of a core
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
        }, "feature-reader");
        reader.setDaemon(true);
        reader.start();
        long t0 = System.nanoTime();
        JobSummary summary = CompletableFuture.supplyAsync(job::run).get();
        double seconds = (System.nanoTime() - t0) / 1e9;
        done.set(true);
        reader.join();
        System.out.printf(Locale.ROOT, "job: %,d generated events, 1 worker, 7 features, a reader thread: %.2f s, "
                + "%,.0f events/s%n", summary.events(), seconds, summary.events() / seconds);
        System.out.printf(Locale.ROOT, "reads while ingesting: %,d reads of one key, p50 %.1f us, p99 %.1f us, "
                        + "p99.9 %.1f us, max %.1f us%n", latency.getTotalCount(),
                latency.getValueAtPercentile(50) / 1e3, latency.getValueAtPercentile(99) / 1e3,
                latency.getValueAtPercentile(99.9) / 1e3, latency.getMaxValue() / 1e3);
    }

    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
