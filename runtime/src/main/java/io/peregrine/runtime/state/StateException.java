package io.peregrine.runtime.state;

import io.peregrine.runtime.JobException;

/** A state backend failed; the message names the state, the key group or the store and path. */
public final class StateException extends JobException {

    private static final long serialVersionUID = 1L;

    public StateException(String message) {
        super(message);
    }

    public StateException(String message, Throwable cause) {
        super(message, cause);
    }
}
