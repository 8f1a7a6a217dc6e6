/**
 * A kit for property-testing Peregrine programs with jqwik: {@link io.peregrine.testkit.StreamEvents}
 * generates events for a declared stream, {@link io.peregrine.testkit.Disorder} shuffles them within
 * the watermark bound or makes some late, {@link io.peregrine.testkit.ProgramRunner} runs a program,
 * and {@link io.peregrine.testkit.ProgramAssertions} states what must hold for every input.
 */
package io.peregrine.testkit;
