package io.peregrine.cep;

/** What a {@code within} interval bounds. */
public enum WithinType {
    /** From the first event of the match to the last (the whole pattern). */
    FIRST_AND_LAST,
    /** From the event taken before this element to the one this element takes (the gap). */
    PREVIOUS_AND_CURRENT
}
