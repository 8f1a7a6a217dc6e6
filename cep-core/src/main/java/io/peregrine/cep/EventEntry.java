package io.peregrine.cep;

/**
 * An event stored once in a key's shared buffer, however many partial matches hold it. Ordered by
 * timestamp, then by arrival within the key ({@code seq}), like FlinkCEP's {@code EventId}.
 */
final class EventEntry<E> {

    final E event;
    final long timestamp;
    final long seq;

    EventEntry(E event, long timestamp, long seq) {
        this.event = event;
        this.timestamp = timestamp;
        this.seq = seq;
    }

    static int compare(EventEntry<?> a, EventEntry<?> b) {
        int c = Long.compare(a.timestamp, b.timestamp);
        return c != 0 ? c : Long.compare(a.seq, b.seq);
    }

    @Override
    public String toString() {
        return event + "@" + timestamp + "#" + seq;
    }
}
