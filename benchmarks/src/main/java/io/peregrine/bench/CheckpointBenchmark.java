package io.peregrine.bench;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.peregrine.dsl.Program;
import io.peregrine.dsl.Programs;
import io.peregrine.runtime.Job;
import io.peregrine.runtime.JobSummary;
import io.peregrine.runtime.checkpoint.CheckpointSettings;
import io.peregrine.runtime.checkpoint.CheckpointStorage;
import io.peregrine.runtime.source.Sources;
import io.peregrine.runtime.source.TransactionGenerator;
import io.peregrine.runtime.state.HeapStateBackend;
import io.peregrine.runtime.state.RocksDbStateBackend;
import io.peregrine.runtime.state.StateBackendFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Checkpoints with much pattern state: generated transactions over many cards (default 1M) through
 * geo-velocity ({@code F -> O} within an hour: every event opens a partial match, so every card seen
 * in the last hour of event time has state), on the heap and on RocksDB, checkpointing at an
 * interval. Prints throughput without and with checkpoints, checkpoint duration, the longest pause of a
 * worker per checkpoint (median, p99, max), state size, and the time to restore the last checkpoint
 * taken mid-run.
 *
 * <pre>
 * java -Xmx8g -XX:+UseParallelGC -jar benchmarks.jar checkpoint [--events 3m] [--cards 1m] [--rate 1000]
 *      [--interval 2s] [--parallelism 2] [--backends heap,rocksdb] [--tmp DIR]
 * </pre>
 */
public final class CheckpointBenchmark {

    static final String PROGRAM = """
            CREATE STREAM transactions (
              card_id STRING, amount DOUBLE, merchant_id BIGINT, country STRING, ts TIMESTAMP(3),
              WATERMARK FOR ts AS ts - INTERVAL '2' SECOND
            ) WITH (format = 'json');

            CREATE PATTERN geo_velocity AS SELECT * FROM transactions MATCH_RECOGNIZE (
              PARTITION BY card_id ORDER BY ts
              MEASURES F.country AS from_country, O.country AS to_country, O.ts AS at
              AFTER MATCH SKIP PAST LAST ROW
              PATTERN (F -> O) WITHIN INTERVAL '1' HOUR
              DEFINE O AS O.country <> F.country);
            """;

    private CheckpointBenchmark() {}

    public static void main(String[] args) throws Exception {
        long events = 3_000_000;
        long cards = 1_000_000;
        double rate = 1_000;
        Duration interval = Duration.ofSeconds(2);
        int parallelism = 2;
        List<String> backends = List.of("heap", "rocksdb");
        Path tmp = Path.of("benchmarks/target/tmp/checkpoint");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = FraudBenchmark.parseCount(args[++i]);
                case "--cards" -> cards = FraudBenchmark.parseCount(args[++i]);
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--interval" -> interval = CheckpointSettings.parseDuration(args[++i]);
                case "--parallelism" -> parallelism = Integer.parseInt(args[++i]);
                case "--backends" -> backends = List.of(args[++i].split(","));
                case "--tmp" -> tmp = Path.of(args[++i]);
                case "-h", "--help" -> {
                    System.out.println("checkpoint [--events 3m] [--cards 1m] [--rate 1000] [--interval 2s]"
                            + " [--parallelism 2] [--backends heap,rocksdb] [--tmp DIR]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Program program = Programs.compile("geo.pg", PROGRAM);
        TransactionGenerator.Config config = TransactionGenerator.Config.of(42, events).withCards((int) cards)
                .withEventsPerSecond(rate);
        System.out.printf(Locale.ROOT, "%,d events over %,d cards at %,.0f events per second of event time;"
                + " checkpoint every %s; parallelism %d; JVM %s, %d cores, max heap %,d MB%n", events, cards, rate,
                interval, parallelism, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        List<String> table = new ArrayList<>();
        for (String backend : backends) {
            Path dir = tmp.resolve(backend);
            delete(dir);
            StateBackendFactory factory = backend.equals("rocksdb")
                    ? RocksDbStateBackend.factory(dir.resolve("state")) : HeapStateBackend.factory();
            // without checkpoints (and a warm-up for the JIT)
            Job.builder(program).input("transactions", Sources.generator(config.withEventsPerSecond(rate)))
                    .outputDirectory(dir.resolve("warm-up")).parallelism(parallelism).stateBackend(factory).build().run();
            JobSummary plain = Job.builder(program).input("transactions", Sources.generator(config))
                    .outputDirectory(dir.resolve("plain")).parallelism(parallelism).stateBackend(factory).build().run();
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            Path checkpoints = dir.resolve("checkpoints");
            JobSummary s = Job.builder(program).input("transactions", Sources.generator(config))
                    .outputDirectory(dir.resolve("out")).parallelism(parallelism).stateBackend(factory)
                    .meterRegistry(meters).checkpointing(new CheckpointSettings(checkpoints, interval, 2))
                    .build().run();
            Timer duration = meters.get("peregrine.checkpoint.duration").timer();
            Timer pause = meters.get("peregrine.checkpoint.pause").timer();
            HistogramSnapshot pauses = pause.takeSnapshot();
            // the newest checkpoint is the one at the end (state drained); restore the retained one with most state
            CheckpointStorage storage = new CheckpointStorage(checkpoints, 2);
            Path midRun = null;
            long stateBytes = -1;
            for (long id : storage.ids()) {
                long bytes = 0;
                for (var f : CheckpointStorage.load(storage.directoryOf(id)).manifest().stateFiles()) {
                    bytes += f.length();
                }
                if (bytes > stateBytes) {
                    stateBytes = bytes;
                    midRun = storage.directoryOf(id);
                }
            }
            SimpleMeterRegistry restoreMeters = new SimpleMeterRegistry();
            Job.builder(program).input("transactions", Sources.generator(config))
                    .outputDirectory(dir.resolve("restored")).parallelism(parallelism).stateBackend(factory)
                    .meterRegistry(restoreMeters).fromSavepoint(midRun).build().run();
            double restore = restoreMeters.get("peregrine.restore.seconds").gauge().value();
            System.out.printf(Locale.ROOT, "%s: %,.0f events/s without checkpoints, %,.0f with; %d checkpoints,"
                    + " duration mean %.0f ms max %.0f ms; worker pause p50 %.1f ms p99 %.1f ms max %.1f ms;"
                    + " mid-run checkpoint %,d MB restored in %.2f s%n", backend, plain.eventsPerSecond(),
                    s.eventsPerSecond(), duration.count(), duration.mean(TimeUnit.MILLISECONDS),
                    duration.max(TimeUnit.MILLISECONDS), percentile(pauses, 0.5), percentile(pauses, 0.99),
                    pause.max(TimeUnit.MILLISECONDS), stateBytes >> 20, restore);
            table.add(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %d | %.0f / %.0f | %.1f / %.1f / %.1f | %,d | %.2f |",
                    backend, plain.eventsPerSecond(), s.eventsPerSecond(), duration.count(),
                    duration.mean(TimeUnit.MILLISECONDS), duration.max(TimeUnit.MILLISECONDS), percentile(pauses, 0.5),
                    percentile(pauses, 0.99), pause.max(TimeUnit.MILLISECONDS), stateBytes >> 20, restore));
            delete(dir);
        }
        System.out.println();
        System.out.println("| backend | events/s | events/s with checkpoints | checkpoints | duration mean / max ms"
                + " | worker pause p50 / p99 / max ms | state MB | restore s |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        table.forEach(System.out::println);
    }

    private static double percentile(HistogramSnapshot s, double p) {
        for (ValueAtPercentile v : s.percentileValues()) {
            if (v.percentile() == p) {
                return v.value(TimeUnit.MILLISECONDS);
            }
        }
        return Double.NaN;
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
