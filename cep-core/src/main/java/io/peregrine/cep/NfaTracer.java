package io.peregrine.cep;

/**
 * Watches an {@link NfaProcessor} step, for {@code explain --trace}: which partial matches an event
 * met, which conditions held and which edges it could follow. Set with
 * {@link NfaProcessor#setTracer}; a processor without one only pays a null check per edge. Calls come
 * on the processor's thread, during {@code process}, in the order the processor works; state ids and
 * edge indexes are those of {@link Nfa#description()}.
 */
public interface NfaTracer<E> {

    /**
     * A partial match is about to be stepped with {@code event}.
     *
     * @param stateId        the state it waits in
     * @param startTimestamp timestamp of its first event, {@link Long#MIN_VALUE} for the key's start run
     *                       (which has taken nothing yet)
     */
    void onRun(E event, int stateId, long startTimestamp);

    /**
     * A condition ran for the current partial match (each runs at most once per partial match and
     * event; combinations built by the compiler are reported through their parts).
     */
    void onCondition(Condition<E> condition, boolean result);

    /**
     * An edge of state {@code stateId} was considered: {@code passed} when its condition held, so
     * the partial match follows it (TAKE and IGNORE edges create a continuation, PROCEED edges lead
     * on to the edges of their target).
     */
    void onEdge(int stateId, int edgeIndex, boolean passed);
}
