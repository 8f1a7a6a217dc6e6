package io.peregrine.runtime.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WatermarkCombinerTest {

    @Test
    void shouldTrailTheHighestTimestampByTheBoundAndOneMillisecond() {
        BoundedOutOfOrdernessWatermarks w = new BoundedOutOfOrdernessWatermarks(2_000);
        assertEquals(Long.MIN_VALUE, w.currentWatermark());
        w.onEvent(10_000);
        assertEquals(7_999, w.currentWatermark());
        w.onEvent(9_000);
        assertEquals(7_999, w.currentWatermark(), "never back");
        w.onEvent(12_000);
        assertEquals(9_999, w.currentWatermark());
        BoundedOutOfOrdernessWatermarks none = new BoundedOutOfOrdernessWatermarks(0);
        none.onEvent(Long.MIN_VALUE + 1);
        assertEquals(Long.MIN_VALUE, none.currentWatermark());
    }

    @Test
    void shouldTakeTheMinimumOfTheInputsAndNeverGoBack() {
        WatermarkCombiner c = new WatermarkCombiner(2, 0, 0);
        assertEquals(Long.MIN_VALUE, c.onWatermark(0, 100));
        assertEquals(50, c.onWatermark(1, 50));
        assertEquals(100, c.onWatermark(1, 150));
        assertEquals(100, c.onWatermark(1, 120), "an input's own watermark only counts forward");
        assertEquals(150, c.onWatermark(0, 300));
        assertEquals(150, c.current());
    }

    @Test
    void shouldLetAnIdleInputStopHoldingTheWatermarkBack() {
        WatermarkCombiner c = new WatermarkCombiner(2, 1_000, 0);
        c.onWatermark(0, 500);
        c.onActivity(0, 900);
        assertEquals(Long.MIN_VALUE, c.onIdleCheck(999), "input 1 is not idle yet");
        assertEquals(Long.MIN_VALUE, c.onIdleCheck(1_000 - 1));
        assertEquals(500, c.onIdleCheck(1_000), "input 1 is idle after 1 s without records");
        assertTrue(c.isIdle(1));
        assertFalse(c.isIdle(0));
        c.onWatermark(0, 800);
        assertEquals(800, c.current());
        c.onActivity(1, 1_200);
        assertFalse(c.isIdle(1));
        assertEquals(800, c.current(), "an input back from idleness does not pull the watermark back");
        c.onWatermark(1, 900);
        c.onWatermark(0, 2_000);
        assertEquals(900, c.current());
    }

    @Test
    void shouldStayWhenEveryInputIsIdleAndEndAtMaxWhenEveryInputEnded() {
        WatermarkCombiner c = new WatermarkCombiner(2, 10, 0);
        c.onWatermark(0, 5);
        c.onWatermark(1, 7);
        assertEquals(5, c.onIdleCheck(100));
        assertEquals(5, c.current());
        assertEquals(5, c.onEnd(0));
        assertFalse(c.allEnded());
        assertEquals(Long.MAX_VALUE, c.onEnd(1));
        assertTrue(c.allEnded());
    }

    @Test
    void shouldIgnoreAnEndedInput() {
        WatermarkCombiner c = new WatermarkCombiner(2, 0, 0);
        c.onWatermark(0, 10);
        assertEquals(Long.MIN_VALUE, c.current());
        assertEquals(10, c.onEnd(1));
        assertEquals(20, c.onWatermark(0, 20));
    }
}
