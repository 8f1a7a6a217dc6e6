package io.peregrine.runtime.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.peregrine.dsl.schema.DataType;
import io.peregrine.dsl.schema.Row;
import io.peregrine.dsl.schema.RowBuilder;
import io.peregrine.dsl.schema.Schema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonFormatsTest {

    static final Schema SCHEMA = Schema.builder()
            .add("b", DataType.BOOLEAN).add("i", DataType.INT).add("l", DataType.BIGINT).add("d", DataType.DOUBLE)
            .add("m", DataType.decimal(10, 3)).add("s", DataType.STRING).add("t", DataType.TIMESTAMP)
            .add("v", DataType.INTERVAL)
            .build();

    @TempDir
    Path tmp;

    private static String json(Row row) {
        JsonWriter w = new JsonWriter();
        new RowJsonEncoder(SCHEMA).encode(row, w);
        return w.toString();
    }

    private static Row row(boolean b, int i, long l, double d, long unscaled, String s, long t) {
        return new RowBuilder(SCHEMA).setBoolean(0, b).setLong(1, i).setLong(2, l).setDouble(3, d).setLong(4, unscaled)
                .setString(5, s).setLong(6, t).setLong(7, 90_000).build();
    }

    @Test
    void shouldWriteEveryTypeExactly() {
        assertEquals("{\"b\":true,\"i\":-5,\"l\":9007199254740993,\"d\":0.1,\"m\":12.345,\"s\":\"plain\","
                        + "\"t\":\"2024-01-01T00:00:00.000Z\",\"v\":90000}",
                json(row(true, -5, 9007199254740993L, 0.1, 12_345, "plain", 1_704_067_200_000L)));
        assertEquals("{\"b\":false,\"i\":0,\"l\":-1,\"d\":1.0E21,\"m\":-0.005,\"s\":\"\","
                        + "\"t\":\"1969-12-31T23:59:59.999Z\",\"v\":90000}",
                json(row(false, 0, -1, 1e21, -5, "", -1)));
        assertEquals("{\"b\":false,\"i\":0,\"l\":0,\"d\":null,\"m\":1000.000,\"s\":\"x\","
                        + "\"t\":\"+10000-01-01T00:00:00.000Z\",\"v\":90000}",
                json(row(false, 0, 0, Double.NaN, 1_000_000, "x", 253_402_300_800_000L)));
        assertEquals("{\"b\":null,\"i\":null,\"l\":null,\"d\":null,\"m\":null,\"s\":null,\"t\":null,\"v\":null}",
                json(new RowBuilder(SCHEMA).build()));
    }

    @Test
    void shouldEscapeStrings() {
        String s = "q\"b\\s/\n\r\t\b\f\u0001é€😀\ud800x";
        assertEquals("\"q\\\"b\\\\s/\\n\\r\\t\\b\\f\\u0001é€😀\\ud800x\"", new JsonWriter().string(s).toString());
    }

    @Test
    void shouldWriteLateEventsAndDeadLetters() {
        Row r = row(true, 1, 2, 3.5, 4, "s", 0);
        JsonWriter w = new JsonWriter();
        LateEvent.jsonEncoder().encode(new LateEvent("txns", "in.jsonl", "in.jsonl", 7, 120, 1000, 2000,
                "late", r), w);
        assertEquals("{\"stream\":\"txns\",\"source\":\"in.jsonl\",\"split\":\"in.jsonl\",\"line\":7,\"offset\":120,"
                + "\"event_time\":\"1970-01-01T00:00:01.000Z\",\"watermark\":\"1970-01-01T00:00:02.000Z\","
                + "\"reason\":\"late\",\"row\":" + json(r) + "}", w.toString());
        w.reset();
        DeadLetter.jsonEncoder().encode(new DeadLetter("txns", "dir", "a.csv", 3, 40, "bad", "x,\"y\""), w);
        assertEquals("{\"stream\":\"txns\",\"source\":\"dir\",\"split\":\"a.csv\",\"line\":3,\"offset\":40,"
                + "\"reason\":\"bad\",\"raw\":\"x,\\\"y\\\"\"}", w.toString());
    }

    @Test
    void shouldWriteOneObjectPerLineToAFile() throws IOException {
        Path file = tmp.resolve("out.jsonl");
        Sink<Row> sink = Sinks.jsonLines(file, RowJsonEncoder.tagged(SCHEMA, "@pattern", "p"));
        sink.write(row(true, 1, 2, 3, 4, "a", 5));
        sink.write(row(false, 1, 2, 3, 4, "b", 5));
        sink.close();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(2, lines.size());
        assertEquals("{\"@pattern\":\"p\",\"b\":true,\"i\":1,\"l\":2,\"d\":3.0,\"m\":0.004,\"s\":\"a\","
                + "\"t\":\"1970-01-01T00:00:00.005Z\",\"v\":90000}", lines.get(0));
    }

    @Test
    void shouldReportTheFileItCannotCreate() {
        SinkException e = org.junit.jupiter.api.Assertions.assertThrows(SinkException.class,
                () -> Sinks.jsonLines(tmp.resolve("no/such/dir/out.jsonl"), new RowJsonEncoder(SCHEMA)));
        assertEquals(true, e.getMessage().startsWith("cannot create " + tmp.resolve("no/such/dir/out.jsonl")),
                e.getMessage());
    }
}
