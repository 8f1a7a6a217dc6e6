package io.peregrine.feature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Backfill answers each spine row as an online state fed the same events and read at that time does. */
class BackfillTest {

    record Ev(String key, long ts, long amount) {
    }

    static final EventExtractor<Ev> AMOUNT = new EventExtractor<>() {
        @Override
        public boolean present(Ev e) {
            return true;
        }

        @Override
        public long bits(Ev e) {
            return e.amount();
        }

        @Override
        public String string(Ev e) {
            throw new AssertionError();
        }
    };

    static final FeatureSetDefinition<Ev> SET = new FeatureSetDefinition<>("card", "tx", "key", List.of(
            new FeatureDefinition<>("n_10", Aggregate.of(AggregateKind.COUNT, ValueKind.NONE), null, null,
                    new Window.Sliding(10), "COUNT(*) OVER SLIDING 10 ms"),
            new FeatureDefinition<>("max_20", Aggregate.of(AggregateKind.MAX, ValueKind.BIGINT), AMOUNT, null,
                    new Window.Hopping(20, 5), "MAX(amount) OVER HOPPING 20 EVERY 5"),
            new FeatureDefinition<>("sum", Aggregate.of(AggregateKind.SUM, ValueKind.BIGINT), AMOUNT, e -> e.amount() > 2,
                    Window.LIFETIME, "SUM(amount) FILTER (WHERE amount > 2)")), 0);

    @Test
    void shouldEqualOnlineReadsAtTheSameTimes() {
        Random random = new Random(11);
        List<Ev> events = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            events.add(new Ev("k" + random.nextInt(20), random.nextInt(1000), random.nextInt(10)));
        }
        List<Backfill.SpineRow> spine = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            spine.add(new Backfill.SpineRow("k" + random.nextInt(22), random.nextInt(1100), i));
        }
        List<Ev> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(Ev::ts));
        List<Backfill.Result> results = new Backfill<>(SET).run(
                sorted.stream().map(e -> new Backfill.Keyed<>(e.key(), e.ts(), e)).iterator(), spine);
        for (Backfill.SpineRow row : spine) {
            // online: a fresh state fed the key's events in arrival (unsorted) order, read at T
            FeatureKeyState<Ev> online = SET.newKeyState();
            boolean found = false;
            for (Ev e : events) {
                if (e.key().equals(row.key()) && e.ts() <= row.asOfMillis()) {
                    online.add(e, e.ts());
                    found = true;
                }
            }
            Backfill.Result r = results.get(row.index());
            assertEquals(found, r.found(), row.toString());
            for (int f = 0; f < 3; f++) {
                assertEquals(found ? online.value(f, row.asOfMillis()) : FeatureValue.notFound(), r.values().get(f),
                        row + " feature " + f);
            }
        }
    }

    @Test
    void shouldRejectEventsOutOfTimeOrder() {
        List<Backfill.Keyed<Ev>> events = List.of(new Backfill.Keyed<>("a", 5, new Ev("a", 5, 1)),
                new Backfill.Keyed<>("a", 3, new Ev("a", 3, 1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Backfill<>(SET).run(events.iterator(), List.of(new Backfill.SpineRow("a", 10, 0))));
        assertEquals("backfill events must be in time order: an event at 3 follows one at 5", e.getMessage());
    }
}
