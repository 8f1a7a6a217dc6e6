/**
 * The syntax tree of a program: records with source {@link io.peregrine.dsl.ast.Span}s, built by the
 * parser and printed back by the printer.
 */
package io.peregrine.dsl.ast;
