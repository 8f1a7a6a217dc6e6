package io.peregrine.dsl;

import io.peregrine.dsl.schema.Schema;
import java.util.Map;
import java.util.Objects;

/**
 * A declared input stream: its schema, event-time column and watermark, and {@code WITH} options.
 *
 * @param rowtimeColumn        index of the TIMESTAMP column named in {@code WATERMARK FOR}, or -1 if none
 * @param maxOutOfOrderMillis  the watermark trails the highest timestamp seen by this much (0 for none)
 * @param options              {@code WITH (...)} options, keys as written; {@code format} is {@code json} or {@code csv}
 */
public record StreamDef(String name, Schema schema, int rowtimeColumn, long maxOutOfOrderMillis,
                        Map<String, String> options) {

    public StreamDef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schema, "schema");
        options = Map.copyOf(options);
        if (rowtimeColumn >= schema.size() || maxOutOfOrderMillis < 0) {
            throw new IllegalArgumentException("bad rowtime or watermark for stream " + name);
        }
    }

    /** The {@code format} option, {@code json} by default. */
    public String format() {
        return options.getOrDefault("format", "json");
    }

    public boolean hasRowtime() {
        return rowtimeColumn >= 0;
    }
}
