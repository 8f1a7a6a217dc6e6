package io.peregrine.dsl.ast;

/** A half-open range {@code [start, end)} of character offsets in the program's source text. */
public record Span(int start, int end) {

    /** For nodes built by code rather than parsed (tests, generated programs). */
    public static final Span NONE = new Span(0, 0);

    public Span {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad span " + start + ".." + end);
        }
    }

    public Span to(Span other) {
        return new Span(Math.min(start, other.start), Math.max(end, other.end));
    }

    public int length() {
        return end - start;
    }
}
