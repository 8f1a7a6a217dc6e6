package io.peregrine.dsl.compile;

import io.peregrine.cep.AggregateKind;
import io.peregrine.dsl.ast.Expr;
import io.peregrine.dsl.compile.ExprCodegen.Gen;
import io.peregrine.dsl.schema.Column;
import io.peregrine.dsl.schema.DataType;
import io.peregrine.dsl.schema.DataType.Kind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * DEFINE of one variable: the row being tested is {@code e}, the partial match is cep-core's
 * {@code ctx}. First/last rows and COUNT/SUM/AVG/MIN/MAX of a column of a variable that occurs
 * once are O(1) reads of what the engine carries along each run; everything else walks the
 * partial match. Navigation and aggregates over the variable being defined include the current
 * row, as in Flink SQL.
 */
final class DefineScope extends MatchScope {

    private final String current;
    private final Map<String, String> rowLists = new HashMap<>();

    DefineScope(PatternModel model, String current) {
        super(model);
        this.current = current;
    }

    private boolean includesCurrent(VarSet set) {
        return set.universal() || set.variables().contains(current);
    }

    /** The only element of a variable written once, else null. */
    private String singleElement(VarSet set) {
        if (set.universal() || set.variables().size() != 1) {
            return null;
        }
        List<String> elements = model.elementsByVariable.get(set.variables().iterator().next());
        return elements.size() == 1 ? elements.get(0) : null;
    }

    @Override
    RowRef plainReference(ExprCodegen g, VarSet set) {
        if (set == null || (!set.universal() && set.variables().size() == 1 && set.variables().contains(current))) {
            return new RowRef("e", false);
        }
        return navigate(g, set, false, 0, false);
    }

    @Override
    RowRef navigate(ExprCodegen g, VarSet set, boolean first, int offset, boolean fin) {
        String element = singleElement(set);
        boolean cur = includesCurrent(set);
        if (element != null) {
            if (cur && !first && offset == 0) {
                return new RowRef("e", false);
            }
            if ((cur && !first && offset == 1) || (!cur && offset == 0)) {
                String ref = g.clazz.constant(model.eventRef(element, first), "io.peregrine.cep.EventRef");
                return new RowRef(g.local("Row", "(Row) ctx.event(" + ref + ")"), true);
            }
            if (cur && first && offset == 0) {
                String ref = g.clazz.constant(model.eventRef(element, true), "io.peregrine.cep.EventRef");
                String f = g.local("Row", "(Row) ctx.event(" + ref + ")");
                return new RowRef(g.local("Row", f + " == null ? e : " + f), false);
            }
        }
        String list = rows(g, set);
        return new RowRef(g.local("Row", "PatternRows.nth(" + list + ", " + first + ", " + offset + ")"), true);
    }

    private String rows(ExprCodegen g, VarSet set) {
        String key = set.universal() ? "*" : set.name();
        // lists are built where first needed; a later use in a nested branch would not see them, so no reuse
        String elements = g.clazz.constant(model.elementsOf(set.variables()), "String[]");
        String list = g.local("java.util.List", "PatternRows.rows(ctx, " + elements + ", " + (includesCurrent(set) ? "e" : "null")
                + ", " + model.rowtime + ")");
        rowLists.put(key, list);
        return list;
    }

    @Override
    String forEachRow(ExprCodegen g, VarSet set, String rowVar, String body, boolean fin) {
        String list = rows(g, set);
        String i = g.fresh("i");
        return "for (int " + i + " = 0; " + i + " < " + list + ".size(); " + i + "++) {\n    Row " + rowVar + " = (Row) " + list
                + ".get(" + i + ");\n" + body + "    }";
    }

    @Override
    Gen fastAggregate(ExprCodegen g, String kind, VarSet set, Column column, Expr.Call call) {
        String element = singleElement(set);
        if (element == null) {
            return null;
        }
        boolean cur = includesCurrent(set);
        DataType t = column == null ? DataType.BIGINT : column.type();
        if ((kind.equals("SUM") || kind.equals("AVG")) && !t.isNumeric()) {
            return null;
        }
        String count = g.clazz.constant(model.aggregate(element, AggregateKind.COUNT, column), "io.peregrine.cep.Aggregate");
        String n = g.local("long", "(long) ctx.aggregate(" + count + ")" + (cur ? " + 1L" : ""));
        if (kind.equals("COUNT")) {
            return new Gen(DataType.BIGINT, n, "false");
        }
        String currentValue = t.kind() == Kind.DOUBLE ? "e.getDouble(" + column.index() + ")" : "(double) e.getLong(" + column.index() + ")";
        String acc;
        if (kind.equals("SUM") || kind.equals("AVG")) {
            String sum = g.clazz.constant(model.aggregate(element, AggregateKind.SUM, column), "io.peregrine.cep.Aggregate");
            String d = "ctx.aggregate(" + sum + ")" + (cur ? " + " + currentValue : "");
            acc = g.local(t.kind() == Kind.DOUBLE ? "double" : "long", t.kind() == Kind.DOUBLE ? d : "(long) (" + d + ")");
        } else {
            AggregateKind k = kind.equals("MIN") ? AggregateKind.MIN : AggregateKind.MAX;
            String h = g.clazz.constant(model.aggregate(element, k, column), "io.peregrine.cep.Aggregate");
            String d = g.local("double", "ctx.aggregate(" + h + ")");
            if (cur) {
                d = g.local("double", "Double.isNaN(" + d + ") ? " + currentValue + " : Math." + kind.toLowerCase(java.util.Locale.ROOT)
                        + "(" + d + ", " + currentValue + ")");
            }
            acc = g.local(ExprCodegen.javaType(t), "(" + ExprCodegen.javaType(t) + ") " + d);
        }
        return finish(g, kind, t, n, acc);
    }

    /**
     * PREV reads the partition's physical history, which cep-core keeps per key (as deep as the
     * largest offset in the pattern). Only rows before the row being tested can be reached: NEXT
     * would need rows that have not arrived.
     */
    @Override
    Gen physical(ExprCodegen g, Expr.Call call, boolean prev) {
        if (!prev) {
            g.problems.error(call.span(), "NEXT in DEFINE would read rows that have not arrived yet",
                    "test the later row in the DEFINE of the variable that matches it, with PREV");
            return ExprCodegen.ERROR;
        }
        int offset = offset(g, call, 1);
        if (offset < 0) {
            return ExprCodegen.ERROR;
        }
        VarSet set = argumentSet(g, call.args().get(0));
        if (set == null) {
            return ExprCodegen.ERROR;
        }
        if (!set.universal() && !(set.variables().size() == 1 && set.variables().contains(current))) {
            g.problems.error(call.args().get(0).span(), "PREV in DEFINE reads rows before the row being tested, which is "
                    + current + ", not " + set.name(), "write PREV(" + current + ".col) or PREV(col); for earlier rows of "
                    + set.name() + " use LAST(" + set.name() + ".col, n)");
            return ExprCodegen.ERROR;
        }
        if (offset > io.peregrine.cep.NfaOptions.MAX_HISTORY_DEPTH) {
            g.problems.error(call.span(), "PREV reaches back at most " + io.peregrine.cep.NfaOptions.MAX_HISTORY_DEPTH + " rows", null);
            return ExprCodegen.ERROR;
        }
        model.historyDepth = Math.max(model.historyDepth, offset);
        RowRef row = offset == 0 ? new RowRef("e", false)
                : new RowRef(g.local("Row", "(Row) ctx.previous(" + offset + ")"), true);
        return readingRow(g, set, row, call.args().get(0));
    }

    @Override
    Gen classifier(ExprCodegen g, Expr.Call call) {
        if (!call.args().isEmpty()) {
            g.problems.error(call.span(), "CLASSIFIER() takes no arguments", null);
            return ExprCodegen.ERROR;
        }
        return new Gen(DataType.STRING, ExprCodegen.javaString(current), "false");
    }

    @Override
    Gen matchFunction(ExprCodegen g, Expr.Call call) {
        g.problems.error(call.span(), call.name() + "() is only allowed in MEASURES", null);
        return ExprCodegen.ERROR;
    }

    @Override
    boolean allowsFinal() {
        return false;
    }
}
