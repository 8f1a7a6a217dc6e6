package io.peregrine.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LongObjectMapTest {

    @Test
    void agreesWithHashMapUnderRandomOperations() {
        SplittableRandom rnd = new SplittableRandom(1);
        LongObjectMap<Long> map = new LongObjectMap<>(4);
        Map<Long, Long> ref = new HashMap<>();
        for (int i = 0; i < 200_000; i++) {
            // a small key space so that puts, hits and removals collide and probe runs wrap around
            long key = rnd.nextInt(3) == 0 ? rnd.nextLong() : rnd.nextInt(2_000) - 10;
            int op = rnd.nextInt(10);
            if (op < 5) {
                assertEquals(ref.put(key, (long) i), map.put(key, (long) i));
            } else if (op < 8) {
                assertEquals(ref.remove(key), map.remove(key));
            } else {
                assertEquals(ref.get(key), map.get(key));
            }
            assertEquals(ref.size(), map.size());
        }
        for (Map.Entry<Long, Long> e : ref.entrySet()) {
            assertEquals(e.getValue(), map.get(e.getKey()));
        }
        long[] sum = new long[1];
        map.forEachValue(v -> sum[0] += v);
        assertEquals(ref.values().stream().mapToLong(Long::longValue).sum(), sum[0]);
        map.clear();
        assertEquals(0, map.size());
        assertNull(map.get(0));
    }
}
