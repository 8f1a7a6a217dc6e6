package io.peregrine.runtime.source;

import io.peregrine.runtime.JobException;

/** A source could not be opened or read; the message names the source and the path or position. */
public final class SourceException extends JobException {

    private static final long serialVersionUID = 1L;

    public SourceException(String message) {
        super(message);
    }

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
