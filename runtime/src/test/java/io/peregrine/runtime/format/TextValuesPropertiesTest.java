package io.peregrine.runtime.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.dsl.schema.DataType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class TextValuesPropertiesTest {

    private final TextValues values = new TextValues();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Property(tries = 2000, seed = "20261127")
    void doublesParseAsTheJdkParsesThem(@ForAll("doubleTexts") String text) {
        byte[] b = bytes(text);
        double expected = Double.parseDouble(text);
        if (Double.isInfinite(expected)) {
            assertFalse(values.parseDouble(b, 0, b.length));
        } else {
            assertTrue(values.parseDouble(b, 0, b.length), () -> values.error);
            assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(values.doubleValue), text);
        }
    }

    @Provide
    Arbitrary<String> doubleTexts() {
        Arbitrary<String> printed = Arbitraries.doubles().map(d -> Double.toString(d));
        Arbitrary<String> decimals = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(22)
                .flatMap(i -> Arbitraries.strings().numeric().ofMaxLength(22)
                        .flatMap(f -> Arbitraries.integers().between(-330, 330)
                                .flatMap(e -> Arbitraries.of("", "e" + e, "E+" + Math.abs(e), "e-" + Math.abs(e))
                                        .flatMap(x -> Arbitraries.of("", "-")
                                                .map(sign -> sign + i + (f.isEmpty() ? "" : "." + f) + x)))));
        Arbitrary<String> cents = Arbitraries.longs().between(0, 100_000_000L).map(c -> c / 100 + "." + (c % 100));
        return Arbitraries.oneOf(printed, decimals, cents);
    }

    @Property(tries = 2000, seed = "20261127")
    void decimalsRoundHalfUpLikeBigDecimal(@ForAll("decimalTexts") String text,
                                          @ForAll @IntRange(min = 1, max = 18) int precision,
                                          @ForAll @IntRange(min = 0, max = 18) int scaleSeed) {
        int scale = scaleSeed % (precision + 1);
        DataType type = DataType.decimal(precision, scale);
        BigDecimal expected = new BigDecimal(text).setScale(scale, RoundingMode.HALF_UP);
        boolean fits = expected.unscaledValue().abs().compareTo(BigDecimal.TEN.pow(precision).toBigInteger()) < 0;
        byte[] b = bytes(text);
        assertEquals(fits, values.parseDecimal(b, 0, b.length, type), () -> text + " " + type + ": " + values.error);
        if (fits) {
            assertEquals(expected.unscaledValue().longValueExact(), values.longValue, text + " " + type);
        } else {
            assertTrue(values.error.endsWith(" is out of range for " + type), values.error);
        }
    }

    @Provide
    Arbitrary<String> decimalTexts() {
        return Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(25)
                .flatMap(i -> Arbitraries.strings().numeric().ofMaxLength(25)
                        .flatMap(f -> Arbitraries.integers().between(-40, 40)
                                .flatMap(e -> Arbitraries.of("", "e" + e)
                                        .flatMap(x -> Arbitraries.of("", "-", "+")
                                                .map(sign -> sign + i + (f.isEmpty() ? "" : "." + f) + x)))));
    }

    @Property(tries = 1000, seed = "20261127")
    void integersParseInRangeOrSayOutOfRange(@ForAll long v, @ForAll boolean asInt) {
        String text = Long.toString(v);
        byte[] b = bytes(text);
        DataType type = asInt ? DataType.INT : DataType.BIGINT;
        long min = asInt ? Integer.MIN_VALUE : Long.MIN_VALUE;
        long max = asInt ? Integer.MAX_VALUE : Long.MAX_VALUE;
        boolean fits = v >= min && v <= max;
        assertEquals(fits, values.parseInteger(b, 0, b.length, min, max, type));
        if (fits) {
            assertEquals(v, values.longValue);
        }
    }
}
