package io.peregrine.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.peregrine.dsl.Program;
import io.peregrine.runtime.source.SourceException;
import io.peregrine.runtime.source.Sources;
import io.peregrine.runtime.source.TransactionGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole jobs on real files: threads, queues, key groups, sinks. */
class JobTest {

    private static final long BOUND = 2_000;
    private static List<String> arrival;

    @TempDir
    Path tmp;

    @BeforeAll
    static void generate() throws IOException {
        // 200 cards, 20 events per second of event time: each card sees an event every ~10 s, so the
        // 10-minute patterns match often; records arrive up to 2 s out of order
        TransactionGenerator.Config config = TransactionGenerator.Config.of(7, 30_000)
                .withCards(200).withEventsPerSecond(20).withFraudRate(0.002);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TransactionGenerator.writeJsonLines(config, out);
        arrival = List.of(out.toString(StandardCharsets.UTF_8).split("\n"));
    }

    private static long ts(String line) {
        int i = line.indexOf("\"ts\":");
        return Long.parseLong(line.substring(i + 5, line.indexOf('}', i)));
    }

    private Path write(String name, List<String> lines) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, lines, StandardCharsets.UTF_8);
        return p;
    }

    private Map<String, byte[]> run(Program program, Path input, int parallelism, String outName) throws IOException {
        Path out = tmp.resolve(outName);
        JobSummary summary = Job.builder(program)
                .input("transactions", Sources.file(input))
                .outputDirectory(out)
                .parallelism(parallelism)
                .build()
                .run();
        assertEquals(Files.readAllLines(input).size(), summary.events());
        return readAll(out);
    }

    private static Map<String, byte[]> readAll(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.forEach(p -> {
                try {
                    files.put(p.getFileName().toString(), Files.readAllBytes(p));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return files;
    }

    @Test
    void shouldWriteIdenticalOutputsForParallelismOneTwoAndFour() throws IOException {
        Program program = TestPrograms.fraud(BOUND, "json");
        Path input = write("in.jsonl", arrival);
        Map<String, byte[]> one = run(program, input, 1, "p1");
        Map<String, byte[]> two = run(program, input, 2, "p2");
        Map<String, byte[]> four = run(program, input, 4, "p4");
        assertEquals(List.of("big_by_country.jsonl", "dead-letter.jsonl", "late.jsonl", "quick_large.jsonl",
                "quick_large.timeouts.jsonl", "small_then_large.jsonl", "small_without_large.jsonl"),
                new ArrayList<>(one.keySet()));
        assertTrue(lines(one.get("small_then_large.jsonl")) > 100, "the workload matches often");
        assertTrue(lines(one.get("quick_large.jsonl")) > 10);
        assertTrue(lines(one.get("quick_large.timeouts.jsonl")) > 100);
        assertTrue(lines(one.get("small_without_large.jsonl")) > 100);
        for (String f : one.keySet()) {
            assertArrayEquals(one.get(f), two.get(f), f + " at parallelism 2");
            assertArrayEquals(one.get(f), four.get(f), f + " at parallelism 4");
        }
    }

    @Test
    void shouldWriteTheSameBytesForShuffledInputWithinTheBoundAsForSortedInput() throws IOException {
        Program program = TestPrograms.fraud(BOUND, "json");
        List<String> sorted = new ArrayList<>(arrival);
        sorted.sort(Comparator.comparingLong(JobTest::ts)); // stable: equal timestamps keep their order
        Map<String, byte[]> fromSorted = run(program, write("sorted.jsonl", sorted), 2, "sorted");
        Map<String, byte[]> fromShuffled = run(program, write("shuffled.jsonl", arrival), 2, "shuffled");
        for (String f : fromSorted.keySet()) {
            assertArrayEquals(fromSorted.get(f), fromShuffled.get(f), f);
        }
        assertEquals(0, fromShuffled.get("late.jsonl").length, "nothing is late within the bound");
    }

    @Test
    void shouldWriteWhatTheTestDriverEmits() throws IOException {
        Program program = TestPrograms.fraud(BOUND, "json");
        Map<String, byte[]> files = run(program, write("in.jsonl", arrival), 2, "out");
        try (JobTestDriver d = JobTestDriver.create(program)) {
            d.pipeLines("transactions", arrival.toArray(new String[0]));
            d.finish();
            for (var p : program.patterns()) {
                String expected = d.outputLines(p.name()).stream().map(l -> l + "\n").reduce("", String::concat);
                assertEquals(expected, new String(files.get(p.name() + ".jsonl"), StandardCharsets.UTF_8), p.name());
                if (p.emitsTimeouts()) {
                    String timeouts = d.timeoutLines(p.name()).stream().map(l -> l + "\n").reduce("", String::concat);
                    assertEquals(timeouts, new String(files.get(p.name() + ".timeouts.jsonl"), StandardCharsets.UTF_8));
                }
            }
        }
    }

    @Test
    void shouldWriteBadRecordsToTheDeadLetterFileWithReasonsAndLateEventsToTheLateFile() throws IOException {
        long t0 = 1_767_225_600_000L;
        List<String> lines = List.of(
                TestPrograms.json("c1", 0.5, "US", t0),
                "{\"card_id\":\"c1\",\"amount\":1.5,\"country\":\"US\"}",
                "{\"card_id\":\"c1\",\"amount\":1e999,\"country\":\"US\",\"ts\":1}",
                "{\"card_id\":\"c1\",\"amount\":2,\"country\":\"US\",\"ts\":\"yesterday\"}",
                "{\"card_id\":\"c1\",\"amount\":2,\"country\":\"US\",\"ts\":1,",
                TestPrograms.json("c1", 3, "US", t0 + 10_000),
                TestPrograms.json("c1", 4, "US", t0 + 7_999),
                TestPrograms.json("c1", 900, "US", t0 + 20_000));
        Path out = tmp.resolve("out");
        JobSummary summary = Job.builder(TestPrograms.fraud(BOUND, "json"))
                .input("transactions", Sources.file(write("in.jsonl", lines)))
                .outputDirectory(out)
                .parallelism(2)
                .build()
                .run();
        assertEquals(8, summary.events());
        assertEquals(4, summary.deadLetters());
        assertEquals(1, summary.lateEvents());
        String in = tmp.resolve("in.jsonl").toString();
        assertEquals(List.of(
                "{\"stream\":\"transactions\",\"source\":\"" + in + "\",\"split\":\"in.jsonl\",\"line\":2,"
                        + "\"offset\":" + offsetOfLine(lines, 2) + ","
                        + "\"reason\":\"missing field 'ts'\",\"raw\":\"{\\\"card_id\\\":\\\"c1\\\",\\\"amount\\\":1.5,"
                        + "\\\"country\\\":\\\"US\\\"}\"}",
                "{\"stream\":\"transactions\",\"source\":\"" + in + "\",\"split\":\"in.jsonl\",\"line\":3,"
                        + "\"offset\":" + offsetOfLine(lines, 3) + ","
                        + "\"reason\":\"field 'amount': non-finite number 1e999\",\"raw\":\"{\\\"card_id\\\":\\\"c1\\\","
                        + "\\\"amount\\\":1e999,\\\"country\\\":\\\"US\\\",\\\"ts\\\":1}\"}"),
                Files.readAllLines(out.resolve("dead-letter.jsonl")).subList(0, 2));
        List<String> dead = Files.readAllLines(out.resolve("dead-letter.jsonl"));
        assertTrue(dead.get(2).contains("\"reason\":\"field 'ts': expected epoch milliseconds or an ISO-8601 timestamp,"
                + " got 'yesterday'\""), dead.get(2));
        assertTrue(dead.get(3).contains("\"reason\":\"bad JSON at column 50: expected a field name\""), dead.get(3));
        List<String> late = Files.readAllLines(out.resolve("late.jsonl"));
        assertEquals(List.of("{\"stream\":\"transactions\",\"source\":\"" + in + "\",\"split\":\"in.jsonl\",\"line\":7,"
                + "\"offset\":" + offsetOfLine(lines, 7) + ",\"event_time\":\"2026-01-01T00:00:07.999Z\","
                + "\"watermark\":\"2026-01-01T00:00:07.999Z\",\"reason\":\"event time 2026-01-01T00:00:07.999Z is at or "
                + "below the watermark 2026-01-01T00:00:07.999Z of stream transactions\",\"row\":{\"card_id\":\"c1\","
                + "\"amount\":4.0,\"country\":\"US\",\"ts\":\"2026-01-01T00:00:07.999Z\"}}"), late);
        assertEquals(List.of("{\"card_id\":\"c1\",\"first_ts\":\"2026-01-01T00:00:00.000Z\","
                + "\"last_ts\":\"2026-01-01T00:00:20.000Z\",\"amount\":900.0,\"kind\":\"match\",\"n\":1}"),
                Files.readAllLines(out.resolve("small_then_large.jsonl")));
    }

    private static int offsetOfLine(List<String> lines, int line) {
        int off = 0;
        for (int i = 0; i < line - 1; i++) {
            off += lines.get(i).getBytes(StandardCharsets.UTF_8).length + 1;
        }
        return off;
    }

    @Test
    void shouldReadCsvDirectoriesFileByFile() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("csv"));
        List<String> sorted = new ArrayList<>(arrival);
        sorted.sort(Comparator.comparingLong(JobTest::ts));
        List<String> a = new ArrayList<>(List.of("ts,country,amount,card_id,merchant_id"));
        List<String> b = new ArrayList<>(List.of("card_id,amount,ts,country"));
        for (int i = 0; i < sorted.size(); i++) {
            String l = sorted.get(i);
            String card = field(l, "card_id");
            String amount = field(l, "amount");
            String country = field(l, "country");
            long ts = ts(l);
            if (i < sorted.size() / 2) {
                a.add(ts + "," + country + "," + amount + ",\"" + card + "\",1");
            } else {
                b.add(card + "," + amount + "," + java.time.Instant.ofEpochMilli(ts) + "," + country);
            }
        }
        Files.write(dir.resolve("part-1.csv"), a);
        Files.write(dir.resolve("part-2.csv"), b);
        Path out = tmp.resolve("csv-out");
        Job.builder(TestPrograms.fraud(BOUND, "csv")).input("transactions", Sources.file(dir))
                .outputDirectory(out).parallelism(2).build().run();
        Map<String, byte[]> fromJson = run(TestPrograms.fraud(BOUND, "json"), write("sorted.jsonl", sorted), 1, "json-out");
        Map<String, byte[]> fromCsv = readAll(out);
        for (String f : fromJson.keySet()) {
            if (!f.equals("dead-letter.jsonl")) {
                assertArrayEquals(fromJson.get(f), fromCsv.get(f), f);
            }
        }
        assertEquals(0, fromCsv.get("dead-letter.jsonl").length, new String(fromCsv.get("dead-letter.jsonl")));
    }

    private static String field(String json, String name) {
        int i = json.indexOf("\"" + name + "\":") + name.length() + 3;
        if (json.charAt(i) == '"') {
            return json.substring(i + 1, json.indexOf('"', i + 1));
        }
        int e = i;
        while (e < json.length() && json.charAt(e) != ',' && json.charAt(e) != '}') {
            e++;
        }
        return json.substring(i, e);
    }

    @Test
    void shouldCountInMetrics() throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List<String> lines = new ArrayList<>(arrival.subList(0, 5_000));
        lines.add("{oops");
        JobSummary summary = Job.builder(TestPrograms.fraud(BOUND, "json"))
                .input("transactions", Sources.file(write("in.jsonl", lines)))
                .outputDirectory(tmp.resolve("out")).parallelism(2).meterRegistry(registry).build().run();
        String scrape = registry.scrape();
        assertTrue(scrape.contains("peregrine_events_in_total{source=\"" + tmp.resolve("in.jsonl")
                + "\",stream=\"transactions\"} 5001.0"), scrape);
        assertTrue(scrape.contains("peregrine_decode_failures_total{stream=\"transactions\"} 1.0"), scrape);
        assertTrue(scrape.contains("peregrine_output_rows_total{output=\"matches\",pattern=\"small_then_large\"} "
                + summary.rowsPerPattern().get("small_then_large") + ".0"), scrape);
        assertTrue(scrape.contains("peregrine_partial_matches{pattern=\"small_then_large\"} 0.0"), scrape);
        assertTrue(scrape.contains("peregrine_queue_depth{worker=\"1\"}"), scrape);
        assertTrue(scrape.contains("peregrine_late_events_total{stream=\"transactions\"} 0.0"), scrape);
    }

    @Test
    void shouldReportAMissingInputInOneLine() {
        Job job = Job.builder(TestPrograms.fraud(BOUND, "json"))
                .input("transactions", Sources.file(tmp.resolve("nope.jsonl")))
                .outputDirectory(tmp.resolve("out")).build();
        SourceException e = assertThrows(SourceException.class, job::run);
        assertEquals("no such file or directory: " + tmp.resolve("nope.jsonl"), e.getMessage());
    }

    @Test
    void shouldRejectUnknownStreamsAndMissingInputs() {
        Program program = TestPrograms.fraud(BOUND, "json");
        JobException unknown = assertThrows(JobException.class, () -> Job.builder(program)
                .input("payments", Sources.file(tmp)).outputDirectory(tmp).build());
        assertEquals("unknown stream payments (the program declares [transactions])", unknown.getMessage());
        JobException missing = assertThrows(JobException.class, () -> Job.builder(program).outputDirectory(tmp).build());
        assertEquals("stream transactions has no input (patterns read it)", missing.getMessage());
    }

    @Test
    void shouldRunFromTheGenerator() {
        io.peregrine.runtime.sink.InMemorySink<io.peregrine.dsl.schema.Row> sink = new io.peregrine.runtime.sink.InMemorySink<>();
        Program program = TestPrograms.program(TestPrograms.transactions(BOUND),
                TestPrograms.smallThenLarge(TestPrograms.transactions(BOUND)));
        JobSummary s = Job.builder(program)
                .input("transactions", Sources.generator(TransactionGenerator.Config.of(3, 20_000).withCards(100)))
                .sink("small_then_large", sink).parallelism(2).build().run();
        assertEquals(20_000, s.events());
        assertEquals(s.rowsPerPattern().get("small_then_large"), (long) sink.records().size());
        assertTrue(sink.records().size() > 10);
        assertTrue(sink.isClosed());
    }

    private static int lines(byte[] b) {
        int n = 0;
        for (byte x : b) {
            if (x == '\n') {
                n++;
            }
        }
        return n;
    }

    static byte[] concat(byte[]... parts) {
        return Arrays.stream(parts).reduce(new byte[0], (x, y) -> {
            byte[] r = Arrays.copyOf(x, x.length + y.length);
            System.arraycopy(y, 0, r, x.length, y.length);
            return r;
        });
    }
}
