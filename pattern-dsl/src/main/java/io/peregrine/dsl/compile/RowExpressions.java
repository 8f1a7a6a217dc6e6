package io.peregrine.dsl.compile;

import io.peregrine.dsl.Diagnostic;
import io.peregrine.dsl.ast.Expr;
import io.peregrine.dsl.compile.ExprCodegen.Gen;
import io.peregrine.dsl.schema.Column;
import io.peregrine.dsl.schema.Row;
import io.peregrine.dsl.schema.Schema;
import java.util.List;
import java.util.function.Predicate;

/** Conditions over single rows of a schema (FILTER clauses, tools), compiled like DEFINE conditions. */
public final class RowExpressions {

    private RowExpressions() {}

    private static int classes;

    /** The compiled predicate, or null after adding the problems to {@code diagnostics}. */
    public static Predicate<Row> predicate(Schema schema, Expr condition, List<Diagnostic> diagnostics) {
        Problems problems = new Problems();
        JavaClass c;
        synchronized (RowExpressions.class) {
            c = new JavaClass("RowPredicate_" + (classes++), "java.util.function.Predicate");
        }
        ExprCodegen g = new ExprCodegen(problems, c, new SchemaScope(schema));
        String result = g.condition(condition);
        String code = g.takeCode();
        diagnostics.addAll(problems.sorted());
        if (problems.hasErrors()) {
            return null;
        }
        c.method("  public boolean test(Object o) {\n    Row e = (Row) o;\n    try {\n" + code + "    return " + result
                + ";\n    } catch (RuntimeException ex) {\n      return false;\n    }\n  }");
        ClassLoader loader = Janino.compile("import io.peregrine.dsl.schema.Row;\nimport io.peregrine.dsl.compile.SqlFunctions;\n\n"
                + c.source());
        return Janino.instantiate(loader, c, x -> x);
    }

    /** Unqualified columns of one row. */
    static final class SchemaScope implements ExprCodegen.Scope {
        private final Schema schema;

        SchemaScope(Schema schema) {
            this.schema = schema;
        }

        @Override
        public Gen column(Expr.ColumnRef ref, ExprCodegen g) {
            Column c = schema.find(ref.column().name()).orElse(null);
            if (ref.qualifier() != null || c == null) {
                g.problems.error(ref.span(), "unknown column '" + (ref.qualifier() == null ? "" : ref.qualifier().name() + ".")
                        + ref.column().name() + "'", Names.hint(ref.column().name(), schema.names(), "columns are"));
                return ExprCodegen.ERROR;
            }
            Gen v = MatchScope.read(g, new MatchScope.RowRef("e", false), c);
            // rows built by hand may hold NULLs; decoded input never does
            return new Gen(v.type(), v.value(), g.local("boolean", "e.isNull(" + c.index() + ")"));
        }

        @Override
        public Gen special(Expr.Call call, ExprCodegen g) {
            return null;
        }
    }
}
