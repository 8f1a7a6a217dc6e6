package io.peregrine.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.dsl.StreamDef;
import io.peregrine.dsl.schema.Row;
import io.peregrine.runtime.source.RecordBatch;
import io.peregrine.runtime.source.RecordReader;
import io.peregrine.runtime.source.SourcePosition;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestLogTest {

    @TempDir
    Path tmp;

    private final StreamDef stream = Fixtures.program().stream("transactions").orElseThrow();

    private static List<byte[]> events(int from, int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add(Fixtures.txn("c" + i, i, 1000L * i).getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Reads everything the log holds from {@code from}, after endInput. */
    private static List<Row> readAll(IngestLog log, long from) throws IOException {
        log.endInput();
        List<Row> rows = new ArrayList<>();
        try (RecordReader r = log.source().open(log.stream(), new SourcePosition(0, "transactions", from, from + 1))) {
            RecordBatch b = new RecordBatch();
            int n;
            while ((n = r.read(b, 100)) != RecordReader.END) {
                for (int i = 0; i < n; i++) {
                    rows.add(b.row(i));
                }
            }
        }
        return rows;
    }

    @Test
    void shouldAcknowledgeWithSequenceNumbersAndReadBackInOrder() throws Exception {
        try (IngestLog log = IngestLog.open(tmp, stream)) {
            assertEquals(0L, log.append(events(0, 3)).get());
            assertEquals(3L, log.append(events(3, 2)).get());
            assertEquals(5, log.appended());
            List<Row> rows = readAll(log, 0);
            assertEquals(5, rows.size());
            for (int i = 0; i < 5; i++) {
                assertEquals("c" + i, rows.get(i).getString(0));
                assertEquals(1000L * i, rows.get(i).getLong(2));
            }
            assertEquals(5, log.read());
            assertEquals(List.of("c3", "c4"), readAll(log, 3).stream().map(r -> r.getString(0)).toList());
        }
    }

    @Test
    void shouldRecoverEverythingAfterReopenAndContinueTheSequence() throws Exception {
        try (IngestLog log = IngestLog.open(tmp, stream)) {
            log.append(events(0, 4)).get();
        }
        try (IngestLog log = IngestLog.open(tmp, stream)) {
            assertEquals(4, log.appended());
            assertEquals(4L, log.append(events(4, 1)).get());
            assertEquals(5, readAll(log, 0).size());
        }
    }

    @Test
    void shouldCutATornTailButKeepEveryCompleteFrame() throws Exception {
        try (IngestLog log = IngestLog.open(tmp, stream)) {
            log.append(events(0, 3)).get();
        }
        Path seg = onlySegment();
        long good = Files.size(seg);
        // a crash mid-write: a frame header promising 100 bytes, then only 5 of them
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 100, 1, 2, 3, 4, 'a', 'b', 'c', 'd', 'e'}));
        }
        try (IngestLog log = IngestLog.open(tmp, stream)) {
            assertEquals(3, log.appended());
            assertEquals(good, Files.size(seg));
            assertEquals(3L, log.append(events(3, 1)).get());
            assertEquals(List.of("c0", "c1", "c2", "c3"), readAll(log, 0).stream().map(r -> r.getString(0)).toList());
        }
    }

    @Test
    void shouldCutAFrameWithABadChecksumAtTheTail() throws Exception {
        try (IngestLog log = IngestLog.open(tmp, stream)) {
            log.append(events(0, 2)).get();
        }
        Path seg = onlySegment();
        byte[] bytes = Files.readAllBytes(seg);
        bytes[bytes.length - 2] ^= 0x20; // flip a bit in the last event's payload
        Files.write(seg, bytes);
        try (IngestLog log = IngestLog.open(tmp, stream)) {
            assertEquals(1, log.appended());
        }
    }

    @Test
    void shouldRefuseDamageBeforeTheLastSegment() throws Exception {
        try (IngestLog log = IngestLog.open(tmp, stream, 64, 1 << 20, 1 << 20)) {
            log.append(events(0, 2)).get();
            log.append(events(2, 2)).get(); // the first segment is over 64 bytes: this one starts a new segment
        }
        List<Path> segs = segments();
        assertEquals(2, segs.size());
        byte[] bytes = Files.readAllBytes(segs.get(0));
        bytes[bytes.length - 2] ^= 0x20;
        Files.write(segs.get(0), bytes);
        IOException e = assertThrows(IOException.class, () -> IngestLog.open(tmp, stream, 64, 1 << 20, 1 << 20));
        assertTrue(e.getMessage().contains("00000000000000000000.seg is damaged at byte"), e.getMessage());
        assertTrue(e.getMessage().contains("CRC mismatch"), e.getMessage());
    }

    @Test
    void shouldRollSegmentsAndReadAcrossThem() throws Exception {
        try (IngestLog log = IngestLog.open(tmp, stream, 200, 1 << 20, 1 << 20)) {
            for (int i = 0; i < 10; i++) {
                log.append(events(i * 3, 3)).get();
            }
            assertTrue(segments().size() >= 3, "segments: " + segments());
            assertEquals(30, readAll(log, 0).size());
            assertEquals(List.of("c28", "c29"), readAll(log, 28).stream().map(r -> r.getString(0)).toList());
        }
        try (IngestLog log = IngestLog.open(tmp, stream, 200, 1 << 20, 1 << 20)) {
            assertEquals(30, log.appended());
        }
    }

    @Test
    void shouldRejectOversizedEventsAndOverload() throws Exception {
        try (IngestLog log = IngestLog.open(tmp, stream, 1 << 20, 100, 150)) {
            assertThrows(IllegalArgumentException.class, () -> log.append(List.of(new byte[101])));
            // 3 events of 60 bytes (+8 framing) exceed 150 pending bytes whatever the writer does
            List<byte[]> big = List.of(new byte[60], new byte[60], new byte[60]);
            IngestLog.RejectedException e = assertThrows(IngestLog.RejectedException.class, () -> log.append(big));
            assertTrue(e.overloaded());
        }
    }

    @Test
    void shouldRefuseAppendsAfterClose() throws Exception {
        IngestLog log = IngestLog.open(tmp, stream);
        log.close();
        IngestLog.RejectedException e = assertThrows(IngestLog.RejectedException.class, () -> log.append(events(0, 1)));
        assertEquals("ingest log of transactions is closed", e.getMessage());
    }

    private Path onlySegment() throws IOException {
        List<Path> s = segments();
        assertEquals(1, s.size());
        return s.get(0);
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> l = Files.list(tmp)) {
            return l.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }
}
