package io.peregrine.runtime.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.dsl.StreamDef;
import io.peregrine.dsl.schema.DataType;
import io.peregrine.dsl.schema.Schema;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourcesTest {

    static final Schema SCHEMA = Schema.builder().add("x", DataType.STRING).build();
    static final StreamDef JSON = new StreamDef("s", SCHEMA, -1, 0, Map.of("format", "json"));
    static final StreamDef CSV = new StreamDef("s", SCHEMA, -1, 0, Map.of("format", "csv"));

    @TempDir
    Path tmp;

    /** A record as read: its text, split, line and offset. */
    record Rec(String text, String split, long line, long offset) {}

    static List<Rec> readAll(RecordReader reader, int chunk) throws IOException {
        List<Rec> out = new ArrayList<>();
        RecordBatch b = new RecordBatch();
        int n;
        while ((n = reader.read(b, chunk)) != RecordReader.END) {
            for (int i = 0; i < n; i++) {
                out.add(new Rec(new String(b.buffer(), b.start(i), b.end(i) - b.start(i), StandardCharsets.UTF_8),
                        b.splitName(), b.line(i), b.offset(i)));
            }
        }
        reader.close();
        return out;
    }

    private Path file(String name, String content) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void shouldSplitLinesWithTheirLineNumbersAndOffsets() throws IOException {
        Path p = file("a.jsonl", "one\r\ntwo\n\nthree");
        assertEquals(List.of(new Rec("one", "a.jsonl", 1, 0), new Rec("two", "a.jsonl", 2, 5),
                new Rec("", "a.jsonl", 3, 9), new Rec("three", "a.jsonl", 4, 10)),
                readAll(Sources.file(p).open(JSON, null), 2));
    }

    @Test
    void shouldKeepQuotedLineBreaksInsideCsvRecords() throws IOException {
        Path p = file("a.csv", "x\n\"multi\nline\",y\nlast\n");
        assertEquals(List.of(new Rec("x", "a.csv", 1, 0), new Rec("\"multi\nline\",y", "a.csv", 2, 2),
                new Rec("last", "a.csv", 4, 17)), readAll(Sources.file(p).open(CSV, null), 10));
    }

    @Test
    void shouldReadRecordsLongerThanTheBuffer() throws IOException {
        String big = "x".repeat(3 << 20);
        Path p = file("big.jsonl", "a\n" + big + "\nb\n");
        List<Rec> recs = readAll(Sources.file(p).open(JSON, null), 1000);
        assertEquals(3, recs.size());
        assertEquals(big, recs.get(1).text());
        assertEquals(new Rec("b", "big.jsonl", 3, 2 + big.length() + 1), recs.get(2));
    }

    @Test
    void shouldReadADirectoryInFileNameOrderSkippingHiddenFiles() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("d"));
        Files.writeString(dir.resolve("b.jsonl"), "b1\nb2\n");
        Files.writeString(dir.resolve("a.jsonl"), "a1\n");
        Files.writeString(dir.resolve(".hidden"), "no\n");
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(dir.resolve("c.jsonl.gz")))) {
            gz.write("c1\nc2".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(List.of(new Rec("a1", "a.jsonl", 1, 0), new Rec("b1", "b.jsonl", 1, 0),
                new Rec("b2", "b.jsonl", 2, 3), new Rec("c1", "c.jsonl.gz", 1, 0), new Rec("c2", "c.jsonl.gz", 2, 3)),
                readAll(Sources.file(dir).open(JSON, null), 1));
    }

    @Test
    void shouldReplayFromAPosition() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("d"));
        StringBuilder a = new StringBuilder("x\n");
        StringBuilder b = new StringBuilder("x\n");
        for (int i = 0; i < 500; i++) {
            a.append("a").append(i).append('\n');
            b.append("\"b\n").append(i).append("\"\n");
        }
        Files.writeString(dir.resolve("a.csv"), a);
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(dir.resolve("b.csv.gz")))) {
            gz.write(b.toString().getBytes(StandardCharsets.UTF_8));
        }
        List<Rec> all = readAll(Sources.file(dir).open(CSV, null), 64);
        for (int cut : new int[] {0, 1, 300, 501, 502, 750, all.size()}) {
            RecordReader r = Sources.file(dir).open(CSV, null);
            RecordBatch batch = new RecordBatch();
            int done = 0;
            while (done < cut) {
                done += r.read(batch, Math.min(7, cut - done));
            }
            SourcePosition pos = r.position();
            r.close();
            List<Rec> rest = readAll(Sources.file(dir).open(CSV, pos), 64);
            List<Rec> expected = new ArrayList<>(all.subList(cut, all.size()));
            if (pos.offset() > 0) {
                // resuming inside (or at the end of) a CSV file re-reads its header first
                assertEquals(new Rec("x", pos.splitName(), 1, 0), rest.get(0));
                rest = rest.subList(1, rest.size());
            }
            assertEquals(expected, rest, "resumed after " + cut + " at " + pos);
        }
    }

    @Test
    void shouldReportAMissingFile() {
        SourceException e = assertThrows(SourceException.class,
                () -> Sources.file(tmp.resolve("missing.jsonl")).open(JSON, null));
        assertEquals("no such file or directory: " + tmp.resolve("missing.jsonl"), e.getMessage());
    }

    @Test
    void shouldReadAStreamThatIsNotThereYetWithoutBlocking() throws Exception {
        PipedOutputStream writer = new PipedOutputStream();
        PipedInputStream pipe = new PipedInputStream(writer);
        RecordReader r = Sources.stream("pipe", () -> pipe).open(JSON, null);
        RecordBatch b = new RecordBatch();
        assertEquals(RecordReader.NOTHING_YET, r.read(b, 10));
        writer.write("hello\nwor".getBytes(StandardCharsets.UTF_8));
        writer.flush();
        int n = 0;
        for (long until = System.nanoTime() + 10_000_000_000L; n == 0 && System.nanoTime() < until; ) {
            n = r.read(b, 10);
            Thread.sleep(1);
        }
        assertEquals(1, n);
        assertEquals("hello", new String(b.buffer(), b.start(0), b.end(0) - b.start(0), StandardCharsets.UTF_8));
        writer.write("ld".getBytes(StandardCharsets.UTF_8));
        writer.close();
        List<Rec> rest = new ArrayList<>();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            n = r.read(b, 10);
            if (n == RecordReader.END) {
                break;
            }
            for (int k = 0; k < n; k++) {
                rest.add(new Rec(new String(b.buffer(), b.start(k), b.end(k) - b.start(k), StandardCharsets.UTF_8),
                        b.splitName(), b.line(k), b.offset(k)));
            }
            Thread.sleep(2);
        }
        assertEquals(List.of(new Rec("world", "pipe", 2, 6)), rest);
        assertEquals(RecordReader.END, r.read(b, 10));
        assertTrue(!Sources.stream("pipe", () -> pipe).replayable());
    }

    @Test
    void shouldReadAnInputStreamToItsEnd() throws Exception {
        RecordReader r = Sources.stream("bytes", () -> new ByteArrayInputStream("a\nb\n".getBytes(StandardCharsets.UTF_8)))
                .open(JSON, null);
        List<Rec> recs = new ArrayList<>();
        RecordBatch b = new RecordBatch();
        long deadline = System.nanoTime() + 10_000_000_000L; // a thread of its own reads the stream
        while (System.nanoTime() < deadline) {
            int n = r.read(b, 10);
            if (n == RecordReader.END) {
                break;
            }
            for (int k = 0; k < n; k++) {
                recs.add(new Rec(new String(b.buffer(), b.start(k), b.end(k) - b.start(k), StandardCharsets.UTF_8),
                        b.splitName(), b.line(k), b.offset(k)));
            }
            if (n == RecordReader.NOTHING_YET) {
                Thread.sleep(1);
            }
        }
        assertEquals(List.of(new Rec("a", "bytes", 1, 0), new Rec("b", "bytes", 2, 2)), recs);
    }
}
