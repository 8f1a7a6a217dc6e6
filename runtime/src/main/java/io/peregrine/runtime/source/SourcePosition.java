package io.peregrine.runtime.source;

import java.util.Objects;

/**
 * Where a source is: the next record it will read. Text sources count bytes and lines within a
 * split (one file of a directory, or the only file); the generator counts records. Recorded by
 * checkpoints and handed back to {@link Source#open} to replay from there.
 *
 * @param split      0-based index of the split (file) in the source's sorted order
 * @param splitName  the split's name (a file name; used to find it again)
 * @param offset     byte offset of the next record in its split, or the generator's sequence number
 * @param line       1-based line number of the next record in its split (sequence + 1 for the generator)
 */
public record SourcePosition(int split, String splitName, long offset, long line) {

    public static final SourcePosition START = new SourcePosition(0, "", 0, 1);

    public SourcePosition {
        Objects.requireNonNull(splitName, "splitName");
        if (split < 0 || offset < 0 || line < 1) {
            throw new IllegalArgumentException("bad source position " + split + "/" + offset + "/" + line);
        }
    }
}
