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
 */
public record RunResult(Map<String, List<String>> rows, Map<String, List<String>> timeouts, List<TestEvent> late,
                        long deadLetters) {

    public RunResult {
        rows = Map.copyOf(rows);
        timeouts = Map.copyOf(timeouts);
        late = List.copyOf(late);
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
