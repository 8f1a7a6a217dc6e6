/**
 * Metrics: {@link io.peregrine.runtime.metrics.PrometheusEndpoint} serves a Micrometer Prometheus
 * registry over HTTP on loopback. The job's meters are named {@code peregrine.*} (see the module README).
 */
package io.peregrine.runtime.metrics;
