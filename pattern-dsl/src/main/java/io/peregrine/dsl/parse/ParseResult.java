package io.peregrine.dsl.parse;

import io.peregrine.dsl.Diagnostic;
import io.peregrine.dsl.ast.ProgramAst;
import java.util.List;

/**
 * What {@link Parser#parse} found: the statements it could build and every diagnostic, in source
 * order. When {@link #hasErrors()} the program may lack statements or hold incomplete ones (a null
 * pattern, a missing list item); only an error-free program is fit to compile.
 */
public record ParseResult(ProgramAst program, List<Diagnostic> diagnostics) {

    public ParseResult {
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean hasErrors() {
        for (Diagnostic d : diagnostics) {
            if (d.isError()) {
                return true;
            }
        }
        return false;
    }
}
