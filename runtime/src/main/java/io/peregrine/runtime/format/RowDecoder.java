package io.peregrine.runtime.format;

import io.peregrine.dsl.schema.Row;

/**
 * Decodes one text record (a JSON line, a CSV row) into a {@link Row} of a schema, straight from
 * the bytes: no intermediate tree or strings per field. Not thread-safe; one per input.
 */
public interface RowDecoder {

    /** What {@link #decode} made of a record. */
    enum Status {
        /** {@link #row()} holds the decoded row. */
        ROW,
        /** Nothing to emit: a blank line or a CSV header. */
        SKIPPED,
        /** Not decodable: {@link #failure()} says why (for the dead-letter output). */
        FAILED
    }

    /** Decodes {@code buf[from, to)}, a record without its line terminator. */
    Status decode(byte[] buf, int from, int to);

    /** The row of the last {@link Status#ROW} result. */
    Row row();

    /** Why the last record {@link Status#FAILED}, e.g. {@code field 'amount': expected DOUBLE, got a string}. */
    String failure();

    /** A new file (split) starts: a CSV decoder expects its header next. */
    default void startSplit() {}
}
