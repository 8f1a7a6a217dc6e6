package io.peregrine.cep;

/**
 * What an iterative condition can see of the partial match it would extend, and of the key's
 * stream before the event being tested. All values exclude the event being tested (as in FlinkCEP).
 */
public interface Context<E> {

    /**
     * Running aggregate over the events already taken by the aggregate's element in this partial
     * match, maintained incrementally along the run (O(1), no scan). Empty aggregates give 0 for
     * COUNT and SUM and NaN for the others.
     */
    double aggregate(Aggregate<E> aggregate);

    /**
     * The first or last event taken by the reference's element in this partial match, or null when
     * the element has taken none yet. O(1).
     */
    E event(EventRef<E> ref);

    /**
     * The events this partial match has taken for the named element, oldest first, read from the
     * shared buffer (FlinkCEP's {@code getEventsForPattern}). Costs a walk of the partial match:
     * prefer {@link #aggregate} and {@link #event(EventRef)} on hot paths.
     */
    Iterable<E> eventsOf(String element);

    /** Timestamp of the event being tested. */
    long timestamp();

    /**
     * The event {@code n} places before the one being tested in the key's processing order (SQL's
     * {@code PREV(x, n)}): physical, whatever this or any partial match took, or null when the key
     * has processed fewer than {@code n} events (or its state was restored without that much
     * history). O(1); needs {@link NfaOptions#withHistory(int)}.
     *
     * @throws IllegalArgumentException unless 1 &lt;= n &lt;= {@link NfaOptions#historyDepth()}
     */
    E previous(int n);

    /**
     * The timestamp of {@link #previous(int) previous(n)}, or {@code Long.MIN_VALUE} when there is no
     * such event.
     *
     * @throws IllegalArgumentException unless 1 &lt;= n &lt;= {@link NfaOptions#historyDepth()}
     */
    long previousTimestamp(int n);

    /**
     * How many events the key processed before the one being tested: 0 for its first event (SQL's
     * anchor {@code ^} is {@code position() == 0} on a pattern's first element). Always kept, with
     * or without history.
     */
    long position();
}
