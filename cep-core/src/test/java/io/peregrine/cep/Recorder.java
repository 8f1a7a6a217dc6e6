package io.peregrine.cep;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The tests' one recording {@link MatchCollector}: what an NFA emits, as strings. A match is written
 * by the format (by default its {@link Match#toMap()}, such as {@code "{a=[a1], b=[b1]}"}), a timed-out
 * partial match the same way followed by {@code "@"} and its timeout timestamp ({@code "{a=[a1]}@11"}).
 */
final class Recorder<E> implements MatchCollector<E> {
    final List<String> matches = new ArrayList<>();
    final List<String> timeouts = new ArrayList<>();
    /** Both in emission order, each timeout as {@code "timeout "} and its entry in {@link #timeouts}. */
    final List<String> emitted = new ArrayList<>();
    private final Function<Match<E>, String> format;

    Recorder() {
        this(m -> m.toMap().toString());
    }

    Recorder(Function<Match<E>, String> format) {
        this.format = format;
    }

    @Override
    public void onMatch(Match<E> match) {
        String m = format.apply(match);
        matches.add(m);
        emitted.add(m);
    }

    @Override
    public void onTimeout(Match<E> partialMatch, long timeoutTimestamp) {
        String t = format.apply(partialMatch) + "@" + timeoutTimestamp;
        timeouts.add(t);
        emitted.add("timeout " + t);
    }
}
