package io.peregrine.feature;

/**
 * A feature as declared.
 *
 * @param name the feature's name
 * @param type the type of its values
 * @param definition its definition as written in the program, for listings and errors
 */
public record FeatureInfo(String name, FeatureType type, String definition) {
}
