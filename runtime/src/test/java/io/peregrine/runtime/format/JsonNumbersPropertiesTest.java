package io.peregrine.runtime.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.peregrine.dsl.schema.DataType;
import io.peregrine.dsl.schema.Schema;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The JSON decoder's own number fast paths agree with the JDK. */
class JsonNumbersPropertiesTest {

    static final Schema SCHEMA = Schema.builder().add("d", DataType.DOUBLE).add("l", DataType.BIGINT)
            .add("t", DataType.TIMESTAMP).build();

    private final JsonRowDecoder decoder = new JsonRowDecoder(SCHEMA);

    @Property(tries = 3000, seed = "20261127")
    void doublesAreTheJdksDoubles(@ForAll("jsonDoubles") String text, @ForAll long l) {
        double expected = Double.parseDouble(text);
        byte[] b = ("{\"d\":" + text + ",\"l\":" + l + ",\"t\":" + l + "}").getBytes(StandardCharsets.US_ASCII);
        RowDecoder.Status status = decoder.decode(b, 0, b.length);
        if (Double.isInfinite(expected)) {
            assertEquals(RowDecoder.Status.FAILED, status);
            return;
        }
        assertEquals(RowDecoder.Status.ROW, status, decoder::failure);
        assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(decoder.row().getDouble(0)), text);
        assertEquals(l, decoder.row().getLong(1));
        assertEquals(l, decoder.row().getLong(2));
    }

    @Provide
    Arbitrary<String> jsonDoubles() {
        Arbitrary<String> printed = Arbitraries.doubles().map(d -> Double.toString(d).replace("Infinity", "1e999")
                .replace("NaN", "0"));
        Arbitrary<String> written = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(20)
                .filter(i -> i.length() == 1 || i.charAt(0) != '0')
                .flatMap(i -> Arbitraries.strings().numeric().ofMaxLength(20)
                        .flatMap(f -> Arbitraries.integers().between(-330, 330)
                                .flatMap(e -> Arbitraries.of("", "e" + e, "E+" + Math.abs(e))
                                        .flatMap(x -> Arbitraries.of("", "-")
                                                .map(sign -> sign + i + (f.isEmpty() ? "" : "." + f) + x)))));
        return Arbitraries.oneOf(printed, written);
    }
}
