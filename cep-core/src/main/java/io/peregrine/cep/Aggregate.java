package io.peregrine.cep;

import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * A running aggregate over the events one pattern element takes, created with
 * {@link Pattern#aggregate(AggregateKind, ToDoubleFunction)} and read in conditions with
 * {@link Context#aggregate(Aggregate)}. Identity matters: it is the handle the compiled NFA
 * resolves to a slot.
 */
public final class Aggregate<E> {

    private final String element;
    /** Slot in the NFA compiled last from this handle's pattern; checked before use. */
    int slotHint = -1;
    private final AggregateKind kind;
    private final ToDoubleFunction<? super E> value;

    Aggregate(String element, AggregateKind kind, ToDoubleFunction<? super E> value) {
        this.element = Objects.requireNonNull(element, "element");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.value = Objects.requireNonNull(value, "value");
    }

    public String element() {
        return element;
    }

    public AggregateKind kind() {
        return kind;
    }

    double valueOf(E event) {
        return value.applyAsDouble(event);
    }

    @Override
    public String toString() {
        return kind + "(" + element + ")";
    }
}
