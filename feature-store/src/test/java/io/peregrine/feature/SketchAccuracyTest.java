package io.peregrine.feature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The sketches past their exact range: documented error bounds, and checkpoints that keep them. */
class SketchAccuracyTest {

    record Ev(long value) {
    }

    static final EventExtractor<Ev> VALUE = new EventExtractor<>() {
        @Override
        public boolean present(Ev e) {
            return true;
        }

        @Override
        public long bits(Ev e) {
            return e.value();
        }

        @Override
        public String string(Ev e) {
            throw new AssertionError();
        }
    };

    static FeatureSetDefinition<Ev> set(Window window) {
        return new FeatureSetDefinition<>("s", "events", "k", List.of(
                new FeatureDefinition<>("distinct", Aggregate.of(AggregateKind.APPROX_COUNT_DISTINCT, ValueKind.BIGINT),
                        VALUE, null, window, "APPROX_COUNT_DISTINCT(value)"),
                new FeatureDefinition<>("median", new Aggregate(AggregateKind.APPROX_PERCENTILE, ValueKind.BIGINT, 0, 0.5),
                        VALUE, null, window, "APPROX_PERCENTILE(value, 0.5)")), 0);
    }

    static <E> FeatureKeyState<E> roundTrip(FeatureSetDefinition<E> set, FeatureKeyState<E> state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        state.write(new DataOutputStream(bytes));
        return FeatureKeyState.read(set, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    }

    @Test
    void shouldStayWithinDocumentedErrorAcrossCheckpointsForEveryWindowKind() throws IOException {
        for (Window window : List.of(Window.LIFETIME, new Window.Sliding(1_000_000), new Window.Hopping(1_000_000, 1000))) {
            FeatureSetDefinition<Ev> set = set(window);
            FeatureKeyState<Ev> state = set.newKeyState();
            Random random = new Random(7);
            int n = 50_000;
            for (int i = 0; i < n; i++) {
                // out of order by up to 50 ms; values 0..n-1 each once, shuffled by the stream position
                long ts = 1 + i + random.nextInt(50);
                state.add(new Ev((i * 7919L) % n), ts);
                if (i % 5000 == 0) {
                    state.expire(ts - 100);
                    state = roundTrip(set, state);
                }
            }
            long asOf = 60_000;
            state.expire(asOf - 1000);
            long distinct = (Long) state.value(0, asOf).value();
            assertTrue(Math.abs(distinct - n) <= 0.049 * n, window + ": distinct estimate " + distinct);
            long afterRestore = (Long) roundTrip(set, state).value(0, asOf).value();
            assertTrue(Math.abs(afterRestore - n) <= 0.049 * n, window + ": restored estimate " + afterRestore);
            double median = (Double) state.value(1, asOf).value();
            assertTrue(Math.abs(median / n - 0.5) <= 0.0165, window + ": median " + median);
            double restoredMedian = (Double) roundTrip(set, state).value(1, asOf).value();
            assertTrue(Math.abs(restoredMedian / n - 0.5) <= 0.0165, window + ": restored median " + restoredMedian);
        }
    }

    @Test
    void shouldRejectReadsBeforeTheRetainedRange() {
        FeatureSetDefinition<Ev> set = set(new Window.Sliding(100));
        FeatureKeyState<Ev> state = set.newKeyState();
        state.add(new Ev(1), 500);
        state.expire(1000);
        assertEquals(1000, state.retainedFromMillis());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> state.value(0, 999));
        assertEquals("as of 999 is before the retained range of feature set s, which starts at 1000", e.getMessage());
        assertTrue(state.isEmpty());
    }
}
