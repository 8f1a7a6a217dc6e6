package io.peregrine.cep;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * Decides whether an event can be taken by a pattern element. Iterative conditions read the
 * partial match built so far through the {@link Context}; simple ones ignore it.
 *
 * <p>Conditions run on the hot path: they must not block, and should not allocate. They must be pure
 * (the same answer for the same event and partial match): the NFA evaluates each one at most once
 * per partial match and event, although the compiled graph may use it on several edges.
 */
@FunctionalInterface
public interface Condition<E> {

    boolean test(E event, Context<E> context);

    /** A condition that only looks at the event. */
    static <E> Condition<E> of(Predicate<? super E> predicate) {
        return (event, context) -> predicate.test(event);
    }

    static <E> Condition<E> alwaysTrue() {
        return Conditions.alwaysTrue();
    }

    /**
     * The condition as text for {@code explain} and traces, e.g. the DSL source of a DEFINE; null when
     * it has none (a lambda). Combinations from {@link #and}, {@link #or} and {@link #negate} combine
     * the texts of their parts.
     */
    default String description() {
        return null;
    }

    default Condition<E> and(Condition<E> other) {
        return new Conditions.And<>(this, Objects.requireNonNull(other, "other"));
    }

    default Condition<E> or(Condition<E> other) {
        return new Conditions.Or<>(this, Objects.requireNonNull(other, "other"));
    }

    default Condition<E> negate() {
        return new Conditions.Not<>(this);
    }
}
