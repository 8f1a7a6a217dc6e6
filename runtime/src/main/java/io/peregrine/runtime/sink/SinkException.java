package io.peregrine.runtime.sink;

import io.peregrine.runtime.JobException;

/** A sink could not be written; the message names the sink and its path. */
public final class SinkException extends JobException {

    private static final long serialVersionUID = 1L;

    public SinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
