package io.peregrine.feature;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Point-in-time feature values for training sets: for each spine row (key, time T) the features of
 * the key as of T, computed with the same {@link FeatureKeyState} the online path uses, in one pass
 * over the events in time order. Spine rows are answered in time order (ties: spine order) after
 * every event with timestamp at or before their T was added, so each value aggregates exactly the
 * key's events in its window as of T, as an online read at T after the watermark passed T does.
 *
 * @param <E> the event type
 */
public final class Backfill<E> {

    /** A spine row: a key and a time, with its position in the spine for callers to pass columns through. */
    public record SpineRow(String key, long asOfMillis, int index) {
    }

    /** The answer for one spine row: the key's found flag and one value per feature, in declared order. */
    public record Result(SpineRow row, boolean found, List<FeatureValue> values) {
        public Result {
            values = List.copyOf(values);
        }
    }

    /** An event with its key and time. */
    public record Keyed<E>(String key, long timestamp, E event) {
    }

    private final FeatureSetDefinition<E> definition;

    public Backfill(FeatureSetDefinition<E> definition) {
        this.definition = Objects.requireNonNull(definition, "definition");
    }

    /**
     * Answers every spine row. {@code events} must be in non-decreasing timestamp order (a clear
     * error names the first that is not); {@code spine} may be in any order.
     *
     * @return one result per spine row, in spine order
     */
    public List<Result> run(Iterator<Keyed<E>> events, List<SpineRow> spine) {
        List<SpineRow> byTime = new ArrayList<>(spine);
        byTime.sort((a, b) -> a.asOfMillis() != b.asOfMillis() ? Long.compare(a.asOfMillis(), b.asOfMillis())
                : Integer.compare(a.index(), b.index()));
        Map<String, FeatureKeyState<E>> states = new HashMap<>();
        Result[] results = new Result[spine.size()];
        Keyed<E> pending = events.hasNext() ? events.next() : null;
        long previous = Long.MIN_VALUE;
        int n = definition.features().size();
        FeatureKeyState.Factory<E> factory = definition.keyStates();
        Function<String, FeatureKeyState<E>> create = k -> factory.create();
        for (SpineRow row : byTime) {
            while (pending != null && pending.timestamp() <= row.asOfMillis()) {
                if (pending.timestamp() < previous) {
                    throw new IllegalArgumentException("backfill events must be in time order: an event at "
                            + pending.timestamp() + " follows one at " + previous);
                }
                previous = pending.timestamp();
                states.computeIfAbsent(pending.key(), create).add(pending.event(), pending.timestamp());
                pending = events.hasNext() ? events.next() : null;
            }
            FeatureKeyState<E> state = states.get(row.key());
            List<FeatureValue> values = new ArrayList<>(n);
            for (int f = 0; f < n; f++) {
                values.add(state == null ? FeatureValue.notFound() : state.value(f, row.asOfMillis()));
            }
            if (row.index() < 0 || row.index() >= results.length || results[row.index()] != null) {
                throw new IllegalArgumentException("spine row indexes must be 0.." + (results.length - 1)
                        + ", each once; got " + row.index());
            }
            results[row.index()] = new Result(row, state != null, values);
        }
        return List.of(results);
    }
}
