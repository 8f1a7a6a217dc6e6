package io.peregrine.cep;

import java.util.List;

/**
 * A read-only view of a compiled {@link Nfa}, for {@code explain}: its states and edges with the
 * text of their conditions, and the pattern elements they were compiled from. Built on request from
 * {@link Nfa#description()}; nothing on the hot path reads it.
 *
 * @param elements       the pattern's elements in order (groups and alternations flattened)
 * @param states         every NFA state; a state's id is its index here
 * @param startState     id of the state a key starts in
 * @param windowMillis   the whole-match window ({@code within}), 0 when none
 * @param skipStrategy   where matching resumes after a match
 */
public record NfaDescription(List<Element> elements, List<State> states, int startState, long windowMillis,
                             AfterMatchSkipStrategy skipStrategy) {

    public NfaDescription {
        elements = List.copyOf(elements);
        states = List.copyOf(states);
    }

    /** What an edge does with the event: the NFA's three edge kinds, as in FlinkCEP. */
    public enum Action {
        /** Takes the event into the match and moves to the target. */
        TAKE,
        /** Skips the event, staying (or moving without it) for a later one. */
        IGNORE,
        /** Moves to the target without consuming the event (an ε-edge), then tries its edges. */
        PROCEED
    }

    /** What reaching a state means. */
    public enum Kind {
        NORMAL,
        /** A complete match. */
        FINAL,
        /** A NOT element's condition held: the partial match is discarded. */
        STOP,
        /** Waiting out a trailing {@code notFollowedBy}: a match once the window passes. */
        PENDING
    }

    /**
     * @param condition the condition's text (see {@link Condition#description()}); {@code true} for an
     *                  unconditional edge
     */
    public record Edge(Action action, int target, String condition) {}

    /**
     * @param element         the pattern element this state belongs to
     * @param gapWindowMillis bound on the time since the previous taken event while here, 0 when none
     */
    public record State(int id, String name, String element, Kind kind, boolean start, long gapWindowMillis,
                        List<Edge> edges) {

        public State {
            edges = List.copyOf(edges);
        }
    }

    /**
     * One element of the pattern as written.
     *
     * @param contiguity      how it relates to the events before it ({@code next}, {@code followedBy}, ...)
     * @param quantifier      in the Java API's words: {@code ""} for exactly once, {@code optional}, {@code times(3)},
     *                        {@code times(2, 4)}, {@code oneOrMore}, {@code timesOrMore(3)}, {@code oneOrMore.optional}
     * @param innerContiguity between the events of a quantified element ({@code consecutive}, {@code allowCombinations}),
     *                        null when it is not quantified
     * @param greedy          whether a quantified element takes as many events as it can
     * @param condition       the text of its condition ({@code true} when it has none)
     * @param until           the text of its {@code until} condition, or null
     * @param gapWindowMillis the {@code within} bound on the gap before its event(s), 0 when none
     */
    public record Element(String name, ConsumingStrategy contiguity, String quantifier, ConsumingStrategy innerContiguity,
                          boolean greedy, String condition, String until, long gapWindowMillis) {}
}
