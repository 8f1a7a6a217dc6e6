package io.peregrine.cep;

/**
 * What an iterative condition can see of the partial match it would extend. All values exclude
 * the event being tested (as in FlinkCEP).
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
}
