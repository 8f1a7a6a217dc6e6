package io.peregrine.cep;

/** How an element relates to the events between it and the element before it. */
public enum ConsumingStrategy {
    /** {@code next}: the very next event (strict contiguity). */
    STRICT,
    /** {@code followedBy}: the next matching event, skipping others (relaxed contiguity). */
    SKIP_TILL_NEXT,
    /** {@code followedByAny}: any later matching event (non-deterministic relaxed contiguity). */
    SKIP_TILL_ANY,
    /** {@code notFollowedBy}: no matching event until the next element (or the window's end). */
    NOT_FOLLOW,
    /** {@code notNext}: the very next event must not match. */
    NOT_NEXT
}
