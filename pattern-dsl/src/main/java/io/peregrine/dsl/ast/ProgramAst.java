package io.peregrine.dsl.ast;

import java.util.List;

/** A parsed program: its statements in source order. */
public record ProgramAst(List<Statement> statements) {
    public ProgramAst {
        statements = List.copyOf(statements);
    }
}
