package io.peregrine.runtime.format;

/**
 * Input that cannot be decoded at all (not one bad record): a CSV header that lacks a column of the
 * stream. Sources report it with the file and line.
 */
public final class DecodeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DecodeException(String message) {
        super(message);
    }
}
