package io.peregrine.runtime;

import static io.peregrine.runtime.TestPrograms.json;
import static io.peregrine.runtime.TestPrograms.txn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.dsl.Program;
import io.peregrine.dsl.StreamDef;
import io.peregrine.dsl.schema.Row;
import io.peregrine.runtime.sink.DeadLetter;
import io.peregrine.runtime.sink.LateEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobTestDriverTest {

    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    @Test
    void shouldEmitMatchOnceWatermarkPassesTheLargeEvent() {
        StreamDef s = TestPrograms.transactions(2_000);
        try (JobTestDriver d = JobTestDriver.create(TestPrograms.program(s, TestPrograms.smallThenLarge(s)))) {
            d.pipe("transactions", txn("c1", 0.5, "US", T0));
            d.pipe("transactions", txn("c1", 900, "US", T0 + 10_000));
            assertEquals(List.of(), d.output("small_then_large"), "not before the watermark passes the large one");
            d.pipe("transactions", txn("c2", 5, "US", T0 + 12_001));
            assertEquals(List.of(
                    "{\"card_id\":\"c1\",\"first_ts\":\"2026-01-01T00:00:00.000Z\",\"last_ts\":\"2026-01-01T00:00:10.000Z\","
                            + "\"amount\":900.0,\"kind\":\"match\",\"n\":1}"),
                    d.outputLines("small_then_large"));
        }
    }

    @Test
    void shouldNumberMatchesPerPartition() {
        StreamDef s = TestPrograms.transactions(0);
        try (JobTestDriver d = JobTestDriver.create(TestPrograms.program(s, TestPrograms.smallThenLarge(s)))) {
            for (int i = 0; i < 3; i++) {
                long t = T0 + i * 1_000_000L;
                d.pipe("transactions", txn("a", 0.1, "US", t));
                d.pipe("transactions", txn("b", 0.1, "US", t + 1));
                d.pipe("transactions", txn("a", 600, "US", t + 10));
                d.pipe("transactions", txn("b", 600, "US", t + 11));
            }
            d.finish();
            List<Row> out = d.output("small_then_large");
            assertEquals(6, out.size());
            for (int i = 0; i < 6; i++) {
                assertEquals(i % 2 == 0 ? "a" : "b", out.get(i).getString(0));
                assertEquals(i / 2 + 1, out.get(i).getLong(5), "MATCH_NUMBER of row " + i);
            }
        }
    }

    @Test
    void shouldSendEventsAtOrBelowTheWatermarkToTheLateOutput() {
        StreamDef s = TestPrograms.transactions(1_000);
        try (JobTestDriver d = JobTestDriver.create(TestPrograms.program(s, TestPrograms.smallThenLarge(s)))) {
            d.pipe("transactions", txn("c1", 1, "US", T0 + 10_000));
            assertEquals(T0 + 8_999, d.watermark("transactions"));
            d.pipe("transactions", txn("c1", 2, "US", T0 + 9_000)); // within the bound
            d.pipe("transactions", txn("c1", 3, "US", T0 + 8_999)); // at the watermark: late
            assertEquals(1, d.lateEvents().size());
            LateEvent late = d.lateEvents().get(0);
            assertEquals(T0 + 8_999, late.timestamp());
            assertEquals(T0 + 8_999, late.watermark());
            assertEquals(3, late.line());
            assertEquals("event time 2026-01-01T00:00:08.999Z is at or below the watermark 2026-01-01T00:00:08.999Z"
                    + " of stream transactions", late.reason());
            assertEquals(3.0, late.row().getDouble(1));
        }
    }

    @Test
    void shouldSendUndecodableLinesToTheDeadLettersAndGoOn() {
        StreamDef s = TestPrograms.transactions(0);
        try (JobTestDriver d = JobTestDriver.create(TestPrograms.program(s, TestPrograms.smallThenLarge(s)))) {
            d.pipeLines("transactions",
                    json("c1", 0.5, "US", T0),
                    "{\"card_id\":\"c1\",\"amount\":\"lots\",\"country\":\"US\",\"ts\":1}",
                    "not json",
                    json("c1", 700, "US", T0 + 1000));
            d.finish();
            List<DeadLetter> dead = d.deadLetters();
            assertEquals(2, dead.size());
            assertEquals("field 'amount': expected DOUBLE, got a string", dead.get(0).reason());
            assertEquals(2, dead.get(0).line());
            assertEquals("not json", dead.get(1).raw());
            assertTrue(dead.get(1).reason().startsWith("bad JSON at column 1"), dead.get(1).reason());
            assertEquals(1, d.output("small_then_large").size());
        }
    }

    @Test
    void shouldEmitTimedOutPartialMatchesAtTheirDeadline() {
        StreamDef s = TestPrograms.transactions(0);
        try (JobTestDriver d = JobTestDriver.create(TestPrograms.program(s, TestPrograms.smallThenLargeWithTimeouts(s)))) {
            d.pipe("transactions", txn("c1", 0.5, "US", T0));
            d.advanceWatermark(T0 + 59_999);
            assertEquals(List.of(), d.timeouts("quick_large"));
            d.advanceWatermark(T0 + 60_000);
            assertEquals(List.of(), d.output("quick_large"));
            List<Row> out = d.timeouts("quick_large");
            assertEquals(1, out.size());
            assertEquals("timeout", out.get(0).getString(4));
            assertEquals(1, out.get(0).getLong(5));
        }
    }

    @Test
    void shouldCompleteTrailingNotFollowedByWhenTheWindowCloses() {
        StreamDef s = TestPrograms.transactions(0);
        try (JobTestDriver d = JobTestDriver.create(TestPrograms.program(s, TestPrograms.smallWithoutLarge(s)))) {
            d.pipe("transactions", txn("c1", 0.5, "US", T0));
            d.pipe("transactions", txn("c2", 0.5, "US", T0 + 1));
            d.pipe("transactions", txn("c2", 900, "US", T0 + 2));
            d.finish();
            List<Row> out = d.output("small_without_large");
            assertEquals(1, out.size());
            assertEquals("c1", out.get(0).getString(0));
            assertEquals(1, d.keys("small_without_large"), "c2 left no state; c1 keeps its match counter");
        }
    }

    @Test
    void shouldOrderTiesByTheTieOrder() {
        StreamDef s = TestPrograms.transactions(0);
        Program withTie = TestPrograms.program(s, TestPrograms.threeSmall(s, true));
        Program arrival = TestPrograms.program(s, TestPrograms.threeSmall(s, false));
        for (Program p : List.of(withTie, arrival)) {
            try (JobTestDriver d = JobTestDriver.create(p)) {
                d.pipe("transactions", txn("c1", 0.3, "US", T0));
                d.pipe("transactions", txn("c1", 900, "US", T0 + 5));
                d.pipe("transactions", txn("c1", 0.2, "US", T0 + 5)); // same time as 900
                d.pipe("transactions", txn("c1", 0.1, "US", T0 + 5));
                d.finish();
                // by amount 0.1 and 0.2 come before 900 at T0+5: three consecutive smalls
                assertEquals(p == withTie ? 1 : 0, d.output("three_small").size());
            }
        }
    }
}
