package io.peregrine.feature;

/**
 * The type of the value a feature aggregates, as its extractor produces it. A value travels as a
 * {@code long} (BIGINT, TIMESTAMP, BOOLEAN as 0/1, DOUBLE as its raw bits) or as a String, so
 * aggregators need no boxing. Ids are persisted: never renumber.
 */
public enum ValueKind {
    /** No value: {@code COUNT(*)} and {@code TIME_SINCE_LAST()}. */
    NONE(0),
    BIGINT(1),
    DOUBLE(2),
    STRING(3),
    BOOLEAN(4),
    TIMESTAMP(5);

    private final int id;

    ValueKind(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    public boolean numeric() {
        return this == BIGINT || this == DOUBLE;
    }

    public static ValueKind ofId(int id) {
        for (ValueKind k : values()) {
            if (k.id == id) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown value kind id " + id);
    }

    FeatureType featureType() {
        return switch (this) {
            case NONE, BIGINT -> FeatureType.BIGINT;
            case DOUBLE -> FeatureType.DOUBLE;
            case STRING -> FeatureType.STRING;
            case BOOLEAN -> FeatureType.BOOLEAN;
            case TIMESTAMP -> FeatureType.TIMESTAMP;
        };
    }

    /** The boxed value of a sample, for readers (never on the update path). */
    Object box(long bits, Object object) {
        return switch (this) {
            case NONE, BIGINT, TIMESTAMP -> bits;
            case DOUBLE -> Double.longBitsToDouble(bits);
            case STRING -> object;
            case BOOLEAN -> bits != 0;
        };
    }
}
