package io.peregrine.cep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A match (or timed-out partial match): its events in order, each with the element that took it.
 * Instances handed to a {@link MatchCollector} are reused views; {@link #copy()} keeps one.
 */
public final class Match<E> {

    private final String[] elementNames;
    private Object[] events;
    private long[] timestamps;
    private int[] elementIds;
    private int size;
    private final boolean view;

    Match(String[] elementNames, int capacity) {
        this.elementNames = elementNames;
        this.events = new Object[capacity];
        this.timestamps = new long[capacity];
        this.elementIds = new int[capacity];
        this.view = true;
    }

    private Match(String[] elementNames, Object[] events, long[] timestamps, int[] elementIds, int size) {
        this.elementNames = elementNames;
        this.events = events;
        this.timestamps = timestamps;
        this.elementIds = elementIds;
        this.size = size;
        this.view = false;
    }

    // filled back to front while walking the buffer from the last event
    void reset(int n) {
        if (events.length < n) {
            int cap = Math.max(n, events.length * 2);
            events = new Object[cap];
            timestamps = new long[cap];
            elementIds = new int[cap];
        } else {
            Arrays.fill(events, n, Math.min(events.length, Math.max(n, size)), null);
        }
        size = n;
    }

    void set(int i, Object event, long timestamp, int elementId) {
        events[i] = event;
        timestamps[i] = timestamp;
        elementIds[i] = elementId;
    }

    /** Number of events in the match. */
    public int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    public E event(int i) {
        checkIndex(i);
        return (E) events[i];
    }

    public long timestamp(int i) {
        checkIndex(i);
        return timestamps[i];
    }

    /** Id of the element that took event {@code i}; ids index {@link Nfa#elementNames()}. */
    public int elementId(int i) {
        checkIndex(i);
        return elementIds[i];
    }

    /** Name of the element that took event {@code i} (SQL's {@code CLASSIFIER()}). */
    public String elementName(int i) {
        return elementNames[elementId(i)];
    }

    /** The events the named element took, oldest first (empty if none). Allocates. */
    public List<E> eventsOf(String element) {
        List<E> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (elementNames[elementIds[i]].equals(element)) {
                out.add(event(i));
            }
        }
        return out;
    }

    /** FlinkCEP's shape: element name to its events, elements in order of first appearance. Allocates. */
    public Map<String, List<E>> toMap() {
        Map<String, List<E>> out = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            out.computeIfAbsent(elementNames[elementIds[i]], k -> new ArrayList<>()).add(event(i));
        }
        return out;
    }

    /** All events, oldest first. Allocates. */
    public List<E> events() {
        List<E> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(event(i));
        }
        return Collections.unmodifiableList(out);
    }

    /** An immutable copy that stays valid after the callback returns. */
    public Match<E> copy() {
        if (!view) {
            return this;
        }
        return new Match<>(elementNames, Arrays.copyOf(events, size), Arrays.copyOf(timestamps, size),
                Arrays.copyOf(elementIds, size), size);
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("event index " + i + " out of match of size " + size);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Match[");
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(elementNames[elementIds[i]]).append('=').append(events[i]).append('@').append(timestamps[i]);
        }
        return sb.append(']').toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Match<?> m) || m.size != size) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (timestamps[i] != m.timestamps[i]
                    || !elementNames[elementIds[i]].equals(m.elementNames[m.elementIds[i]])
                    || !java.util.Objects.equals(events[i], m.events[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = size;
        for (int i = 0; i < size; i++) {
            h = 31 * h + java.util.Objects.hashCode(events[i]);
            h = 31 * h + Long.hashCode(timestamps[i]);
        }
        return h;
    }
}
