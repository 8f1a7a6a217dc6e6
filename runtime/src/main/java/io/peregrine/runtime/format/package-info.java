/**
 * Decoding text records into rows without intermediate objects: {@link io.peregrine.runtime.format.JsonRowDecoder},
 * {@link io.peregrine.runtime.format.CsvRowDecoder} (by {@link io.peregrine.runtime.format.RowDecoders#forFormat}),
 * and ISO-8601 {@link io.peregrine.runtime.format.Timestamps}.
 */
package io.peregrine.runtime.format;
