package io.peregrine.cep;

import java.util.Objects;

/**
 * A handle to the first or last event one pattern element has taken in a partial match, created
 * with {@link Pattern#firstEvent()} or {@link Pattern#lastEvent()} and read with
 * {@link Context#event(EventRef)}.
 */
public final class EventRef<E> {

    private final String element;
    /** Slot in the NFA compiled last from this handle's pattern; checked before use. */
    int slotHint = -1;
    private final boolean first;

    EventRef(String element, boolean first) {
        this.element = Objects.requireNonNull(element, "element");
        this.first = first;
    }

    public String element() {
        return element;
    }

    public boolean first() {
        return first;
    }

    @Override
    public String toString() {
        return (first ? "FIRST(" : "LAST(") + element + ")";
    }
}
