package io.peregrine.dsl.compile;

import io.peregrine.dsl.ast.Expr;
import io.peregrine.dsl.compile.ExprCodegen.Gen;
import io.peregrine.dsl.schema.DataType;

/**
 * MEASURES over a finished (or timed-out) match {@code m}: RUNNING semantics read rows up to
 * {@code upto} (the current row of ALL ROWS PER MATCH, the last row otherwise), FINAL ones the whole
 * match. Measures run once per match, so scanning the match is fine here.
 */
final class MeasureScope extends MatchScope {

    MeasureScope(PatternModel model) {
        super(model);
    }

    private String mask(ExprCodegen g, VarSet set) {
        return g.clazz.constant(new PatternModel.ElementMask(set.variables()), "boolean[]");
    }

    private static String limit(boolean fin) {
        return fin ? "(size - 1)" : "upto";
    }

    @Override
    RowRef plainReference(ExprCodegen g, VarSet set) {
        if (set == null) {
            return new RowRef(g.local("Row", "(Row) m.event(upto)"), false);
        }
        return navigate(g, set, false, 0, false);
    }

    @Override
    RowRef navigate(ExprCodegen g, VarSet set, boolean first, int offset, boolean fin) {
        String mask = mask(g, set);
        String idx = g.fresh("x");
        String seen = g.fresh("s");
        String i = g.fresh("i");
        String lim = limit(fin);
        g.emit("int " + idx + " = -1; int " + seen + " = 0;");
        String loop = first ? "for (int " + i + " = 0; " + i + " <= " + lim + "; " + i + "++)"
                : "for (int " + i + " = " + lim + "; " + i + " >= 0; " + i + "--)";
        g.emit(loop + " { if (" + mask + "[m.elementId(" + i + ")]) { if (" + seen + " == " + offset + ") { " + idx + " = " + i
                + "; break; } " + seen + "++; } }");
        return new RowRef(g.local("Row", idx + " < 0 ? null : (Row) m.event(" + idx + ")"), true);
    }

    @Override
    String forEachRow(ExprCodegen g, VarSet set, String rowVar, String body, boolean fin) {
        String mask = mask(g, set);
        String i = g.fresh("i");
        return "for (int " + i + " = 0; " + i + " <= " + limit(fin) + "; " + i + "++) {\n    if (!" + mask + "[m.elementId(" + i
                + ")]) { continue; }\n    Row " + rowVar + " = (Row) m.event(" + i + ");\n" + body + "    }";
    }

    @Override
    Gen physical(ExprCodegen g, Expr.Call call, boolean prev) {
        g.problems.error(call.span(), call.name() + " in MEASURES is not supported yet",
                "use logical navigation, e.g. LAST(A.price, 1), or PREV in DEFINE");
        return ExprCodegen.ERROR;
    }

    @Override
    Gen classifier(ExprCodegen g, Expr.Call call) {
        if (!call.args().isEmpty()) {
            g.problems.error(call.span(), "CLASSIFIER() takes no arguments", null);
            return ExprCodegen.ERROR;
        }
        String names = g.clazz.constant(new PatternModel.ElementVariableNames(), "String[]");
        return g.value(DataType.STRING, names + "[m.elementId(upto)]");
    }

    @Override
    Gen matchFunction(ExprCodegen g, Expr.Call call) {
        if (!call.args().isEmpty()) {
            g.problems.error(call.span(), call.name() + "() takes no arguments", null);
            return ExprCodegen.ERROR;
        }
        switch (call.name()) {
            case "MATCH_NUMBER":
                return new Gen(DataType.BIGINT, "matchNumber", "false");
            case "MATCH_ROWTIME":
                return new Gen(DataType.TIMESTAMP, "m.timestamp(size - 1)", "false");
            default:
                g.problems.error(call.span(), "processing time is not supported: Peregrine runs on event time",
                        "use MATCH_ROWTIME()");
                return ExprCodegen.ERROR;
        }
    }

    @Override
    boolean allowsFinal() {
        return true;
    }
}
