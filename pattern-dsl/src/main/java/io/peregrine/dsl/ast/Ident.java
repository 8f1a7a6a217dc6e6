package io.peregrine.dsl.ast;

/**
 * An identifier as written (case-sensitive, as in Flink SQL). {@code quoted} records back-quotes,
 * which allow reserved words and other characters as names.
 */
public record Ident(Span span, String name, boolean quoted) {

    public Ident(Span span, String name) {
        this(span, name, false);
    }

    @Override
    public String toString() {
        return name;
    }
}
