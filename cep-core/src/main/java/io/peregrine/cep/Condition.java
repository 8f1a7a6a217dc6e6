package io.peregrine.cep;

import java.util.function.Predicate;

/**
 * Decides whether an event can be taken by a pattern element. Iterative conditions read the
 * partial match built so far through the {@link Context}; simple ones ignore it.
 *
 * <p>Conditions run on the hot path: they must not block, and should not allocate.
 */
@FunctionalInterface
public interface Condition<E> {

    boolean test(E event, Context<E> context);

    /** A condition that only looks at the event. */
    static <E> Condition<E> of(Predicate<? super E> predicate) {
        return (event, context) -> predicate.test(event);
    }

    static <E> Condition<E> alwaysTrue() {
        return (event, context) -> true;
    }

    default Condition<E> and(Condition<E> other) {
        Condition<E> self = this;
        return (event, context) -> self.test(event, context) && other.test(event, context);
    }

    default Condition<E> or(Condition<E> other) {
        Condition<E> self = this;
        return (event, context) -> self.test(event, context) || other.test(event, context);
    }

    default Condition<E> negate() {
        Condition<E> self = this;
        return (event, context) -> !self.test(event, context);
    }
}
