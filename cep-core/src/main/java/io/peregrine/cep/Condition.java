package io.peregrine.cep;

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
