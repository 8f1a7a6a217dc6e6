package io.peregrine.testkit;

import java.util.List;
import java.util.Map;

/**
 * What a program wrote, as a user reads it.
 *
 * @param rows per pattern, its output rows as JSON lines, in output order
 * @param timeouts per pattern that emits timeouts, its timeout rows as JSON lines
 * @param late the events that went to the late output, in the order they arrived
 * @param deadLetters how many records went to the dead-letter output
 * @param features per feature set, every key's features as of the end of the input, one line per key
 *     in key order ({@code key found lastEvent [values]}), after a first line with the time they are as of
 */
public record RunResult(Map<String, List<String>> rows, Map<String, List<String>> timeouts, List<TestEvent> late,
                        long deadLetters, Map<String, List<String>> features) {

    public RunResult {
        rows = Map.copyOf(rows);
        timeouts = Map.copyOf(timeouts);
        late = List.copyOf(late);
        features = Map.copyOf(features);
    }

    /** A result of a program without feature sets. */
    public RunResult(Map<String, List<String>> rows, Map<String, List<String>> timeouts, List<TestEvent> late,
                     long deadLetters) {
        this(rows, timeouts, late, deadLetters, Map.of());
    }

    /** A pattern's rows. */
    public List<String> rows(String pattern) {
        List<String> r = rows.get(pattern);
        if (r == null) {
            throw new IllegalArgumentException("no pattern " + pattern + " (outputs: " + rows.keySet() + ")");
        }
        return r;
    }
}
