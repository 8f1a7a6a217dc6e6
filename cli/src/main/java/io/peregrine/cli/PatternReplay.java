package io.peregrine.cli;

import io.peregrine.cep.Match;
import io.peregrine.cep.MatchCollector;
import io.peregrine.cep.NfaProcessor;
import io.peregrine.cep.NfaState;
import io.peregrine.cep.NfaTracer;
import io.peregrine.dsl.CompiledPattern;
import io.peregrine.dsl.schema.Row;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one pattern over a stream's events in one thread the way the runtime does: events at or
 * below the watermark on arrival ({@code max timestamp seen - bound - 1}) are late and left out;
 * each partition key's events are fed in ORDER BY order (timestamp, then the further ORDER BY
 * columns, then arrival) and its time finally advanced past every window, as at the end of input.
 * For {@code explain --trace} and {@code evaluate}: it keeps everything in memory.
 */
final class PatternReplay {

    /** What happened, key by key (keys in order of their first event). */
    interface Listener {
        default void onLate(StreamFile.Event event, long watermark) {}

        default void onKey(List<Object> key, int events) {}

        /** Before the event is fed. */
        default void onEvent(StreamFile.Event event) {}

        /** After the event was fed (its matches were reported before). */
        default void afterEvent(StreamFile.Event event) {}

        /** A match, after the event that completed it ({@code null} when time advancing at the end completed it). */
        default void onMatch(Match<Row> match, StreamFile.Event completedBy) {}
    }

    private PatternReplay() {}

    static void run(CompiledPattern pattern, List<StreamFile.Event> events, Listener listener, NfaTracer<Row> tracer) {
        long bound = pattern.input().maxOutOfOrderMillis();
        long max = Long.MIN_VALUE;
        int[] partition = pattern.partitionColumns();
        Map<List<Object>, List<StreamFile.Event>> byKey = new LinkedHashMap<>();
        for (StreamFile.Event e : events) {
            long watermark = max == Long.MIN_VALUE ? Long.MIN_VALUE : max - bound - 1;
            if (e.timestamp() <= watermark) {
                listener.onLate(e, watermark);
                continue;
            }
            max = Math.max(max, e.timestamp());
            List<Object> key = new ArrayList<>(partition.length);
            for (int c : partition) {
                key.add(e.row().get(c));
            }
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
        }
        Comparator<StreamFile.Event> order = Comparator.comparingLong(StreamFile.Event::timestamp);
        if (pattern.tieOrder() != null) {
            Comparator<Row> tie = pattern.tieOrder();
            order = order.thenComparing((a, b) -> tie.compare(a.row(), b.row()));
        }
        NfaProcessor<Row> processor = pattern.nfa().newProcessor();
        processor.setTracer(tracer);
        StreamFile.Event[] current = new StreamFile.Event[1];
        MatchCollector<Row> collector = m -> listener.onMatch(m, current[0]);
        for (Map.Entry<List<Object>, List<StreamFile.Event>> k : byKey.entrySet()) {
            List<StreamFile.Event> list = k.getValue();
            list.sort(order); // stable: equal keys keep arrival order
            listener.onKey(k.getKey(), list.size());
            NfaState<Row> state = pattern.nfa().newState();
            for (StreamFile.Event e : list) {
                current[0] = e;
                listener.onEvent(e);
                processor.process(state, e.row(), e.timestamp(), collector);
                listener.afterEvent(e);
            }
            current[0] = null;
            processor.advanceTime(state, Long.MAX_VALUE, collector);
        }
    }
}
