package io.peregrine.runtime.sink;

/** Writes one record as one JSON value (an object, for the JSON-lines sinks). */
@FunctionalInterface
public interface JsonEncoder<T> {

    void encode(T value, JsonWriter out);
}
