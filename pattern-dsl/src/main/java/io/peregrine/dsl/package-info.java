/**
 * The Peregrine pattern language: compile a program's text with {@link io.peregrine.dsl.Programs}
 * into streams and compiled patterns, or get a {@link io.peregrine.dsl.DslException} listing every
 * {@link io.peregrine.dsl.Diagnostic}. Subpackages: {@code schema} (types, rows), {@code ast} (the
 * syntax tree), {@code parse} (lexer, parser, printer), {@code compile} (checking, expression
 * compilation, lowering to cep-core).
 */
package io.peregrine.dsl;
