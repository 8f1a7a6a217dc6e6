/**
 * The gRPC API of a running job: {@link io.peregrine.grpc.PeregrineServer} (features, ingest,
 * matches, admin; tokens and TLS), {@link io.peregrine.grpc.ServedJob} over durable
 * {@link io.peregrine.grpc.IngestLog}s, and {@link io.peregrine.grpc.PeregrineClient}. Generated
 * messages and stubs are in {@code io.peregrine.grpc.v1}.
 */
package io.peregrine.grpc;
