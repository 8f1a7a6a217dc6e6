package io.peregrine.feature;

/** The aggregate functions a feature can compute. Ids are persisted: never renumber. */
public enum AggregateKind {
    COUNT(1),
    SUM(2),
    AVG(3),
    MIN(4),
    MAX(5),
    STDDEV_POP(6),
    STDDEV_SAMP(7),
    VAR_POP(8),
    VAR_SAMP(9),
    FIRST(10),
    LAST(11),
    LAST_N(12),
    COUNT_DISTINCT(13),
    /** HyperLogLog (DataSketches, lgK 12, HLL_8): relative standard error 1.63%: within 3.3% of the exact count for 95% of reads, 4.9% for 99.7% (the composite estimator, from the registers alone). */
    APPROX_COUNT_DISTINCT(14),
    /**
     * KLL quantiles sketch (DataSketches, k 200): exact up to 200 values in the window; beyond, the
     * returned value's normalized rank is within 1.65% of the requested fraction with 99% confidence.
     */
    APPROX_PERCENTILE(15),
    /** Milliseconds from the window's latest event to the read time. */
    TIME_SINCE_LAST(16);

    private final int id;

    AggregateKind(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    public static AggregateKind ofId(int id) {
        for (AggregateKind k : values()) {
            if (k.id == id) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown aggregate id " + id);
    }

    /** Whether the aggregate of no events is a value (0) rather than absent. */
    boolean countLike() {
        return this == COUNT || this == COUNT_DISTINCT || this == APPROX_COUNT_DISTINCT;
    }
}
