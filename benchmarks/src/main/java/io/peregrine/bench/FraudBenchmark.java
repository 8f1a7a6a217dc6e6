package io.peregrine.bench;

import io.peregrine.cep.Nfa;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * End-to-end fraud benchmark: the same generated card transactions through FlinkCEP and through
 * cep-core (with {@link PeregrineRunner}), for each of the {@link FraudPatterns}. Checks that both
 * find the same number of matches, prints events per second of each (median of {@code --runs}), the
 * ratio, and cep-core's retained bytes per partial match.
 *
 * <pre>
 * java -Xmx6g -jar benchmarks/target/benchmarks.jar fraud --events 1000000 --pattern all --runs 3
 * </pre>
 */
public final class FraudBenchmark {

    static final long BOUND_MS = 2_000;
    static final int CARDS = 100_000;
    static final double EVENTS_PER_SECOND = 100.0;

    private FraudBenchmark() {}

    static final class Options {
        int events = 1_000_000;
        Integer geoEvents;
        long seed = 42;
        List<FraudPatterns> patterns = List.of(FraudPatterns.values());
        boolean flink = true;
        boolean peregrine = true;
        int runs = 3;
        Integer warmupEvents;
        boolean memory = true;
        boolean keepIdle;
        PeregrineRunner.Timers timers = PeregrineRunner.Timers.SINGLE;
        String tmp;

        int eventsFor(FraudPatterns p) {
            return p == FraudPatterns.GEO_VELOCITY && geoEvents != null ? geoEvents : events;
        }
    }

    /** Per-pattern outcome. */
    record Row(FraudPatterns pattern, int events, double flinkRate, double peregrineRate, double flinkCpuRate,
            double peregrineCpuRate, long flinkMatches, long peregrineMatches, String memory, boolean mismatch) {}

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        if (o == null) {
            return;
        }
        String tmp = o.tmp != null ? o.tmp : defaultTmp();
        Files.createDirectories(Path.of(tmp));
        // Flink's scratch files (e.g. the extracted RPC jar) go here, not to /tmp
        System.setProperty("java.io.tmpdir", tmp);

        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "JVM: %s %s (%s), max heap %d MB, %d CPUs, GC %s%n",
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                System.getProperty("os.arch"), rt.maxMemory() >> 20, rt.availableProcessors(), gcNames());
        System.out.printf(Locale.ROOT, "workload: seed %d, %d cards, %.0f events/s of event time, out of order up to %d ms,"
                + " watermark = max ts - %d ms - 1, skip strategy %s; cep-core runtime %s idle keys, %s timers%n",
                o.seed, CARDS, EVENTS_PER_SECOND, TxnGenerator.MAX_DELAY_MS, BOUND_MS, FraudPatterns.SKIP_STRATEGY,
                o.keepIdle ? "keeps" : "drops and recycles", o.timers.name().toLowerCase(Locale.ROOT));

        Map<Integer, Txn[]> cache = new LinkedHashMap<>();
        List<Row> rows = new ArrayList<>();
        boolean anyMismatch = false;
        for (FraudPatterns p : o.patterns) {
            int n = o.eventsFor(p);
            Txn[] events = cache.computeIfAbsent(n, k -> {
                long t0 = System.nanoTime();
                Txn[] ev = TxnGenerator.generate(o.seed, k, CARDS, EVENTS_PER_SECOND);
                System.out.printf(Locale.ROOT, "generated %,d events in %.1f s (event time span %.1f h)%n", k,
                        (System.nanoTime() - t0) / 1e9, span(ev) / 3.6e6);
                return ev;
            });
            Row row = runPattern(p, events, o, tmp);
            rows.add(row);
            anyMismatch |= row.mismatch();
        }

        System.out.println();
        System.out.println("==== results (median of " + o.runs + " runs, skip strategy " + FraudPatterns.SKIP_STRATEGY + ") ====");
        System.out.printf(Locale.ROOT, "%-17s %11s %11s %13s %7s %11s %13s %7s %10s %10s  %s%n", "pattern", "events",
                "flink ev/s", "peregrine ev/s", "ratio", "flink ev/cpu", "peregr ev/cpu", "ratio", "flink m.", "peregr m.",
                "cep-core state");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "%-17s %,11d %11s %13s %7s %11s %13s %7s %10s %10s  %s%s%n", r.pattern().label(),
                    r.events(), rate(r.flinkRate()), rate(r.peregrineRate()), ratio(r.peregrineRate(), r.flinkRate()),
                    rate(r.flinkCpuRate()), rate(r.peregrineCpuRate()), ratio(r.peregrineCpuRate(), r.flinkCpuRate()),
                    r.flinkMatches() < 0 ? "-" : String.format(Locale.ROOT, "%,d", r.flinkMatches()),
                    r.peregrineMatches() < 0 ? "-" : String.format(Locale.ROOT, "%,d", r.peregrineMatches()),
                    r.memory(), r.mismatch() ? "   <<< MISMATCH" : "");
        }
        System.out.println("ev/s: events / wall time of the run; ev/cpu: events / CPU time of the whole process"
                + " (all threads, GC included), steadier on a shared machine");
        if (anyMismatch) {
            System.out.println();
            System.out.println("!!!!!!!! MISMATCH: FlinkCEP and cep-core found different match counts (see above) !!!!!!!!");
            System.out.flush();
            System.exit(2);
        }
    }

    static Row runPattern(FraudPatterns p, Txn[] events, Options o, String tmp) throws Exception {
        int n = events.length;
        System.out.println();
        System.out.printf(Locale.ROOT, "== %s: %,d events ==%n", p.label(), n);
        int warm = o.warmupEvents != null ? Math.min(n, o.warmupEvents)
                : Math.min(n, p == FraudPatterns.GEO_VELOCITY ? 100_000 : 300_000);
        Txn[] warmup = Arrays.copyOf(events, warm);

        // warm-up: JIT both engines on a prefix (not measured)
        if (o.peregrine) {
            for (int i = 0; i < 3; i++) {
                runPeregrine(p, warmup, !o.keepIdle, o.timers);
            }
        }
        String memory = "-";
        if (o.peregrine && o.memory) {
            memory = measureMemory(p, events, o);
        }
        if (o.flink) {
            FlinkRunner.Result w = FlinkRunner.run(p, warmup, BOUND_MS, tmp);
            System.out.printf(Locale.ROOT, "  warm-up flink: %,d events, %s%n", warm, rate(warm / (w.nanos() / 1e9)));
        }
        warmup = null;

        long[] flinkNanos = new long[o.runs];
        long[] peregrineNanos = new long[o.runs];
        long[] flinkCpu = new long[o.runs];
        long[] peregrineCpu = new long[o.runs];
        long flinkMatches = -1;
        long peregrineMatches = -1;
        boolean mismatch = false;
        for (int run = 0; run < o.runs; run++) {
            if (o.flink) {
                FlinkRunner.Result r = FlinkRunner.run(p, events, BOUND_MS, tmp);
                flinkNanos[run] = r.nanos();
                flinkCpu[run] = r.cpuNanos();
                System.out.printf(Locale.ROOT, "  run %d flink:     %14s ev/s  %14s ev/cpu-s  matches %,d  (%.2f s first record to"
                        + " operator close, %.2f s wall incl. mini cluster)%n",
                        run + 1, rate(n / (r.nanos() / 1e9)), rate(n / (r.cpuNanos() / 1e9)), r.matches(), r.nanos() / 1e9,
                        r.wallNanos() / 1e9);
                if (flinkMatches >= 0 && flinkMatches != r.matches()) {
                    System.out.println("  MISMATCH between flink runs: " + flinkMatches + " vs " + r.matches());
                    mismatch = true;
                }
                flinkMatches = r.matches();
            }
            if (o.peregrine) {
                long[] res = runPeregrine(p, events, !o.keepIdle, o.timers);
                peregrineNanos[run] = res[1];
                peregrineCpu[run] = res[2];
                System.out.printf(Locale.ROOT, "  run %d peregrine: %14s ev/s  %14s ev/cpu-s  matches %,d  (%.2f s)%n",
                        run + 1, rate(n / (res[1] / 1e9)), rate(n / (res[2] / 1e9)), res[0], res[1] / 1e9);
                if (peregrineMatches >= 0 && peregrineMatches != res[0]) {
                    System.out.println("  MISMATCH between cep-core runs: " + peregrineMatches + " vs " + res[0]);
                    mismatch = true;
                }
                peregrineMatches = res[0];
            }
        }
        if (o.flink && o.peregrine && flinkMatches != peregrineMatches) {
            mismatch = true;
        }
        if (mismatch) {
            System.out.println("  !!!!!!!! MISMATCH on " + p.label() + ": flink " + flinkMatches + " matches, cep-core "
                    + peregrineMatches + " !!!!!!!!");
        } else if (o.flink && o.peregrine) {
            System.out.printf(Locale.ROOT, "  match counts agree: %,d%n", flinkMatches);
        }
        double flinkRate = o.flink ? n / (median(flinkNanos) / 1e9) : -1;
        double peregrineRate = o.peregrine ? n / (median(peregrineNanos) / 1e9) : -1;
        double flinkCpuRate = o.flink ? n / (median(flinkCpu) / 1e9) : -1;
        double peregrineCpuRate = o.peregrine ? n / (median(peregrineCpu) / 1e9) : -1;
        return new Row(p, n, flinkRate, peregrineRate, flinkCpuRate, peregrineCpuRate, flinkMatches, peregrineMatches,
                memory, mismatch);
    }

    /** CPU time of the whole JVM process (all threads, GC included), in nanoseconds. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** One timed cep-core run from a fresh runtime: {matches, wall nanos, process CPU nanos}. */
    static long[] runPeregrine(FraudPatterns p, Txn[] events, boolean dropIdle, PeregrineRunner.Timers timers) {
        Nfa<Txn> nfa = Nfa.compile(p.peregrine());
        PeregrineRunner runner = new PeregrineRunner(nfa, BOUND_MS, CARDS, dropIdle, timers);
        long c0 = processCpuNanos();
        long t0 = System.nanoTime();
        for (Txn t : events) {
            runner.onEvent(t);
        }
        runner.finish();
        long nanos = System.nanoTime() - t0;
        long cpu = processCpuNanos() - c0;
        if (runner.processed() != events.length) {
            throw new IllegalStateException("cep-core runtime processed " + runner.processed() + " of " + events.length
                    + " events");
        }
        return new long[] {runner.matches(), nanos, cpu};
    }

    /**
     * Retained heap of cep-core's state at a checkpoint half way through the input, measured as used
     * heap after full GCs. Bytes per partial match: the drop in retained heap when every partial
     * match is ended (the final watermark) while the keys stay, divided by the partial matches that
     * were live; it covers the runs, Dewey versions, shared-buffer nodes, edges and event entries.
     * Event payloads are not counted (the input array holds them in any case: the engine only
     * references them). Per key: the whole runtime's retained heap (map, key records, NfaStates with
     * their start run, sorters) after the flush, divided by the keys.
     */
    static String measureMemory(FraudPatterns p, Txn[] events, Options o) {
        Nfa<Txn> nfa = Nfa.compile(p.peregrine());
        long base = usedAfterGc();
        // keep idle keys here, so that the per-key cost can be measured after the flush
        PeregrineRunner runner = new PeregrineRunner(nfa, BOUND_MS, CARDS, false, o.timers);
        int half = events.length / 2;
        for (int i = 0; i < half; i++) {
            runner.onEvent(events[i]);
        }
        runner.flush();
        long withPartials = usedAfterGc();
        int keys = runner.keyCount();
        long partials = runner.partialMatches();
        long buffered = runner.bufferedEvents();
        runner.finish();
        long afterFlush = usedAfterGc();
        long left = runner.partialMatches();
        Reference.reachabilityFence(runner);
        double perKey = keys == 0 ? 0 : (double) (afterFlush - base) / keys;
        double perPartial = partials == 0 ? Double.NaN : (withPartials - afterFlush) / (double) partials;
        System.out.printf(Locale.ROOT, "  cep-core state at %,d events: %.1f MB retained; %,d keys (%.0f B per key without"
                + " partial matches), %,d partial matches (%d left after flush), %,d buffered events -> %.0f B per partial match%n",
                half, (withPartials - base) / 1e6, keys, perKey, partials, left, buffered, perPartial);
        return String.format(Locale.ROOT, "%.0f B/partial (%,d partials), %.0f B/key", perPartial, partials, perKey);
    }

    static long usedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    static long median(long[] xs) {
        long[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static String ratio(double a, double b) {
        return a > 0 && b > 0 ? String.format(Locale.ROOT, "%.1fx", a / b) : "-";
    }

    static String rate(double r) {
        if (r < 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%,.0f", r);
    }

    static long span(Txn[] ev) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (Txn t : ev) {
            min = Math.min(min, t.ts());
            max = Math.max(max, t.ts());
        }
        return ev.length == 0 ? 0 : max - min;
    }

    static String gcNames() {
        StringBuilder sb = new StringBuilder();
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(gc.getName());
        }
        return sb.toString();
    }

    /** benchmarks/target/tmp next to the jar (or classes directory) this class was loaded from. */
    static String defaultTmp() {
        try {
            File loc = new File(FraudBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return new File(loc.getParentFile(), "tmp").getAbsolutePath();
        } catch (Exception e) {
            return new File("target/tmp").getAbsolutePath();
        }
    }

    static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--events" -> o.events = parseCount(args[++i]);
                case "--geo-events" -> o.geoEvents = parseCount(args[++i]);
                case "--seed" -> o.seed = Long.parseLong(args[++i]);
                case "--pattern" -> {
                    String v = args[++i];
                    o.patterns = v.equals("all") ? List.of(FraudPatterns.values())
                            : Arrays.stream(v.split(",")).map(FraudPatterns::byLabel).toList();
                }
                case "--engines" -> {
                    o.flink = false;
                    o.peregrine = false;
                    for (String e : args[++i].split(",")) {
                        switch (e) {
                            case "flink" -> o.flink = true;
                            case "peregrine", "cep-core" -> o.peregrine = true;
                            default -> throw new IllegalArgumentException("unknown engine '" + e
                                    + "' (engines: flink, peregrine)");
                        }
                    }
                }
                case "--runs" -> o.runs = Integer.parseInt(args[++i]);
                case "--warmup-events" -> o.warmupEvents = parseCount(args[++i]);
                case "--no-memory" -> o.memory = false;
                case "--keep-idle" -> o.keepIdle = true;
                case "--timers" -> o.timers = PeregrineRunner.Timers.valueOf(args[++i].toUpperCase(Locale.ROOT));
                case "--tmp" -> o.tmp = args[++i];
                case "-h", "--help" -> {
                    System.out.println("""
                            fraud benchmark: FlinkCEP vs cep-core on generated card transactions
                              --events N        events per pattern (default 1000000; 1m, 500k accepted)
                              --geo-events N    events for geo-velocity only (FlinkCEP is slow there)
                              --seed S          generator seed (default 42)
                              --pattern P       small-then-large, card-testing, geo-velocity, a comma list, or all
                              --engines E       flink,peregrine (default both)
                              --runs K          timed runs per engine, the median is reported (default 3)
                              --warmup-events N events of the untimed warm-up runs
                              --no-memory       skip the retained-heap measurement of cep-core
                              --keep-idle       cep-core runtime keeps idle keys (default: drops and recycles them)
                              --timers single|split  one timer heap with one timer per key (default), or a heap
                                                for buffered events and one for window timeouts
                              --tmp DIR         Flink scratch directory (default: target/tmp beside the jar)""");
                    return null;
                }
                default -> throw new IllegalArgumentException("unknown option '" + a + "' (try --help)");
            }
        }
        if (o.runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1");
        }
        return o;
    }

    static int parseCount(String s) {
        String v = s.toLowerCase(Locale.ROOT).replace("_", "");
        long mult = 1;
        if (v.endsWith("k")) {
            mult = 1_000;
            v = v.substring(0, v.length() - 1);
        } else if (v.endsWith("m")) {
            mult = 1_000_000;
            v = v.substring(0, v.length() - 1);
        }
        return Math.toIntExact(Long.parseLong(v) * mult);
    }
}
