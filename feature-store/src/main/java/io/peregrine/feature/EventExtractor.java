package io.peregrine.feature;

/**
 * Reads a feature's argument from an event without boxing. The pattern language compiles one per
 * feature to bytecode; tests write them as lambdas over their own event types.
 *
 * @param <E> the event type
 */
public interface EventExtractor<E> {

    /** False when the argument is SQL NULL: the event does not count for this feature. */
    boolean present(E event);

    /** A BIGINT or TIMESTAMP argument; a BOOLEAN as 0 or 1; a DOUBLE as {@link Double#doubleToRawLongBits}. */
    long bits(E event);

    /** A STRING argument (only called for STRING features). */
    String string(E event);
}
