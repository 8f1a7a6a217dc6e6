package io.peregrine.dsl;

import io.peregrine.dsl.compile.RowExpressions;
import io.peregrine.dsl.parse.Parser;
import io.peregrine.dsl.schema.Row;
import io.peregrine.dsl.schema.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Expressions of the language on their own, over the columns of one row. */
public final class Expressions {

    private Expressions() {}

    /**
     * Compiles a condition such as {@code amount < 1.00 AND country IN ('US', 'CA')} to bytecode that
     * reads the row's columns by index; it holds only when the condition is TRUE (not NULL).
     */
    public static Predicate<Row> predicate(Schema schema, String condition) throws DslException {
        SourceFile source = new SourceFile("<expression>", condition);
        Parser.Fragment<io.peregrine.dsl.ast.Expr> parsed = Parser.parseExpression(condition);
        List<Diagnostic> diagnostics = new ArrayList<>(parsed.diagnostics());
        if (parsed.value() == null || diagnostics.stream().anyMatch(Diagnostic::isError)) {
            throw new DslException(source, diagnostics);
        }
        Predicate<Row> p = RowExpressions.predicate(schema, parsed.value(), diagnostics);
        if (p == null) {
            throw new DslException(source, diagnostics);
        }
        return p;
    }
}
