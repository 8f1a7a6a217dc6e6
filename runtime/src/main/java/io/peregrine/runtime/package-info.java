/**
 * The keyed event-time runtime: {@link io.peregrine.runtime.Job} runs a compiled program over its
 * sources with worker threads and writes its outputs; {@link io.peregrine.runtime.JobTestDriver} runs
 * the same code without threads for tests; {@link io.peregrine.runtime.JobSummary} is what a run did.
 * Sub-packages: {@code source}, {@code format}, {@code time}, {@code state}, {@code checkpoint}, {@code sink},
 * {@code metrics}.
 */
package io.peregrine.runtime;
