package io.peregrine.runtime;

/**
 * Base of the runtime's unchecked errors. Each subclass names where it happened: the source and
 * path, the sink and path, the operator and key group, the state and store.
 */
public class JobException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public JobException(String message) {
        super(message);
    }

    public JobException(String message, Throwable cause) {
        super(message, cause);
    }
}
