package io.peregrine.bench;

import io.peregrine.dsl.Program;
import io.peregrine.dsl.Programs;
import io.peregrine.dsl.StreamDef;
import io.peregrine.runtime.Job;
import io.peregrine.runtime.JobSummary;
import io.peregrine.runtime.format.RowDecoder;
import io.peregrine.runtime.format.RowDecoders;
import io.peregrine.runtime.source.RecordBatch;
import io.peregrine.runtime.source.RecordReader;
import io.peregrine.runtime.source.Sources;
import io.peregrine.runtime.source.TransactionGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The runtime end to end on a generated JSON-lines file of card transactions: decode-only throughput
 * (one thread: read, split, decode), then whole {@link Job}s with the three fraud patterns written in
 * the language, at each parallelism asked for. Prints events/s per run and the medians.
 *
 * <pre>
 * java -jar benchmarks.jar runtime [--events 5m] [--seed 42] [--parallelism 1,2] [--runs 3]
 *                                  [--patterns small_then_large,card_testing,geo_velocity] [--tmp DIR]
 * </pre>
 */
public final class RuntimeBenchmark {

    /** The three patterns of {@link FraudPatterns}, in the language (NO SKIP, as there). */
    static final String PROGRAM = """
            CREATE STREAM transactions (
              card_id STRING, amount DOUBLE, merchant_id BIGINT, country STRING, ts TIMESTAMP(3),
              WATERMARK FOR ts AS ts - INTERVAL '2' SECOND
            ) WITH (format = 'json');

            CREATE PATTERN small_then_large AS SELECT * FROM transactions MATCH_RECOGNIZE (
              PARTITION BY card_id ORDER BY ts
              MEASURES S.ts AS small_ts, L.ts AS large_ts, L.amount AS large_amount
              AFTER MATCH NO SKIP
              PATTERN (S -> L) WITHIN INTERVAL '10' MINUTE
              DEFINE S AS S.amount < 1, L AS L.amount > 500);

            CREATE PATTERN card_testing AS SELECT * FROM transactions MATCH_RECOGNIZE (
              PARTITION BY card_id ORDER BY ts
              MEASURES FIRST(S.ts) AS first_small, L.ts AS large_ts, L.amount AS large_amount
              AFTER MATCH NO SKIP
              PATTERN (S->{3} -> L) WITHIN INTERVAL '10' MINUTE
              DEFINE S AS S.amount < 1, L AS L.amount > 500);

            CREATE PATTERN geo_velocity AS SELECT * FROM transactions MATCH_RECOGNIZE (
              PARTITION BY card_id ORDER BY ts
              MEASURES F.country AS from_country, O.country AS to_country, O.ts AS at
              AFTER MATCH NO SKIP
              PATTERN (F -> O) WITHIN INTERVAL '1' HOUR
              DEFINE O AS O.country <> F.country);
            """;

    private RuntimeBenchmark() {}

    public static void main(String[] args) throws Exception {
        long events = 5_000_000;
        long seed = 42;
        int runs = 3;
        int[] parallelisms = {1, 2};
        List<String> patterns = List.of("small_then_large", "card_testing", "geo_velocity");
        Path tmp = Path.of("benchmarks/target/tmp");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--events" -> events = FraudBenchmark.parseCount(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--parallelism" -> parallelisms = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--patterns" -> patterns = List.of(args[++i].split(","));
                case "--tmp" -> tmp = Path.of(args[++i]);
                case "-h", "--help" -> {
                    System.out.println("runtime [--events 5m] [--seed 42] [--parallelism 1,2] [--runs 3]"
                            + " [--patterns small_then_large,card_testing,geo_velocity] [--tmp DIR]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        Files.createDirectories(tmp);
        Path file = tmp.resolve("transactions-" + events + "-" + seed + ".jsonl");
        if (!Files.exists(file)) {
            System.out.printf(Locale.ROOT, "generating %,d transactions into %s%n", events, file);
            Path part = tmp.resolve(file.getFileName() + ".part");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(part), 1 << 20)) {
                TransactionGenerator.writeJsonLines(TransactionGenerator.Config.of(seed, events), out);
            }
            Files.move(part, file);
        }
        System.out.printf(Locale.ROOT, "input %s: %,d events, %,d MB; JVM %s, %d cores%n", file, events,
                Files.size(file) >> 20, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());

        Program full = Programs.compile("fraud.pg", PROGRAM);
        StreamDef stream = full.streams().get(0);
        List<Double> decode = new ArrayList<>();
        List<Double> decodeCpu = new ArrayList<>();
        for (int r = 0; r < runs + 1; r++) {
            double[] rate = decodeOnly(file, stream);
            if (r > 0) { // the first round warms up
                decode.add(rate[0]);
                decodeCpu.add(rate[1]);
            }
            System.out.printf(Locale.ROOT, "decode-only %s: %,.0f events/s, %,.0f events/cpu-s%n",
                    r == 0 ? "warm-up" : "run " + r, rate[0], rate[1]);
        }

        StringBuilder program = new StringBuilder(PROGRAM.substring(0, PROGRAM.indexOf("CREATE PATTERN")));
        for (String p : patterns) {
            int at = PROGRAM.indexOf("CREATE PATTERN " + p + " ");
            if (at < 0) {
                throw new IllegalArgumentException("unknown pattern " + p);
            }
            int end = PROGRAM.indexOf(");", at) + 2;
            program.append(PROGRAM, at, end).append('\n');
        }
        Program compiled = Programs.compile("fraud.pg", program.toString());
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "| decode-only (1 thread) | %,.0f | %,.0f |", median(decode), median(decodeCpu)));
        for (int p : parallelisms) {
            List<Double> rates = new ArrayList<>();
            List<Double> cpuRates = new ArrayList<>();
            for (int r = 0; r < runs + 1; r++) {
                long cpu0 = processCpuNanos();
                JobSummary s = Job.builder(compiled)
                        .input("transactions", Sources.file(file))
                        .outputDirectory(tmp.resolve("out-p" + p))
                        .parallelism(p)
                        .build()
                        .run();
                double cpu = (processCpuNanos() - cpu0) / 1e9;
                if (r > 0) {
                    rates.add(s.eventsPerSecond());
                    cpuRates.add(s.events() / cpu);
                }
                System.out.printf(Locale.ROOT, "parallelism %d %s: %,.0f events/s, %,.0f events/cpu-s, rows %s%n", p,
                        r == 0 ? "warm-up" : "run " + r, s.eventsPerSecond(), s.events() / cpu, s.rowsPerPattern());
            }
            lines.add(String.format(Locale.ROOT, "| %s, parallelism %d | %,.0f | %,.0f |", String.join(" + ", patterns),
                    p, median(rates), median(cpuRates)));
        }
        System.out.println();
        System.out.println("| what | events/s (median of " + runs + ") | events/cpu-s |");
        System.out.println("| --- | ---: | ---: |");
        lines.forEach(System.out::println);
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return 0;
    }

    /** Reads and decodes every record on this thread: {events/s, events per CPU second}. */
    static double[] decodeOnly(Path file, StreamDef stream) throws IOException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        RowDecoder decoder = RowDecoders.forFormat(stream.format(), stream.schema());
        long n = 0;
        long check = 0;
        try (RecordReader reader = Sources.file(file).open(stream, null)) {
            RecordBatch b = new RecordBatch();
            int k;
            while ((k = reader.read(b, 1024)) != RecordReader.END) {
                byte[] buf = b.buffer();
                for (int i = 0; i < k; i++) {
                    if (decoder.decode(buf, b.start(i), b.end(i)) == RowDecoder.Status.ROW) {
                        check += decoder.row().getLong(4);
                    }
                    n++;
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        if (check == 42) {
            System.out.print("");
        }
        return new double[] {n / seconds, n / cpu};
    }

    private static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length == 0 ? Double.NaN : a[a.length / 2];
    }
}
