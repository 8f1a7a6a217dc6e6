/**
 * Inputs with replay positions: {@link io.peregrine.runtime.source.Sources} (files, directories,
 * standard input, live streams, the {@link io.peregrine.runtime.source.TransactionGenerator}), read
 * through a {@link io.peregrine.runtime.source.RecordReader} into {@link io.peregrine.runtime.source.RecordBatch}es.
 */
package io.peregrine.runtime.source;
