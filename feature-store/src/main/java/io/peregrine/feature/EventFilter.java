package io.peregrine.feature;

/** A feature's {@code FILTER (WHERE ...)} condition; SQL NULL counts as false. */
@FunctionalInterface
public interface EventFilter<E> {

    boolean test(E event);
}
