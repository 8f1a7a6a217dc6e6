/**
 * Outputs: {@link io.peregrine.runtime.sink.Sink} and {@link io.peregrine.runtime.sink.Sinks} (JSON-lines
 * files, standard output), {@link io.peregrine.runtime.sink.InMemorySink}, the JSON encoding of rows
 * ({@link io.peregrine.runtime.sink.RowJsonEncoder}), and the records of the late and dead-letter outputs.
 */
package io.peregrine.runtime.sink;
