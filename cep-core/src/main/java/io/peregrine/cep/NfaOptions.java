package io.peregrine.cep;

/**
 * How a compiled NFA behaves beyond its pattern.
 *
 * @param timedOutMatches extract and emit partial matches whose window passed ({@link MatchCollector#onTimeout})
 * @param maxPartialMatches cap on a key's partial matches; past it the oldest (earliest first event)
 *     are evicted and counted in {@link NfaState#evictedPartialMatches()}
 * @param historyDepth how many of a key's last events each {@link NfaState} keeps for
 *     {@link Context#previous(int)}; 0 (the default) keeps none and costs nothing
 */
public record NfaOptions(boolean timedOutMatches, int maxPartialMatches, int historyDepth) {

    public static final int DEFAULT_MAX_PARTIAL_MATCHES = 10_000;
    /** Largest {@link #historyDepth}: each key holds this many event references (and timestamps) at most. */
    public static final int MAX_HISTORY_DEPTH = 1024;

    public NfaOptions {
        if (maxPartialMatches < 1) {
            throw new IllegalArgumentException("maxPartialMatches must be at least 1, got " + maxPartialMatches);
        }
        if (historyDepth < 0 || historyDepth > MAX_HISTORY_DEPTH) {
            throw new IllegalArgumentException("historyDepth must be between 0 and " + MAX_HISTORY_DEPTH
                    + ", got " + historyDepth);
        }
    }

    /** Options without history, as before {@link #historyDepth} existed. */
    public NfaOptions(boolean timedOutMatches, int maxPartialMatches) {
        this(timedOutMatches, maxPartialMatches, 0);
    }

    public static NfaOptions defaults() {
        return new NfaOptions(false, DEFAULT_MAX_PARTIAL_MATCHES, 0);
    }

    public NfaOptions withTimedOutMatches(boolean emit) {
        return new NfaOptions(emit, maxPartialMatches, historyDepth);
    }

    public NfaOptions withMaxPartialMatches(int max) {
        return new NfaOptions(timedOutMatches, max, historyDepth);
    }

    /**
     * Keeps each key's last {@code depth} events (0..{@value #MAX_HISTORY_DEPTH}, 0 = off) so that
     * conditions can read them with {@link Context#previous(int)}: SQL's {@code PREV(x, n)} for n up
     * to {@code depth}. Costs two arrays of {@code depth} slots per key and one store per event.
     */
    public NfaOptions withHistory(int depth) {
        return new NfaOptions(timedOutMatches, maxPartialMatches, depth);
    }
}
