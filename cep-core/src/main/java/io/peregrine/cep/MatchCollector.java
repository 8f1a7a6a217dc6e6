package io.peregrine.cep;

/**
 * Receives what an NFA emits. The {@link Match} passed in is a view reused for the next call: read
 * it (or {@link Match#copy()} it) inside the callback. Callbacks must not call back into the NFA for
 * the same key.
 */
public interface MatchCollector<E> {

    void onMatch(Match<E> match);

    /**
     * A partial match whose window (or gap window) passed before it completed; only called when
     * the NFA was compiled with {@link NfaOptions#withTimedOutMatches(boolean)}.
     *
     * @param timeoutTimestamp the time the window closed: first event + window, or previous event + gap
     */
    default void onTimeout(Match<E> partialMatch, long timeoutTimestamp) {}
}
