/**
 * Event-time complex event processing: build a {@link io.peregrine.cep.Pattern} (FlinkCEP's operators,
 * plus alternation: {@link io.peregrine.cep.Pattern#anyOf}), compile it into an
 * immutable {@link io.peregrine.cep.Nfa}, and run it per key with an {@link io.peregrine.cep.NfaState}
 * through an {@link io.peregrine.cep.NfaProcessor}; matches arrive at a
 * {@link io.peregrine.cep.MatchCollector}. {@link io.peregrine.cep.EventTimeSorter} orders a key's
 * events for the NFA; {@link io.peregrine.cep.NfaStateSerializer} persists a key's state;
 * {@link io.peregrine.cep.NfaDescription} and {@link io.peregrine.cep.NfaTracer} explain a compiled NFA and its steps.
 */
package io.peregrine.cep;
