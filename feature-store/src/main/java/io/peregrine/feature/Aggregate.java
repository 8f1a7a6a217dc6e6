package io.peregrine.feature;

import java.util.Objects;

/**
 * An aggregate function applied to values of one kind.
 *
 * @param kind the function
 * @param input the kind of value it aggregates ({@link ValueKind#NONE} for {@code COUNT(*)} and
 *     {@code TIME_SINCE_LAST()})
 * @param n LAST_N's n (1..1000), else 0
 * @param fraction APPROX_PERCENTILE's fraction in [0, 1], else 0
 */
public record Aggregate(AggregateKind kind, ValueKind input, int n, double fraction) {

    public static final int MAX_LAST_N = 1000;

    public Aggregate {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(input, "input");
        String problem = problem(kind, input, n, fraction);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    public static Aggregate of(AggregateKind kind, ValueKind input) {
        return new Aggregate(kind, input, 0, 0);
    }

    /** Why {@code kind} cannot aggregate {@code input} with these parameters, or null when it can. */
    public static String problem(AggregateKind kind, ValueKind input, int n, double fraction) {
        boolean numeric = input.numeric();
        switch (kind) {
            case COUNT:
            case COUNT_DISTINCT:
            case APPROX_COUNT_DISTINCT:
            case FIRST:
            case LAST:
                if (kind != AggregateKind.COUNT && input == ValueKind.NONE) {
                    return kind + " needs an argument";
                }
                break;
            case MIN:
            case MAX:
                if (input == ValueKind.NONE) {
                    return kind + " needs an argument";
                }
                break;
            case SUM:
            case AVG:
            case STDDEV_POP:
            case STDDEV_SAMP:
            case VAR_POP:
            case VAR_SAMP:
            case APPROX_PERCENTILE:
                if (!numeric) {
                    return kind + " needs a BIGINT or DOUBLE argument, not " + input;
                }
                break;
            case LAST_N:
                if (input == ValueKind.NONE) {
                    return "LAST_N needs an argument";
                }
                break;
            case TIME_SINCE_LAST:
                if (input != ValueKind.NONE) {
                    return "TIME_SINCE_LAST takes no argument";
                }
                break;
            default:
                throw new AssertionError(kind);
        }
        if (kind == AggregateKind.LAST_N ? n < 1 || n > MAX_LAST_N : n != 0) {
            return "LAST_N's n must be in 1.." + MAX_LAST_N + ", was " + n;
        }
        if (kind == AggregateKind.APPROX_PERCENTILE ? !(fraction >= 0 && fraction <= 1) : fraction != 0) {
            return "APPROX_PERCENTILE's fraction must be in [0, 1], was " + fraction;
        }
        return null;
    }

    /** The type of the feature's values. */
    public FeatureType resultType() {
        return switch (kind) {
            case COUNT, COUNT_DISTINCT, APPROX_COUNT_DISTINCT -> FeatureType.BIGINT;
            case SUM -> input == ValueKind.BIGINT ? FeatureType.BIGINT : FeatureType.DOUBLE;
            case AVG, STDDEV_POP, STDDEV_SAMP, VAR_POP, VAR_SAMP, APPROX_PERCENTILE -> FeatureType.DOUBLE;
            case MIN, MAX, FIRST, LAST -> input.featureType();
            case LAST_N -> FeatureType.LIST;
            case TIME_SINCE_LAST -> FeatureType.DURATION;
        };
    }
}
