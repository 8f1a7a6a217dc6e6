package io.peregrine.runtime.source;

import io.peregrine.dsl.StreamDef;

/**
 * Where one input of a stream comes from: a file, a directory of files, standard input, a
 * generator. A source is a description; {@link #open} starts reading it, from the beginning or
 * from a {@link SourcePosition} recorded earlier.
 */
public interface Source {

    /** For messages and metrics: the path, {@code stdin}, {@code generator(seed=42)}. */
    String describe();

    /**
     * @param stream the stream the records are for (its format decides how text is split into records)
     * @param from   where to start, or null for the beginning
     * @throws SourceException when the source cannot be opened (the message names it)
     */
    RecordReader open(StreamDef stream, SourcePosition from);

    /** Whether {@link #open} can start from a position (so that a checkpoint can replay it). */
    default boolean replayable() {
        return true;
    }
}
