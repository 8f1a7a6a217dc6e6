package io.peregrine.feature;

/**
 * One feature's value for one key.
 *
 * @param status whether there is a value
 * @param value the value, typed by {@link FeatureInfo#type()}: {@code Long} for BIGINT and TIMESTAMP
 *     (epoch milliseconds) and durations (milliseconds), {@code Double} for DOUBLE, {@code String},
 *     {@code Boolean}, {@code java.util.List} of those for LIST; null unless PRESENT (a count over an
 *     empty window is PRESENT with 0)
 */
public record FeatureValue(FeatureStatus status, Object value) {

    private static final FeatureValue NOT_FOUND = new FeatureValue(FeatureStatus.NOT_FOUND, null);
    private static final FeatureValue OUT_OF_WINDOW = new FeatureValue(FeatureStatus.OUT_OF_WINDOW, null);

    public static FeatureValue present(Object value) {
        return new FeatureValue(FeatureStatus.PRESENT, value);
    }

    public static FeatureValue notFound() {
        return NOT_FOUND;
    }

    public static FeatureValue outOfWindow() {
        return OUT_OF_WINDOW;
    }
}
