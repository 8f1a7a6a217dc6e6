package io.peregrine.runtime.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.peregrine.dsl.schema.Row;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CsvRowDecoderTest {

    private final CsvRowDecoder decoder = new CsvRowDecoder(JsonRowDecoderTest.SCHEMA);

    @BeforeEach
    void header() {
        assertEquals(RowDecoder.Status.SKIPPED, decode("\uFEFFt,s,m,extra,d,l,i,\"b\""));
    }

    private RowDecoder.Status decode(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return decoder.decode(b, 0, b.length);
    }

    private Row row(String line) {
        assertEquals(RowDecoder.Status.ROW, decode(line), decoder::failure);
        return decoder.row();
    }

    private String failure(String line) {
        assertEquals(RowDecoder.Status.FAILED, decode(line), line);
        return decoder.failure();
    }

    @Test
    void shouldMatchColumnsByHeaderName() {
        Row r = row("2024-01-01T00:00:00Z,hello,12.345,ignored,1.5,42,-3,TRUE");
        assertEquals(Instant.parse("2024-01-01T00:00:00Z"), r.get("t"));
        assertEquals("hello", r.get("s"));
        assertEquals(new BigDecimal("12.35"), r.get("m"));
        assertEquals(1.5, r.get("d"));
        assertEquals(42L, r.get("l"));
        assertEquals(-3, r.get("i"));
        assertEquals(true, r.get("b"));
    }

    @Test
    void shouldReadQuotedFieldsWithCommasQuotesAndLineBreaks() {
        Row r = row("1704067200000,\"a, \"\"b\"\"\nc\",\" 1.00 \",,2, 7 ,0,false");
        assertEquals("a, \"b\"\nc", r.get("s"));
        assertEquals(new BigDecimal("1.00"), r.get("m"));
        assertEquals(7L, r.get("l"));
        assertEquals(Instant.ofEpochMilli(1704067200000L), r.get("t"));
    }

    @Test
    void shouldReadEmptyStringsButNotEmptyNumbers() {
        assertEquals("", row("0,,1,,1,1,1,true").get("s"));
        assertEquals("", row("0,\"\",1,,1,1,1,true").get("s"));
        assertEquals("field 'd': empty", failure("0,x,1,,,1,1,true"));
        assertEquals("field 'b': empty", failure("0,x,1,,1,1,1,"));
    }

    @Test
    void shouldNameEveryReasonForABadRow() {
        assertEquals("missing field 'l'", failure("0,x,1,,1"));
        assertEquals("more fields than the 8 of the header", failure("0,x,1,,1,1,1,true,9"));
        assertEquals("unterminated quoted field 2", failure("0,\"x,1,,1,1,1,true"));
        assertEquals("text after the closing quote of field 2", failure("0,\"x\"y,1,,1,1,1,true"));
        assertEquals("field 'b': expected BOOLEAN, got 'yes'", failure("0,x,1,,1,1,1,yes"));
        assertEquals("field 'i': 3000000000 is out of range for INT", failure("0,x,1,,1,1,3000000000,true"));
        assertEquals("field 'd': non-finite number 1e999", failure("0,x,1,,1e999,1,1,true"));
        assertEquals("field 'd': expected DOUBLE, got 'NaN'", failure("0,x,1,,NaN,1,1,true"));
        assertEquals("field 'm': 12345.6 is out of range for DECIMAL(6, 2)", failure("0,x,12345.6,,1,1,1,true"));
        assertEquals("field 't': expected epoch milliseconds or an ISO-8601 timestamp, got 'noon'",
                failure("noon,x,1,,1,1,1,true"));
        assertEquals(1L, row("0,x,1,,1,1,1,true").get("l"), "and it goes on");
    }

    @Test
    void shouldRejectAHeaderWithoutAColumnOfTheStream() {
        CsvRowDecoder d = new CsvRowDecoder(JsonRowDecoderTest.SCHEMA);
        byte[] h = "t,s,m,d,l,i".getBytes(StandardCharsets.UTF_8);
        DecodeException e = assertThrows(DecodeException.class, () -> d.decode(h, 0, h.length));
        assertEquals("CSV header [t, s, m, d, l, i] lacks column [b] of the stream", e.getMessage());
        byte[] twice = "t,s,m,d,l,i,b,b".getBytes(StandardCharsets.UTF_8);
        CsvRowDecoder d2 = new CsvRowDecoder(JsonRowDecoderTest.SCHEMA);
        assertEquals("CSV header names column 'b' twice",
                assertThrows(DecodeException.class, () -> d2.decode(twice, 0, twice.length)).getMessage());
    }

    @Test
    void shouldReadQuotedNonAsciiHeaderNames() {
        io.peregrine.dsl.schema.Schema schema = io.peregrine.dsl.schema.Schema.builder()
                .add("montant é", io.peregrine.dsl.schema.DataType.DOUBLE).build();
        CsvRowDecoder d = new CsvRowDecoder(schema);
        byte[] h = "\"montant é\"".getBytes(StandardCharsets.UTF_8);
        assertEquals(RowDecoder.Status.SKIPPED, d.decode(h, 0, h.length));
        byte[] r = "2.5".getBytes(StandardCharsets.UTF_8);
        assertEquals(RowDecoder.Status.ROW, d.decode(r, 0, r.length));
        assertEquals(2.5, d.row().getDouble(0));
    }

    @Test
    void shouldReadANewHeaderForEachFile() {
        decoder.startSplit();
        assertEquals(RowDecoder.Status.SKIPPED, decode("b,i,l,d,m,s,t"));
        assertEquals("z", row("true,1,2,3.0,4,z,5").get("s"));
    }
}
