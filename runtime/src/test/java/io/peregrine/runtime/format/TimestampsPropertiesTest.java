package io.peregrine.runtime.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class TimestampsPropertiesTest {

    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX");

    @Property(tries = 3000, seed = "20261127")
    void formatsAsJavaTimeDoes(@ForAll @LongRange(min = -62_135_596_800_000L, max = 253_402_300_799_999L) long millis) {
        String expected = ISO_MILLIS.format(Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC));
        assertEquals(expected, Timestamps.formatIso(millis));
    }

    @Property(tries = 3000, seed = "20261127")
    void parsesWhatItFormats(@ForAll @LongRange(min = 0, max = 253_402_300_799_999L) long millis) {
        byte[] b = Timestamps.formatIso(millis).getBytes(StandardCharsets.US_ASCII);
        assertEquals(millis, Timestamps.parseIso(b, 0, b.length));
    }

    @Property(tries = 3000, seed = "20261127")
    void parsesOffsetsAsJavaTimeDoes(@ForAll @LongRange(min = 0, max = 253_402_300_799L) long seconds,
                                     @ForAll @IntRange(min = -18 * 60, max = 18 * 60) int offsetMinutes,
                                     @ForAll @IntRange(min = 0, max = 999) int millis) {
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(offsetMinutes * 60);
        LocalDateTime local = LocalDateTime.ofEpochSecond(seconds, millis * 1_000_000, ZoneOffset.UTC);
        String text = local.format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS")) + offset.getId()
                .replace("Z", "+00:00");
        long expected = local.atOffset(offset).toInstant().toEpochMilli();
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        assertEquals(expected, Timestamps.parseIso(b, 0, b.length), text);
    }

    @Property(seed = "20261127")
    void daysFromCivilAgreesWithJavaTime(@ForAll @IntRange(min = -100_000, max = 100_000) int year,
                                         @ForAll @IntRange(min = 1, max = 12) int month,
                                         @ForAll @IntRange(min = 1, max = 28) int day) {
        assertEquals(java.time.LocalDate.of(year, month, day).toEpochDay(), Timestamps.daysFromCivil(year, month, day));
    }
}
