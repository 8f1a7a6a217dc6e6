package io.peregrine.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.peregrine.dsl.CompiledPattern;
import io.peregrine.dsl.DslException;
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
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * End to end on a file: a generated JSON-lines transactions file through what
 * {@code peregrine run} does with the three-pattern program {@code fraud.cep} beside this class (compile the
 * program, {@link Job} with a file source, an output directory and a parallelism), beside a FlinkCEP
 * job reading the same file with the same three patterns ({@link FlinkFileJob}), plus the
 * throughput of decoding the file alone with the runtime's JSON decoder. Checks that every run of
 * each engine finds the same rows per pattern, and prints one table.
 *
 * <pre>
 * java -Xms6g -Xmx6g -XX:+UseParallelGC -jar benchmarks/target/benchmarks.jar e2e --events 5000000 --runs 3
 * </pre>
 */
public final class E2eBenchmark {

    /** The stream of the benchmark program {@code fraud.cep}. */
    static final String STREAM = "transactions";
    /** Records per read, as the job's reader ({@code Job.CHUNK}). */
    static final int CHUNK = 1024;
    /** The benchmark program (the first three patterns of the example, also written for FlinkCEP), a resource beside this class. */
    static final String PROGRAM_RESOURCE = "fraud.cep";

    private E2eBenchmark() {}

    static final class Options {
        long events = 5_000_000;
        int runs = 1;
        Path file;
        boolean keep;
        long seed = 42;
        int cards = 100_000;
        double rate = 100.0;
        long warmupEvents = 300_000;
        int[] parallelism = {1, 2};
        int[] flinkParallelism = {1, 2};
        boolean peregrine = true;
        boolean flink = true;
        Path program;
        /** The program's patterns to run (null: all). */
        List<String> patterns;
        Path tmp;

        TransactionGenerator.Config config(long n) {
            return TransactionGenerator.Config.of(seed, n).withCards(cards).withEventsPerSecond(rate);
        }
    }

    /** One configuration (an engine at a parallelism) over the runs. */
    static final class Series {
        final String name;
        final int parallelism;
        final List<Long> nanos = new ArrayList<>();
        final List<Long> cpuNanos = new ArrayList<>();
        /** Rows per pattern (the program's pattern names) of the first run; null when not applicable. */
        Map<String, Long> rows;
        /** Rows per pattern differed between runs. */
        boolean unstable;

        Series(String name, int parallelism) {
            this.name = name;
            this.parallelism = parallelism;
        }

        void add(long wall, long cpu, Map<String, Long> runRows) {
            nanos.add(wall);
            cpuNanos.add(cpu);
            if (runRows != null) {
                if (rows == null) {
                    rows = runRows;
                } else if (!rows.equals(runRows)) {
                    unstable = true;
                }
            }
        }

        double bestRate(long events) {
            return events / (nanos.stream().mapToLong(Long::longValue).min().orElseThrow() / 1e9);
        }

        double medianRate(long events) {
            return events / (median(nanos) / 1e9);
        }

        double medianCpuRate(long events) {
            return events / (median(cpuNanos) / 1e9);
        }
    }

    /** What a run of the benchmark measured. */
    record Report(long events, Path file, List<Series> series, List<String> patterns, List<String> problems) {

        Series find(String name, int parallelism) {
            for (Series s : series) {
                if (s.name.equals(name) && s.parallelism == parallelism) {
                    return s;
                }
            }
            return null;
        }

        boolean agree() {
            return problems.isEmpty();
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        if (o == null) {
            return;
        }
        PrintStream out = System.out;
        Runtime rt = Runtime.getRuntime();
        out.printf(Locale.ROOT, "JVM: %s %s, max heap %d MB, %d CPUs, GC %s%n", System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), rt.maxMemory() >> 20, rt.availableProcessors(),
                FraudBenchmark.gcNames());
        Report r = run(o, out);
        print(r, o.runs, out);
        if (!r.agree()) {
            out.println();
            out.println("!!!!!!!! MISMATCH: Peregrine and FlinkCEP (or two runs of one engine) disagree on rows per pattern !!!!!!!!");
            r.problems().forEach(p -> out.println("  " + p));
            out.flush();
            System.exit(2);
        }
    }

    static Report run(Options o, PrintStream out) throws Exception {
        Path tmp = o.tmp != null ? o.tmp : Path.of(FraudBenchmark.defaultTmp());
        Files.createDirectories(tmp);
        // Flink's scratch files (e.g. the extracted RPC jar) go here, not to /tmp
        System.setProperty("java.io.tmpdir", tmp.toString());
        Path target = tmp.toAbsolutePath().getParent();

        Program program = select(loadProgram(o.program), o.patterns);
        List<FraudPatterns> flinkPatterns = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (CompiledPattern p : program.patterns()) {
            names.add(p.name());
            flinkPatterns.add(FraudPatterns.byLabel(p.name())); // small_then_large is SMALL_THEN_LARGE
        }
        StreamDef stream = program.stream(STREAM).orElseThrow(() ->
                new IllegalArgumentException("the program has no stream " + STREAM));

        TransactionGenerator.Config config = o.config(o.events);
        Path file = o.file != null ? o.file : TransactionsFile.defaultPath(target, config);
        long t0 = System.nanoTime();
        boolean wrote = TransactionsFile.ensure(file, config);
        out.printf(Locale.ROOT, "%s %s (%,d events, %,.0f MB)%s%n", wrote ? "generated" : "reusing", file, o.events,
                Files.size(file) / 1e6, wrote ? String.format(Locale.ROOT, " in %.1f s", (System.nanoTime() - t0) / 1e9) : "");
        out.printf(Locale.ROOT, "workload: %s%n", config);

        List<Series> series = new ArrayList<>();
        Series lines = new Series("read lines only", 1);
        Series decode = new Series("decode only", 1);
        series.add(lines);
        series.add(decode);
        List<Series> peregrine = new ArrayList<>();
        if (o.peregrine) {
            for (int p : o.parallelism) {
                peregrine.add(new Series("Peregrine", p));
            }
        }
        List<Series> flink = new ArrayList<>();
        if (o.flink) {
            for (int p : o.flinkParallelism) {
                flink.add(new Series("FlinkCEP", p));
            }
        }
        series.addAll(peregrine);
        series.addAll(flink);

        Path outRoot = tmp.resolve("e2e-out");
        if (o.warmupEvents > 0) {
            long w = Math.min(o.warmupEvents, o.events);
            Path warmFile = TransactionsFile.defaultPath(target, o.config(w));
            TransactionsFile.ensure(warmFile, o.config(w));
            long ws = System.nanoTime();
            readLines(stream, warmFile);
            decodeOnly(stream, warmFile);
            if (o.peregrine) {
                Path dir = outRoot.resolve("warm-up");
                runPeregrine(program, warmFile, o.parallelism[0], dir);
                deleteTree(dir);
            }
            if (o.flink) {
                FlinkFileJob.run(warmFile, flinkPatterns, o.flinkParallelism[0], FraudBenchmark.BOUND_MS, tmp.toString());
            }
            out.printf(Locale.ROOT, "warm-up on %,d events (each engine once, not measured): %.1f s%n", w,
                    (System.nanoTime() - ws) / 1e9);
        }

        String loadBefore = loadAverage();
        out.println("load average before the timed runs: " + loadBefore);
        List<String> problems = new ArrayList<>();
        for (int run = 1; run <= o.runs; run++) {
            out.printf(Locale.ROOT, "-- run %d of %d --%n", run, o.runs);
            long[] m = timed(() -> readLines(stream, file));
            check(problems, m[2] == o.events, "read lines only: " + m[2] + " lines, expected " + o.events);
            lines.add(m[0], m[1], null);
            out.printf(Locale.ROOT, "  read lines only      %,14.0f ev/s  (%.2f s)%n", o.events / (m[0] / 1e9), m[0] / 1e9);

            m = timed(() -> decodeOnly(stream, file));
            check(problems, m[2] == o.events, "decode only: " + m[2] + " rows, expected " + o.events);
            decode.add(m[0], m[1], null);
            out.printf(Locale.ROOT, "  decode only          %,14.0f ev/s  (%.2f s)%n", o.events / (m[0] / 1e9), m[0] / 1e9);

            for (Series s : peregrine) {
                Path dir = outRoot.resolve("p" + s.parallelism);
                deleteTree(dir);
                JobSummary[] summary = new JobSummary[1];
                m = timed(() -> {
                    summary[0] = runPeregrine(program, file, s.parallelism, dir);
                    return 0;
                });
                JobSummary js = summary[0];
                s.add(m[0], m[1], new LinkedHashMap<>(js.rowsPerPattern()));
                check(problems, js.events() == o.events, "Peregrine p=" + s.parallelism + " read " + js.events()
                        + " events, expected " + o.events);
                check(problems, js.lateEvents() == 0 && js.deadLetters() == 0, "Peregrine p=" + s.parallelism + ": "
                        + js.lateEvents() + " late events, " + js.deadLetters() + " dead letters");
                out.printf(Locale.ROOT, "  Peregrine p=%d        %,14.0f ev/s  (%.2f s; job summary %.2f s)  rows %s%n",
                        s.parallelism, o.events / (m[0] / 1e9), m[0] / 1e9, js.seconds(), js.rowsPerPattern());
                if (!o.keep) {
                    deleteTree(dir);
                }
            }
            for (Series s : flink) {
                System.gc();
                FlinkFileJob.Result fr = FlinkFileJob.run(file, flinkPatterns, s.parallelism, FraudBenchmark.BOUND_MS,
                        tmp.toString());
                Map<String, Long> rows = new LinkedHashMap<>();
                for (int i = 0; i < names.size(); i++) {
                    rows.put(names.get(i), fr.rows().get(flinkPatterns.get(i).label()));
                }
                s.add(fr.nanos(), fr.cpuNanos(), rows);
                out.printf(Locale.ROOT, "  FlinkCEP p=%d         %,14.0f ev/s  (%.2f s first record to last operator closed;"
                        + " %.2f s execute() incl. mini cluster)  rows %s%n", s.parallelism, o.events / (fr.nanos() / 1e9),
                        fr.nanos() / 1e9, fr.wallNanos() / 1e9, rows);
            }
        }
        String loadAfter = loadAverage();
        out.println("load average after the timed runs: " + loadAfter);

        List<Series> engines = new ArrayList<>(peregrine);
        engines.addAll(flink);
        Map<String, Long> reference = engines.isEmpty() ? null : engines.get(0).rows;
        for (Series s : engines) {
            check(problems, !s.unstable, s.name + " p=" + s.parallelism + ": rows per pattern differ between runs");
            check(problems, s.rows.equals(reference), s.name + " p=" + s.parallelism + " rows " + s.rows + " differ from "
                    + engines.get(0).name + " p=" + engines.get(0).parallelism + " rows " + reference);
        }
        return new Report(o.events, file, series, names, problems);
    }

    /** Prints the table: rates (best, median, CPU), ratios to FlinkCEP at the same parallelism, rows per pattern. */
    static void print(Report r, int runs, PrintStream out) {
        long n = r.events();
        out.println();
        out.printf(Locale.ROOT, "==== e2e: %,d events from %s, best and median of %d run%s ====%n", n, r.file().getFileName(),
                runs, runs == 1 ? "" : "s");
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-17s %13s %13s %13s %12s", "", "ev/s best",
                "ev/s median", "ev/cpu-s med.", "vs FlinkCEP"));
        for (String p : r.patterns()) {
            head.append(String.format(Locale.ROOT, " %17s", p));
        }
        out.println(head);
        for (Series s : r.series()) {
            String name = s.name.startsWith("Peregrine") || s.name.startsWith("FlinkCEP") ? s.name + " p=" + s.parallelism
                    : s.name;
            String ratio = "";
            if (s.name.equals("Peregrine")) {
                Series f = r.find("FlinkCEP", s.parallelism);
                if (f != null) {
                    ratio = String.format(Locale.ROOT, "%.1fx", s.medianRate(n) / f.medianRate(n));
                }
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-17s %,13.0f %,13.0f %,13.0f %12s", name,
                    s.bestRate(n), s.medianRate(n), s.medianCpuRate(n), ratio));
            for (String p : r.patterns()) {
                line.append(s.rows == null ? String.format(Locale.ROOT, " %17s", "-")
                        : String.format(Locale.ROOT, " %,17d", s.rows.get(p)));
            }
            out.println(line);
        }
        Series bestP = null;
        Series bestF = null;
        for (Series s : r.series()) {
            if (s.name.equals("Peregrine") && (bestP == null || s.medianRate(n) > bestP.medianRate(n))) {
                bestP = s;
            }
            if (s.name.equals("FlinkCEP") && (bestF == null || s.medianRate(n) > bestF.medianRate(n))) {
                bestF = s;
            }
        }
        if (bestP != null && bestF != null) {
            out.printf(Locale.ROOT, "fastest Peregrine (p=%d) / fastest FlinkCEP (p=%d), medians: %.1fx%n", bestP.parallelism,
                    bestF.parallelism, bestP.medianRate(n) / bestF.medianRate(n));
        }
        out.println("ev/s: events / wall time (Peregrine: Job build and run, output files written; FlinkCEP: first record"
                + " parsed to last CEP operator closed, mini cluster start-up and shut-down excluded); ev/cpu-s: events /"
                + " CPU time of the whole process over the same interval; vs FlinkCEP: medians, same parallelism");
        out.println(r.agree() ? "rows per pattern agree between Peregrine and FlinkCEP on every run" : "MISMATCH (see below)");
    }

    /** The program: {@code --program PATH}, else the packed {@code fraud.cep}. */
    static Program loadProgram(Path path) throws IOException, DslException {
        if (path != null) {
            return Programs.compile(path);
        }
        try (InputStream in = E2eBenchmark.class.getResourceAsStream(PROGRAM_RESOURCE)) {
            if (in == null) {
                throw new IOException(PROGRAM_RESOURCE + " is not on the class path (src/main/resources/io/peregrine/bench/fraud.cep)");
            }
            return Programs.compile("fraud.cep", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** The program with only the named patterns (null: all of them). */
    static Program select(Program program, List<String> patterns) {
        if (patterns == null) {
            return program;
        }
        List<CompiledPattern> kept = new ArrayList<>();
        for (String name : patterns) {
            kept.add(program.pattern(name).orElseThrow(() -> new IllegalArgumentException("the program has no pattern "
                    + name + " (it has " + program.patterns().stream().map(CompiledPattern::name).toList() + ")")));
        }
        return new Program(program.source(), program.streams(), kept);
    }

    /** What {@code peregrine run PROGRAM --input transactions=FILE --out DIR --parallelism P} does. */
    static JobSummary runPeregrine(Program program, Path file, int parallelism, Path outDir) {
        return Job.builder(program)
                .input(STREAM, Sources.file(file))
                .outputDirectory(outDir)
                .meterRegistry(new SimpleMeterRegistry())
                .parallelism(parallelism)
                .build()
                .run();
    }

    /** The file through the job's reader alone, split into records: the count of records. */
    static long readLines(StreamDef stream, Path file) throws IOException {
        RecordBatch batch = new RecordBatch();
        long records = 0;
        try (RecordReader reader = Sources.file(file).open(stream, null)) {
            int n;
            while ((n = reader.read(batch, CHUNK)) != RecordReader.END) {
                records += n;
            }
        }
        return records;
    }

    /**
     * The file through the job's reader and the stream's decoder (the runtime's JSON decoder), as the
     * job's reading thread does before routing: the count of rows decoded.
     */
    static long decodeOnly(StreamDef stream, Path file) throws IOException {
        RowDecoder decoder = RowDecoders.forFormat(stream.format(), stream.schema());
        int ts = stream.rowtimeColumn();
        RecordBatch batch = new RecordBatch();
        long rows = 0;
        long sum = 0;
        try (RecordReader reader = Sources.file(file).open(stream, null)) {
            int n;
            while ((n = reader.read(batch, CHUNK)) != RecordReader.END) {
                if (batch.startsSplit()) {
                    decoder.startSplit();
                }
                byte[] buf = batch.buffer();
                for (int i = 0; i < n; i++) {
                    if (decoder.decode(buf, batch.start(i), batch.end(i)) == RowDecoder.Status.ROW) {
                        rows++;
                        sum += decoder.row().getLong(ts);
                    }
                }
            }
        }
        return sum == 42 ? rows + 1 : rows; // sum read so that the rows are not dead code
    }

    interface Body {
        long run() throws Exception;
    }

    /** Runs the body after a GC: {wall nanos, process CPU nanos, the body's result}. */
    static long[] timed(Body body) throws Exception {
        System.gc();
        long c0 = FraudBenchmark.processCpuNanos();
        long t0 = System.nanoTime();
        long result = body.run();
        long nanos = System.nanoTime() - t0;
        return new long[] {nanos, FraudBenchmark.processCpuNanos() - c0, result};
    }

    private static void check(List<String> problems, boolean ok, String problem) {
        if (!ok) {
            problems.add(problem);
        }
    }

    static long median(List<Long> xs) {
        long[] s = xs.stream().mapToLong(Long::longValue).toArray();
        return FraudBenchmark.median(s);
    }

    /** The system's load averages ({@code /proc/loadavg}: 1, 5, 15 minutes), or the JVM's 1-minute figure. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + ", " + f[1] + ", " + f[2];
        } catch (IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--events" -> o.events = FraudBenchmark.parseCount(args[++i]);
                case "--runs" -> o.runs = Integer.parseInt(args[++i]);
                case "--file" -> o.file = Path.of(args[++i]);
                case "--keep" -> o.keep = true;
                case "--seed" -> o.seed = Long.parseLong(args[++i]);
                case "--cards" -> o.cards = FraudBenchmark.parseCount(args[++i]);
                case "--rate" -> o.rate = Double.parseDouble(args[++i]);
                case "--warmup-events" -> o.warmupEvents = FraudBenchmark.parseCount(args[++i]);
                case "--parallelism" -> o.parallelism = ints(args[++i]);
                case "--flink-parallelism" -> o.flinkParallelism = ints(args[++i]);
                case "--engines" -> {
                    o.peregrine = false;
                    o.flink = false;
                    for (String e : args[++i].split(",")) {
                        switch (e) {
                            case "peregrine" -> o.peregrine = true;
                            case "flink" -> o.flink = true;
                            default -> throw new IllegalArgumentException("unknown engine '" + e
                                    + "' (engines: peregrine, flink)");
                        }
                    }
                }
                case "--program" -> o.program = Path.of(args[++i]);
                case "--patterns" -> o.patterns = List.of(args[++i].split(","));
                case "--tmp" -> o.tmp = Path.of(args[++i]);
                case "-h", "--help" -> {
                    System.out.println("""
                            e2e benchmark: a JSON-lines transactions file through `peregrine run` (its three-pattern fraud.cep)
                            (the runtime's Job) and through a FlinkCEP job reading the same file, plus decode-only
                              --events N              events in the file (default 5000000; 5m, 500k accepted)
                              --runs K                timed rounds; best and median reported (default 1)
                              --file PATH             the transactions file (default target/e2e-transactions-...jsonl);
                                                      made once and reused while its generator parameters match
                              --keep                  keep Peregrine's output directories (target/tmp/e2e-out/pN)
                              --seed S                generator seed (default 42)
                              --cards N               cards (default 100000)
                              --rate R                events per second of event time (default 100)
                              --warmup-events N       untimed warm-up of each engine on a file this long (default 300000, 0: none)
                              --parallelism 1,2       Peregrine's parallelisms (default 1,2)
                              --flink-parallelism 1,2 FlinkCEP's parallelisms (default 1,2)
                              --engines peregrine,flink  (default both)
                              --program PATH          the program (default: the packed three-pattern fraud.cep)
                              --patterns A,B          run only these patterns of the program (default: all)
                              --tmp DIR               scratch directory (default: target/tmp beside the jar)""");
                    return null;
                }
                default -> throw new IllegalArgumentException("unknown option '" + a + "' (try --help)");
            }
        }
        if (o.runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1, was " + o.runs);
        }
        return o;
    }

    private static int[] ints(String s) {
        int[] v = Arrays.stream(s.split(",")).mapToInt(Integer::parseInt).toArray();
        for (int x : v) {
            if (x < 1) {
                throw new IllegalArgumentException("parallelism must be at least 1, was " + x);
            }
        }
        return v;
    }
}
