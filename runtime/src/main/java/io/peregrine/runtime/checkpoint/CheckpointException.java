package io.peregrine.runtime.checkpoint;

import io.peregrine.runtime.JobException;

/** A checkpoint or savepoint could not be written or read; the message names the directory or file. */
public final class CheckpointException extends JobException {

    private static final long serialVersionUID = 1L;

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
