package io.peregrine.runtime;

/** An operator failed on a key; the message names the operator (pattern), the worker and the key group. */
public final class OperatorException extends JobException {

    private static final long serialVersionUID = 1L;

    public OperatorException(String message, Throwable cause) {
        super(message, cause);
    }

    public OperatorException(String message) {
        super(message);
    }
}
