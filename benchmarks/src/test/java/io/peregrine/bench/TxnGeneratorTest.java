package io.peregrine.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TxnGeneratorTest {

    @Test
    void sameSeedSameEvents() {
        assertArrayEquals(TxnGenerator.generate(5, 50_000), TxnGenerator.generate(5, 50_000));
    }

    @Test
    void outOfOrderWithinTheBoundAndMixAsDocumented() {
        Txn[] ev = TxnGenerator.generate(3, 200_000);
        long max = ev[0].ts();
        boolean outOfOrder = false;
        int small = 0;
        int large = 0;
        int abroad = 0;
        for (Txn t : ev) {
            assertTrue(t.ts() >= max - TxnGenerator.MAX_DELAY_MS, "event later than the 2 s bound: " + t);
            outOfOrder |= t.ts() < max;
            max = Math.max(max, t.ts());
            small += t.isSmall() ? 1 : 0;
            large += t.isLarge() ? 1 : 0;
            abroad += t.country().equals("US") ? 0 : 1;
        }
        assertTrue(outOfOrder);
        assertTrue(small > ev.length * 0.02 && small < ev.length * 0.05, "small share " + small);
        assertTrue(large > ev.length * 0.02 && large < ev.length * 0.05, "large share " + large);
        assertTrue(abroad > ev.length * 0.02 && abroad < ev.length * 0.07, "abroad share " + abroad);
    }
}
