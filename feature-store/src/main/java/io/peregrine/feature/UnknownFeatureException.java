package io.peregrine.feature;

/** A read named a feature set or feature that does not exist, or gave a key its column cannot hold. */
public final class UnknownFeatureException extends RuntimeException {

    public UnknownFeatureException(String message) {
        super(message);
    }
}
