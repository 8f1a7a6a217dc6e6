package io.peregrine.runtime.sink;

/**
 * A record that could not be decoded (bad JSON or CSV, a missing or mistyped field, a non-finite
 * number, a decimal out of range, a null event time), with the raw text and where it was.
 *
 * @param line   1-based line in the split
 * @param offset byte offset in the split
 * @param raw    the record's text as read (invalid UTF-8 replaced)
 */
public record DeadLetter(String stream, String source, String split, long line, long offset, String reason,
                         String raw) {

    /** {@code {"stream":..,"source":..,"split":..,"line":..,"offset":..,"reason":..,"raw":..}}. */
    public static JsonEncoder<DeadLetter> jsonEncoder() {
        return (d, out) -> out.raw("{\"stream\":").string(d.stream())
                .raw(",\"source\":").string(d.source())
                .raw(",\"split\":").string(d.split())
                .raw(",\"line\":").number(d.line())
                .raw(",\"offset\":").number(d.offset())
                .raw(",\"reason\":").string(d.reason())
                .raw(",\"raw\":").string(d.raw())
                .raw((byte) '}');
    }
}
