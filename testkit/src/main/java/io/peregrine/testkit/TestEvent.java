package io.peregrine.testkit;

import java.util.Objects;

/**
 * One generated event: the stream it belongs to, its event time, and the record as the stream's
 * format reads it (a JSON object on one line).
 *
 * @param stream the stream's name
 * @param timestamp its event time (the stream's {@code WATERMARK FOR} column), epoch milliseconds
 * @param json the record
 */
public record TestEvent(String stream, long timestamp, String json) {

    public TestEvent {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(json, "json");
    }

    @Override
    public String toString() {
        return stream + " " + json;
    }
}
