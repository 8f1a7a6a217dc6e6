package io.peregrine.runtime;

import io.peregrine.dsl.schema.Row;
import java.util.Arrays;
import java.util.Comparator;

/**
 * An output row with what orders it: the event time at which its key emitted it and the key's
 * encoded bytes. Rows of one key keep the order the key emitted them in (the sort is stable).
 */
record Emitted(long time, byte[] key, Row row) {

    static final Comparator<Emitted> ORDER = (a, b) -> {
        int c = Long.compare(a.time, b.time);
        return c != 0 ? c : Arrays.compareUnsigned(a.key, b.key);
    };
}
