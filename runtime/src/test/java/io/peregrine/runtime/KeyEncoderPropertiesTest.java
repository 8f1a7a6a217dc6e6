package io.peregrine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.peregrine.dsl.schema.DataType;
import io.peregrine.dsl.schema.Row;
import io.peregrine.dsl.schema.RowBuilder;
import io.peregrine.dsl.schema.Schema;
import java.util.Arrays;
import java.util.Comparator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class KeyEncoderPropertiesTest {

    static final Schema SCHEMA = Schema.builder().add("s", DataType.STRING).add("l", DataType.BIGINT)
            .add("d", DataType.DOUBLE).build();

    private static byte[] encode(Row r) {
        KeyEncoder e = new KeyEncoder(SCHEMA, new int[] {0, 1, 2});
        int n = e.encode(r);
        return Arrays.copyOf(e.buffer(), n);
    }

    private static Row row(String s, Long l, double d) {
        RowBuilder b = new RowBuilder(SCHEMA);
        b.setString(0, s);
        if (l != null) {
            b.setLong(1, l);
        }
        b.setDouble(2, d);
        return b.build();
    }

    private static final Comparator<String> CODE_POINTS = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    /** Natural order: strings by code point, nulls first, numbers numerically. */
    private static int natural(String s1, Long l1, double d1, String s2, Long l2, double d2) {
        int c = s1 == null || s2 == null ? Boolean.compare(s1 != null, s2 != null) : CODE_POINTS.compare(s1, s2);
        if (c != 0) {
            return c;
        }
        c = l1 == null || l2 == null ? Boolean.compare(l1 != null, l2 != null) : Long.compare(l1, l2);
        if (c != 0) {
            return c;
        }
        return Double.compare(d1 == 0.0 ? 0.0 : d1, d2 == 0.0 ? 0.0 : d2);
    }

    @Property(tries = 3000, seed = "20261127")
    void bytesOrderAsTheValues(@ForAll String s1, @ForAll Long l1, @ForAll double d1,
                               @ForAll String s2, @ForAll Long l2, @ForAll double d2) {
        byte[] a = encode(row(s1, l1, d1));
        byte[] b = encode(row(s2, l2, d2));
        assertEquals(Integer.signum(natural(s1, l1, d1, s2, l2, d2)), Integer.signum(Arrays.compareUnsigned(a, b)),
                () -> s1 + "/" + l1 + "/" + d1 + " vs " + s2 + "/" + l2 + "/" + d2);
    }

    @Property(tries = 1000, seed = "20261127")
    void equalValuesGiveEqualBytes(@ForAll String s, @ForAll long l) {
        assertEquals(Arrays.toString(encode(row(s, l, -0.0))), Arrays.toString(encode(row(new String(s), l, 0.0))));
    }
}
