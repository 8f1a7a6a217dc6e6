package io.peregrine.runtime.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.dsl.schema.DataType;
import io.peregrine.dsl.schema.Row;
import io.peregrine.dsl.schema.Schema;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonRowDecoderTest {

    static final Schema SCHEMA = Schema.builder()
            .add("b", DataType.BOOLEAN)
            .add("i", DataType.INT)
            .add("l", DataType.BIGINT)
            .add("d", DataType.DOUBLE)
            .add("m", DataType.decimal(6, 2))
            .add("s", DataType.STRING)
            .add("t", DataType.TIMESTAMP)
            .build();

    private final JsonRowDecoder decoder = new JsonRowDecoder(SCHEMA);

    private static String record(String b, String i, String l, String d, String m, String s, String t) {
        return "{\"b\":" + b + ",\"i\":" + i + ",\"l\":" + l + ",\"d\":" + d + ",\"m\":" + m + ",\"s\":" + s
                + ",\"t\":" + t + "}";
    }

    private static String valid() {
        return record("true", "-7", "9007199254740993", "1.5", "12.34", "\"x\"", "1704067200000");
    }

    private Row decode(String text) {
        byte[] b = ("  " + text + "  ").getBytes(StandardCharsets.UTF_8);
        RowDecoder.Status status = decoder.decode(b, 2, b.length - 2);
        assertEquals(RowDecoder.Status.ROW, status, () -> decoder.failure());
        return decoder.row();
    }

    private String failure(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(RowDecoder.Status.FAILED, decoder.decode(b, 0, b.length), text);
        String reason = decoder.failure();
        // and the decoder is usable afterwards
        assertEquals(12.34, ((BigDecimal) decode(valid()).get("m")).doubleValue());
        return reason;
    }

    @Test
    void shouldDecodeEveryType() {
        Row r = decode(valid());
        assertEquals(true, r.get("b"));
        assertEquals(-7, r.get("i"));
        assertEquals(9007199254740993L, r.get("l"));
        assertEquals(1.5, r.get("d"));
        assertEquals(new BigDecimal("12.34"), r.get("m"));
        assertEquals("x", r.get("s"));
        assertEquals(Instant.parse("2024-01-01T00:00:00Z"), r.get("t"));
    }

    @Test
    void shouldMatchFieldsByNameInAnyOrderAndSkipUnknownOnes() {
        Row r = decode("{ \"t\" : \"2024-01-01T00:00:00.5Z\", \"extra\": {\"a\": [1, 2.5e3, \"]}\", {\"x\": null}], "
                + "\"b\": true}, \"s\": \"y\", \"m\": \"-0.5\", \"d\": -0, \"l\": 0, \"i\": 2147483647, \"b\": false,"
                + " \"z\": \"\\u00e9\\\"\"}");
        assertEquals(false, r.get("b"));
        assertEquals(Integer.MAX_VALUE, r.get("i"));
        assertEquals(new BigDecimal("-0.50"), r.get("m"));
        assertEquals(Instant.parse("2024-01-01T00:00:00.500Z"), r.get("t"));
    }

    @Test
    void shouldDecodeEscapesAndUtf8() {
        Row r = decode(record("true", "1", "1", "1", "1", "\"a\\\"b\\\\c\\/\\n\\t\\u00e9\\ud83d\\ude00 é 😀\"", "0"));
        assertEquals("a\"b\\c/\n\té😀 é 😀", r.get("s"));
    }

    @Test
    void shouldFindEscapedFieldNames() {
        Row r = decode("{\"\\u0062\":true,\"i\":1,\"l\":1,\"d\":1,\"m\":1,\"s\":\"\",\"t\":0}");
        assertEquals(true, r.get("b"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "12.345|12.35", "12.344|12.34", "-12.345|-12.35", "-0.004|0.00", "-0.005|-0.01", "1e2|100.00",
        "1.5E-1|0.15", "\"12.3\"|12.30", "9999.994|9999.99", "0.0000000000000000000000009|0.00", "0|0.00",
        "\"00012\"|12.00", "123456789e-5|1234.57"})
    void shouldRoundDecimalsHalfUp(String text, String expected) {
        Row r = decode(record("true", "1", "1", "1", text, "\"\"", "0"));
        assertEquals(new BigDecimal(expected), r.get("m"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1704067200000|2024-01-01T00:00:00Z",
        "-1|1969-12-31T23:59:59.999Z",
        "\"2024-01-01T00:00:00Z\"|2024-01-01T00:00:00Z",
        "\"2024-02-29T23:59:59.9999+01:00\"|2024-02-29T22:59:59.999Z",
        "\"2024-01-01 12:30\"|2024-01-01T12:30:00Z",
        "\"2024-01-01\"|2024-01-01T00:00:00Z",
        "\"2024-01-01T00:00:00-0530\"|2024-01-01T05:30:00Z"})
    void shouldReadTimestampsAsMillisOrIso(String text, String expected) {
        Row r = decode(record("true", "1", "1", "1", "1", "\"\"", text));
        assertEquals(Instant.parse(expected), r.get("t"));
    }

    @Test
    void shouldTreatBlankLinesAsNothing() {
        byte[] b = "  \t ".getBytes(StandardCharsets.UTF_8);
        assertEquals(RowDecoder.Status.SKIPPED, decoder.decode(b, 0, b.length));
        assertEquals(RowDecoder.Status.SKIPPED, decoder.decode(b, 0, 0));
    }

    @Test
    void shouldNameEveryReasonForABadRecord() {
        assertEquals("bad JSON at column 1: expected a JSON object", failure("[1]"));
        assertEquals("bad JSON at column 1: expected a JSON object", failure("nope"));
        assertEquals("bad JSON at column 2: expected a field name", failure("{b:true}"));
        assertEquals("bad JSON at column 6: expected ':'", failure("{\"b\" true}"));
        assertEquals("bad JSON at column 11: expected ',' or '}'", failure("{\"b\":true \"i\":1}"));
        assertEquals("bad JSON at column 84: unexpected text after the JSON object", failure(valid() + " x"));
        assertEquals("bad JSON at column 6: unterminated string", failure("{\"s\":\"abc"));
        assertEquals("bad JSON at column 9: bad escape", failure("{\"s\":\"a\\x\"}"));
        assertEquals("bad JSON at column 8: control character in a string", failure("{\"s\":\"a\tb\"}"));
        assertEquals("bad JSON at column 6: invalid literal", failure("{\"b\":tru}"));
        assertEquals("bad JSON at column 6: malformed number", failure("{\"d\":-}"));
        assertEquals("bad JSON at column 7: expected ',' or '}'", failure("{\"d\":01}"));
        assertEquals("bad JSON at column 6: malformed number", failure("{\"d\":1.}"));
        byte[] badUtf8 = {'{', '"', 's', '"', ':', '"', (byte) 0xC3, '"', '}'};
        assertEquals(RowDecoder.Status.FAILED, decoder.decode(badUtf8, 0, badUtf8.length));
        assertEquals("bad JSON at column 7: invalid UTF-8 in a string", decoder.failure());
        assertEquals("missing field 't'", failure("{\"b\":true,\"i\":1,\"l\":1,\"d\":1,\"m\":1,\"s\":\"\"}"));
        assertEquals("field 'i': expected INT, got a string",
                failure(record("true", "\"1\"", "1", "1", "1", "\"\"", "0")));
        assertEquals("field 's': expected STRING, got a number",
                failure(record("true", "1", "1", "1", "1", "5", "0")));
        assertEquals("field 'd': expected DOUBLE, got a boolean",
                failure(record("true", "1", "1", "false", "1", "\"\"", "0")));
        assertEquals("field 'b': expected BOOLEAN, got an object",
                failure(record("{}", "1", "1", "1", "1", "\"\"", "0")));
        assertEquals("field 'm': expected DECIMAL(6, 2), got an array",
                failure(record("true", "1", "1", "1", "[1]", "\"\"", "0")));
        assertEquals("field 'l' is null", failure(record("true", "1", "null", "1", "1", "\"\"", "0")));
        assertEquals("field 'i': 2147483648 is out of range for INT",
                failure(record("true", "2147483648", "1", "1", "1", "\"\"", "0")));
        assertEquals("field 'l': 9223372036854775808 is out of range for BIGINT",
                failure(record("true", "1", "9223372036854775808", "1", "1", "\"\"", "0")));
        assertEquals("field 'i': expected INT, got '1.5'", failure(record("true", "1.5", "1", "1", "1", "\"\"", "0")));
        assertEquals("field 'd': non-finite number 1e400", failure(record("true", "1", "1", "1e400", "1", "\"\"", "0")));
        assertEquals("field 'm': 10000 is out of range for DECIMAL(6, 2)",
                failure(record("true", "1", "1", "1", "10000", "\"\"", "0")));
        assertEquals("field 'm': 9999.995 is out of range for DECIMAL(6, 2)",
                failure(record("true", "1", "1", "1", "9999.995", "\"\"", "0")));
        assertEquals("field 'm': expected DECIMAL(6, 2), got 'abc'",
                failure(record("true", "1", "1", "1", "\"abc\"", "\"\"", "0")));
        assertEquals("field 't': expected epoch milliseconds or an ISO-8601 timestamp, got '2024-13-01'",
                failure(record("true", "1", "1", "1", "1", "\"\"", "\"2024-13-01\"")));
        assertEquals("field 't': expected epoch milliseconds or an ISO-8601 timestamp, got '2023-02-29T00:00Z'",
                failure(record("true", "1", "1", "1", "1", "\"\"", "\"2023-02-29T00:00Z\"")));
        assertEquals("field 't': expected epoch milliseconds or an ISO-8601 timestamp, got '1.5'",
                failure(record("true", "1", "1", "1", "1", "\"\"", "1.5")));
    }

    @Test
    void shouldReuseStringsOfRepeatedValues() {
        Row a = decode(valid());
        Row b = decode(valid());
        assertTrue(a.getString(5) == b.getString(5), "a low-cardinality column shares its Strings");
    }
}
