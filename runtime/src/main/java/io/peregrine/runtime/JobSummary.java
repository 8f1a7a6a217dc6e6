package io.peregrine.runtime;

import java.util.Locale;
import java.util.Map;

/**
 * What a job did.
 *
 * @param eventsPerStream records read per stream (decoded or not), in the program's stream order
 * @param rowsPerPattern  match rows written per pattern, in the program's pattern order
 * @param timeoutRowsPerPattern timed-out partial match rows written, for the patterns that emit them
 * @param lateEvents      events sent to the late output
 * @param deadLetters     records sent to the dead-letter output
 * @param seconds         wall time of the run
 */
public record JobSummary(Map<String, Long> eventsPerStream, Map<String, Long> rowsPerPattern,
                         Map<String, Long> timeoutRowsPerPattern, long lateEvents, long deadLetters, double seconds) {

    public JobSummary {
        eventsPerStream = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(eventsPerStream));
        rowsPerPattern = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rowsPerPattern));
        timeoutRowsPerPattern = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(timeoutRowsPerPattern));
    }

    /** Records read over all streams. */
    public long events() {
        long n = 0;
        for (long v : eventsPerStream.values()) {
            n += v;
        }
        return n;
    }

    public double eventsPerSecond() {
        return seconds > 0 ? events() / seconds : 0;
    }

    /** A few lines for people: events per stream, rows per pattern, late, dead letters, time and rate. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        eventsPerStream.forEach((s, n) -> sb.append(String.format(Locale.ROOT, "stream  %-24s %,14d events%n", s, n)));
        rowsPerPattern.forEach((p, n) -> sb.append(String.format(Locale.ROOT, "pattern %-24s %,14d rows%n", p, n)));
        timeoutRowsPerPattern.forEach((p, n) ->
                sb.append(String.format(Locale.ROOT, "pattern %-24s %,14d timeout rows%n", p, n)));
        sb.append(String.format(Locale.ROOT, "late %,d, dead letters %,d%n", lateEvents, deadLetters));
        sb.append(String.format(Locale.ROOT, "%.3f s, %,.0f events/s%n", seconds, eventsPerSecond()));
        return sb.toString();
    }
}
