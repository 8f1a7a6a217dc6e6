package io.peregrine.cep;

/** Running aggregates a pattern can maintain per partial match. Ids are persisted: never reuse one. */
public enum AggregateKind {
    COUNT(0),
    SUM(1),
    AVG(2),
    MIN(3),
    MAX(4),
    FIRST(5),
    LAST(6);

    private final int id;

    AggregateKind(int id) {
        this.id = id;
    }

    /** Stable id used in persisted formats. */
    public int id() {
        return id;
    }
}
