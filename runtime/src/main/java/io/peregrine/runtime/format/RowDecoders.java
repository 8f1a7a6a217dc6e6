package io.peregrine.runtime.format;

import io.peregrine.dsl.schema.Schema;

/** Decoders by the {@code format} option of a stream. */
public final class RowDecoders {

    private RowDecoders() {}

    /**
     * @param format {@code json} (JSON lines) or {@code csv} (with a header row, columns matched by name)
     * @throws IllegalArgumentException for another format
     */
    public static RowDecoder forFormat(String format, Schema schema) {
        switch (format.toLowerCase(java.util.Locale.ROOT)) {
            case "json":
                return new JsonRowDecoder(schema);
            case "csv":
                return new CsvRowDecoder(schema);
            default:
                throw new IllegalArgumentException("unknown format '" + format + "' (known: json, csv)");
        }
    }

    /** Whether records of this format may span lines (quoted CSV fields). */
    public static boolean quotedNewlines(String format) {
        return "csv".equalsIgnoreCase(format);
    }
}
