/**
 * From text to syntax tree and back: {@link io.peregrine.dsl.parse.Parser#parse} turns a
 * {@link io.peregrine.dsl.SourceFile} into a {@link io.peregrine.dsl.parse.ParseResult} (the program and
 * every diagnostic), {@link io.peregrine.dsl.parse.AstPrinter} prints a tree as canonical source, and
 * {@link io.peregrine.dsl.parse.Lexer} splits text into {@link io.peregrine.dsl.parse.Token}s. The grammar
 * is in the module's GRAMMAR.md.
 */
package io.peregrine.dsl.parse;
