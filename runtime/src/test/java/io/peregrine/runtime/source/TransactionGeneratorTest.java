package io.peregrine.runtime.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.dsl.StreamDef;
import io.peregrine.dsl.schema.DataType;
import io.peregrine.dsl.schema.Row;
import io.peregrine.dsl.schema.Schema;
import io.peregrine.runtime.format.JsonRowDecoder;
import io.peregrine.runtime.format.RowDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransactionGeneratorTest {

    private static final TransactionGenerator.Config CONFIG = TransactionGenerator.Config.of(9, 20_000)
            .withCards(500).withEventsPerSecond(50);

    private static List<Row> rows(StreamDef stream, SourcePosition from) throws IOException {
        RecordReader r = Sources.generator(CONFIG).open(stream, from);
        RecordBatch b = new RecordBatch();
        List<Row> out = new ArrayList<>();
        int n;
        while ((n = r.read(b, 333)) != RecordReader.END) {
            for (int i = 0; i < n; i++) {
                out.add(b.row(i));
            }
        }
        return out;
    }

    private static StreamDef stream(Schema schema) {
        return new StreamDef("t", schema, schema.size() - 1, 2000, Map.of());
    }

    @Test
    void shouldBeDeterministicAndOutOfOrderByAtMostTheDelay() throws IOException {
        StreamDef s = stream(TransactionGenerator.SCHEMA);
        List<Row> a = rows(s, null);
        assertEquals(a, rows(s, null));
        assertEquals(20_000, a.size());
        long max = Long.MIN_VALUE;
        int outOfOrder = 0;
        for (Row r : a) {
            long ts = r.getLong(4);
            assertTrue(max == Long.MIN_VALUE || ts >= max - CONFIG.maxDelayMillis(), "never later than the delay");
            if (ts < max) {
                outOfOrder++;
            }
            max = Math.max(max, ts);
        }
        assertTrue(outOfOrder > 1000, "and often out of order");
    }

    @Test
    void shouldReplayFromAPosition() throws IOException {
        StreamDef s = stream(TransactionGenerator.SCHEMA);
        List<Row> all = rows(s, null);
        RecordReader r = Sources.generator(CONFIG).open(s, null);
        r.read(new RecordBatch(), 1234);
        assertEquals(all.subList(1234, all.size()), rows(s, r.position()));
    }

    @Test
    void shouldFillTheColumnsAStreamDeclaresInTheirTypes() throws IOException {
        Schema schema = Schema.builder().add("amount", DataType.decimal(10, 4)).add("card_id", DataType.BIGINT)
                .add("ts", DataType.TIMESTAMP).build();
        List<Row> typed = rows(stream(schema), null);
        List<Row> plain = rows(stream(TransactionGenerator.SCHEMA), null);
        for (int i = 0; i < 100; i++) {
            assertEquals(BigDecimal.valueOf(plain.get(i).getDouble(1)).setScale(4), typed.get(i).get("amount"));
            assertEquals(plain.get(i).getString(0), TransactionGenerator.cardId((int) (typed.get(i).getLong(1)
                    - GeneratorSource.CARD_BASE)));
        }
        Schema unknown = Schema.builder().add("colour", DataType.STRING).build();
        SourceException e = assertThrows(SourceException.class,
                () -> Sources.generator(CONFIG).open(new StreamDef("t", unknown, -1, 0, Map.of()), null));
        assertTrue(e.getMessage().startsWith("generator(seed=9) cannot fill column 'colour' of stream t"), e.getMessage());
    }

    @Test
    void shouldWriteJsonLinesThatDecodeToTheSameRows() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(20_000, TransactionGenerator.writeJsonLines(CONFIG, out));
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        List<Row> rows = rows(stream(TransactionGenerator.SCHEMA), null);
        JsonRowDecoder d = new JsonRowDecoder(TransactionGenerator.SCHEMA);
        for (int i = 0; i < lines.length; i++) {
            byte[] b = lines[i].getBytes(StandardCharsets.UTF_8);
            assertEquals(RowDecoder.Status.ROW, d.decode(b, 0, b.length));
            assertEquals(rows.get(i), d.row(), lines[i]);
        }
    }
}
