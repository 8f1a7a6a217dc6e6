package io.peregrine.cep;

/**
 * How a compiled NFA behaves beyond its pattern.
 *
 * @param timedOutMatches extract and emit partial matches whose window passed ({@link MatchCollector#onTimeout})
 * @param maxPartialMatches cap on a key's partial matches; past it the oldest (earliest first event)
 *     are evicted and counted in {@link NfaState#evictedPartialMatches()}
 */
public record NfaOptions(boolean timedOutMatches, int maxPartialMatches) {

    public static final int DEFAULT_MAX_PARTIAL_MATCHES = 10_000;

    public NfaOptions {
        if (maxPartialMatches < 1) {
            throw new IllegalArgumentException("maxPartialMatches must be at least 1, got " + maxPartialMatches);
        }
    }

    public static NfaOptions defaults() {
        return new NfaOptions(false, DEFAULT_MAX_PARTIAL_MATCHES);
    }

    public NfaOptions withTimedOutMatches(boolean emit) {
        return new NfaOptions(emit, maxPartialMatches);
    }

    public NfaOptions withMaxPartialMatches(int max) {
        return new NfaOptions(timedOutMatches, max);
    }
}
