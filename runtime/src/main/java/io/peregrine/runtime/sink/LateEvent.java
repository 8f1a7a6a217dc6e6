package io.peregrine.runtime.sink;

import io.peregrine.dsl.schema.Row;

/**
 * An event that arrived at or below its stream's watermark: it can no longer be ordered among the
 * events the patterns have seen, so it goes to the late output instead.
 *
 * @param source    the input it came from (a path, {@code stdin}, a generator)
 * @param split     the file within that input
 * @param line      1-based line (record number for rows)
 * @param offset    byte offset in the split (sequence number for rows)
 * @param watermark the stream's watermark when it arrived
 */
public record LateEvent(String stream, String source, String split, long line, long offset, long timestamp,
                        long watermark, String reason, Row row) {

    /** {@code {"stream":..,"source":..,"split":..,"line":..,"offset":..,"event_time":..,"watermark":..,"reason":..,"row":{..}}}. */
    public static JsonEncoder<LateEvent> jsonEncoder() {
        return new JsonEncoder<>() {
            // late events of a stream share its schema: keep the row encoder of the last one
            private RowJsonEncoder rows;
            private io.peregrine.dsl.schema.Schema schema;

            @Override
            public void encode(LateEvent e, JsonWriter out) {
                out.raw("{\"stream\":").string(e.stream())
                        .raw(",\"source\":").string(e.source())
                        .raw(",\"split\":").string(e.split())
                        .raw(",\"line\":").number(e.line())
                        .raw(",\"offset\":").number(e.offset())
                        .raw(",\"event_time\":").timestamp(e.timestamp())
                        .raw(",\"watermark\":").timestamp(e.watermark())
                        .raw(",\"reason\":").string(e.reason())
                        .raw(",\"row\":");
                if (rows == null || !e.row().schema().equals(schema)) {
                    schema = e.row().schema();
                    rows = new RowJsonEncoder(schema);
                }
                rows.encode(e.row(), out);
                out.raw((byte) '}');
            }
        };
    }
}
