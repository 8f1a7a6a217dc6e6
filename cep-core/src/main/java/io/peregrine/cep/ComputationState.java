package io.peregrine.cep;

/**
 * One run of the NFA for one key (a partial match, or the start state): where it is, the last node
 * it took, its Dewey version and its running aggregates. Immutable; runs that do not change between
 * events are kept as the same object.
 */
final class ComputationState<E> {

    final CompiledState<E> state;
    /** The node of the last event taken, or null for the start state. */
    final BufferNode<E> node;
    final int[] version;
    final long startTimestamp;
    final long previousTimestamp;
    /** The first event of the run, or null for the start state (which sorts last). */
    final EventEntry<E> startEvent;
    /** Running aggregates, two doubles per declared aggregate; null when none are declared or none taken. */
    final double[] aggregates;
    /**
     * First/last events per declared event reference: null when none are declared or none taken; the
     * event itself when the pattern declares exactly one (one object fewer to reach per run); an
     * {@code Object[]} by slot otherwise.
     */
    final Object eventRefs;

    ComputationState(
            CompiledState<E> state,
            BufferNode<E> node,
            int[] version,
            long startTimestamp,
            long previousTimestamp,
            EventEntry<E> startEvent,
            double[] aggregates,
            Object eventRefs) {
        this.state = state;
        this.node = node;
        this.version = version;
        this.startTimestamp = startTimestamp;
        this.previousTimestamp = previousTimestamp;
        this.startEvent = startEvent;
        this.aggregates = aggregates;
        this.eventRefs = eventRefs;
    }

    static <E> ComputationState<E> start(CompiledState<E> state, int[] version) {
        return new ComputationState<>(state, null, version, -1L, -1L, null, null, null);
    }

    boolean isStart() {
        return state.start;
    }

    /** Partial-match order of FlinkCEP: by first event; the start state last. */
    static int compare(ComputationState<?> a, ComputationState<?> b) {
        EventEntry<?> x = a.startEvent;
        EventEntry<?> y = b.startEvent;
        if (x == null) {
            return y == null ? 0 : 1;
        }
        if (y == null) {
            return -1;
        }
        // a run's start timestamp is its first event's: compare without touching the events
        int c = Long.compare(a.startTimestamp, b.startTimestamp);
        return c != 0 ? c : Long.compare(x.seq, y.seq);
    }

    @Override
    public String toString() {
        return "Run(" + state.name + ", v" + Dewey.toString(version) + ", start " + startEvent + ", node " + node + ")";
    }
}
