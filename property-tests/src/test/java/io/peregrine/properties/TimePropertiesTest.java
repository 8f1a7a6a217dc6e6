package io.peregrine.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.dsl.Program;
import io.peregrine.runtime.JobTestDriver;
import io.peregrine.runtime.TimerHeap;
import io.peregrine.runtime.time.WatermarkCombiner;
import io.peregrine.testkit.StreamEvents;
import io.peregrine.testkit.TestEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Watermarks never go back and are never ahead of an active input; every timer fires exactly once,
 * after its deadline, in deadline order. Each checked against a plain model over random sequences
 * of operations.
 */
class TimePropertiesTest {

    /** An operation on a watermark combiner of 3 inputs; the clock only moves forward. */
    record Op(int kind, int input, long value) {
    }

    @Provide
    Arbitrary<List<Op>> combinerOps() {
        return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 2),
                Arbitraries.longs().between(0, 1_000)).as(Op::new).list().ofMaxSize(60);
    }

    @Property(tries = 500)
    void theCombinedWatermarkIsTheMinimumOfTheActiveInputsAndNeverGoesBack(@ForAll("combinerOps") List<Op> ops) {
        int inputs = 3;
        long idle = 100;
        WatermarkCombiner c = new WatermarkCombiner(inputs, idle, 0);
        long[] own = {Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE};
        long[] lastActive = new long[inputs];
        int[] state = new int[inputs]; // 0 active, 1 idle, 2 ended
        long now = 0;
        long model = Long.MIN_VALUE;
        for (Op op : ops) {
            long before = c.current();
            switch (op.kind()) {
                case 0, 1 -> { // a watermark (twice as likely)
                    c.onWatermark(op.input(), op.value());
                    own[op.input()] = Math.max(own[op.input()], op.value());
                }
                case 2 -> {
                    now += op.value() / 10;
                    c.onActivity(op.input(), now);
                    lastActive[op.input()] = now;
                    if (state[op.input()] == 1) {
                        state[op.input()] = 0;
                    }
                }
                case 3 -> {
                    now += op.value() / 5;
                    c.onIdleCheck(now);
                    for (int i = 0; i < inputs; i++) {
                        if (state[i] == 0 && now - lastActive[i] >= idle) {
                            state[i] = 1;
                        }
                    }
                }
                default -> {
                    c.onEnd(op.input());
                    state[op.input()] = 2;
                }
            }
            boolean allEnded = true;
            boolean anyActive = false;
            long min = Long.MAX_VALUE;
            for (int i = 0; i < inputs; i++) {
                allEnded &= state[i] == 2;
                if (state[i] == 0) {
                    anyActive = true;
                    min = Math.min(min, own[i]);
                }
            }
            if (allEnded) {
                model = Long.MAX_VALUE;
            } else if (anyActive) {
                model = Math.max(model, min);
            }
            assertTrue(c.current() >= before, "went back after " + op);
            assertEquals(model, c.current(), "after " + op + " in " + ops);
        }
    }

    /** Set slot's timer (MAX removes it), or fire everything due at {@code value}. */
    record TimerOp(boolean fire, int slot, long value) {
    }

    @Provide
    Arbitrary<List<TimerOp>> timerOps() {
        Arbitrary<Long> deadlines = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.longs().between(0, 500)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Long.MAX_VALUE)));
        return Combinators.combine(Arbitraries.integers().between(0, 5).map(k -> k == 0),
                Arbitraries.integers().between(0, 40), deadlines).as(TimerOp::new).list().ofMaxSize(120);
    }

    @Property(tries = 500)
    void everyTimerFiresOnceAfterItsDeadlineInDeadlineOrder(@ForAll("timerOps") List<TimerOp> ops) {
        TimerHeap heap = new TimerHeap();
        Map<Integer, Long> model = new HashMap<>();
        long time = Long.MIN_VALUE;
        for (TimerOp op : ops) {
            if (!op.fire()) {
                heap.set(op.slot(), op.value());
                if (op.value() == Long.MAX_VALUE) {
                    model.remove(op.slot());
                } else {
                    model.put(op.slot(), op.value());
                }
                continue;
            }
            time = Math.max(time, op.value() == Long.MAX_VALUE ? 500 : op.value());
            List<Long> fired = new ArrayList<>();
            while (heap.peekDeadline() <= time) {
                int slot = heap.peekSlot();
                long deadline = heap.deadline(slot);
                assertEquals(model.remove(slot), deadline, "slot " + slot + " fired with a deadline it does not have");
                fired.add(deadline);
                heap.set(slot, Long.MAX_VALUE);
            }
            List<Long> sorted = new ArrayList<>(fired);
            sorted.sort(null);
            assertEquals(sorted, fired, "fired out of deadline order");
            for (long d : model.values()) {
                assertTrue(d > time, "a timer due at " + d + " did not fire at " + time);
            }
            assertEquals(model.size(), heap.size());
        }
    }

    @Provide
    Arbitrary<List<TestEvent>> events() {
        Program program = RandomPrograms.compileOrNull(RandomPrograms.STREAM);
        return StreamEvents.of(program, "tx").keys("card", 3).gaps(0, 5_000).list(0, 40);
    }

    @Property(tries = 200)
    void aStreamsWatermarkNeverGoesBackWhateverTheArrivalsAndRequests(@ForAll("events") List<TestEvent> events,
                                                                     @ForAll long seed) {
        Program program = RandomPrograms.compileOrNull(RandomPrograms.STREAM);
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        List<TestEvent> arrival = new ArrayList<>(events);
        java.util.Collections.shuffle(arrival, new java.util.Random(seed)); // any order, late events included
        try (JobTestDriver driver = JobTestDriver.create(program)) {
            long last = driver.watermark("tx");
            long highest = Long.MIN_VALUE;
            for (TestEvent e : arrival) {
                if (random.nextInt(4) == 0) {
                    driver.advanceWatermark(e.timestamp() - random.nextLong(10_000));
                } else {
                    driver.pipeLines("tx", e.json());
                    highest = Math.max(highest, e.timestamp());
                }
                long w = driver.watermark("tx");
                assertTrue(w >= last, "the watermark went back from " + last + " to " + w);
                last = w;
            }
            driver.finish();
            assertEquals(Long.MAX_VALUE, driver.watermark("tx"));
        }
    }
}
