package io.peregrine.dsl.compile;

import io.peregrine.dsl.ast.Expr;
import io.peregrine.dsl.ast.Span;
import io.peregrine.dsl.compile.ExprCodegen.Gen;
import io.peregrine.dsl.schema.Column;
import io.peregrine.dsl.schema.DataType;
import io.peregrine.dsl.schema.DataType.Kind;
import io.peregrine.dsl.schema.Schema;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What DEFINE and MEASURES share: pattern variables as row qualifiers, logical navigation
 * ({@code FIRST}, {@code LAST}), aggregates over a variable's rows, and {@code CLASSIFIER()}. The two
 * subclasses differ in where rows come from: the partial match through cep-core's {@code Context}
 * (DEFINE), or a finished {@code Match} (MEASURES).
 */
abstract class MatchScope implements ExprCodegen.Scope {

    /** A set of pattern variables: one variable, a SUBSET, or all of them ({@code name} null). */
    record VarSet(String name, Set<String> variables) {
        boolean universal() {
            return name == null;
        }
    }

    /** A row term; {@code nullable} when the navigation may find no row. */
    record RowRef(String term, boolean nullable) {}

    /** While compiling a navigation or aggregate argument: its variable set and the row it reads. */
    private record Binding(VarSet set, RowRef row) {}

    final PatternModel model;
    final Schema input;
    private Binding binding;

    MatchScope(PatternModel model) {
        this.model = model;
        this.input = model.input.schema();
    }

    /** The row of {@code set} at a logical offset from the first or last of its rows; null-able. */
    abstract RowRef navigate(ExprCodegen g, VarSet set, boolean first, int offset, boolean fin);

    /**
     * Emits a loop over the rows of {@code set} (in order) that runs {@code body} with
     * {@code rowVar} bound; returns the loop's code.
     */
    abstract String forEachRow(ExprCodegen g, VarSet set, String rowVar, String body, boolean fin);

    /** An O(1) aggregate when the engine maintains it, else null (the loop computes it). */
    Gen fastAggregate(ExprCodegen g, String kind, VarSet set, Column column, Expr.Call call) {
        return null;
    }

    abstract Gen classifier(ExprCodegen g, Expr.Call call);

    /** {@code PREV(x, n)} / {@code NEXT(x, n)}: rows n places away in the partition's physical order. */
    abstract Gen physical(ExprCodegen g, Expr.Call call, boolean prev);

    /** The offset argument of a navigation call, or -1 after reporting a bad one. */
    static int offset(ExprCodegen g, Expr.Call call, int defaultOffset) {
        if (call.args().isEmpty() || call.args().size() > 2) {
            g.problems.error(call.span(), call.name() + " takes a value and an optional offset", "write " + call.name() + "(A.price) or "
                    + call.name() + "(A.price, 1)");
            return -1;
        }
        if (call.args().size() == 1) {
            return defaultOffset;
        }
        Expr o = call.args().get(1);
        if (!(o instanceof Expr.Literal) || ((Expr.Literal) o).kind() != Expr.LiteralKind.INTEGER
                || ((Number) ((Expr.Literal) o).value()).longValue() < 0
                || ((Number) ((Expr.Literal) o).value()).longValue() > Integer.MAX_VALUE) {
            g.problems.error(o.span(), "the offset of " + call.name() + " must be a non-negative integer literal", null);
            return -1;
        }
        return ((Number) ((Expr.Literal) o).value()).intValue();
    }

    /** Compiles {@code arg} reading {@code row} for the variable set it names. */
    Gen readingRow(ExprCodegen g, VarSet set, RowRef row, Expr arg) {
        return withBinding(g, set, row, arg);
    }

    abstract Gen matchFunction(ExprCodegen g, Expr.Call call);

    /** Whether RUNNING/FINAL make sense here (MEASURES), or FINAL is an error (DEFINE). */
    abstract boolean allowsFinal();

    // ---------------------------------------------------------------- columns

    @Override
    public Gen column(Expr.ColumnRef ref, ExprCodegen g) {
        Column column = inputColumn(ref, g);
        if (column == null) {
            return ExprCodegen.ERROR;
        }
        if (binding != null) {
            VarSet refSet = ref.qualifier() == null ? universal() : varSet(ref.qualifier().name(), ref.qualifier().span(), g);
            if (refSet == null) {
                return ExprCodegen.ERROR;
            }
            if (!sameSet(refSet, binding.set)) {
                g.problems.error(ref.span(), "a navigation or aggregate argument must refer to one pattern variable",
                        "write e.g. LAST(A.price) + LAST(B.price) instead of LAST(A.price + B.price)");
                return ExprCodegen.ERROR;
            }
            return read(g, binding.row, column);
        }
        VarSet set = ref.qualifier() == null ? null : varSet(ref.qualifier().name(), ref.qualifier().span(), g);
        if (ref.qualifier() != null && set == null) {
            return ExprCodegen.ERROR;
        }
        return read(g, plainReference(g, set), column);
    }

    /** The row a column reference outside navigation reads: current / last row of the set. */
    abstract RowRef plainReference(ExprCodegen g, VarSet setOrNullForUnqualified);

    private static boolean sameSet(VarSet a, VarSet b) {
        return a.universal() == b.universal() && (a.universal() || a.name().equals(b.name()));
    }

    Column inputColumn(Expr.ColumnRef ref, ExprCodegen g) {
        Column c = input.find(ref.column().name()).orElse(null);
        if (c == null) {
            g.problems.error(ref.column().span(), "unknown column '" + ref.column().name() + "' in stream " + model.input.name(),
                    Names.hint(ref.column().name(), input.names(), "columns are"));
        }
        return c;
    }

    VarSet universal() {
        return new VarSet(null, model.variables());
    }

    VarSet varSet(String name, Span span, ExprCodegen g) {
        if (model.variables().contains(name)) {
            return new VarSet(name, Set.of(name));
        }
        Set<String> subset = model.subsets.get(name);
        if (subset != null) {
            return new VarSet(name, subset);
        }
        List<String> known = new ArrayList<>(model.variables());
        known.addAll(model.subsets.keySet());
        g.problems.error(span, "unknown pattern variable '" + name + "'", Names.hint(name, known, "pattern variables are"));
        return null;
    }

    static Gen read(ExprCodegen g, RowRef row, Column column) {
        String getter;
        switch (column.type().kind()) {
            case BOOLEAN:
                getter = "getBoolean";
                break;
            case INT:
                getter = "getInt";
                break;
            case DOUBLE:
                getter = "getDouble";
                break;
            case STRING:
                getter = "getString";
                break;
            default:
                getter = "getLong";
        }
        String access = row.term() + "." + getter + "(" + column.index() + ")";
        String isNull = row.nullable() ? row.term() + " == null" : "false";
        return g.guarded(column.type(), isNull, access);
    }

    // ---------------------------------------------------------------- special calls

    @Override
    public Gen special(Expr.Call call, ExprCodegen g) {
        String name = call.name();
        if (call.semantics() == Expr.Semantics.FINAL && !allowsFinal()) {
            g.problems.error(call.span(), "FINAL is not allowed in DEFINE", "FINAL belongs in MEASURES; DEFINE sees the running match");
            return ExprCodegen.ERROR;
        }
        boolean fin = call.semantics() == Expr.Semantics.FINAL;
        switch (name) {
            case "FIRST":
            case "LAST":
                return navigation(g, call, name.equals("FIRST"), fin);
            case "PREV":
            case "NEXT":
                return physical(g, call, name.equals("PREV"));
            case "COUNT":
            case "SUM":
            case "AVG":
            case "MIN":
            case "MAX":
                return aggregate(g, call, fin);
            case "CLASSIFIER":
                return classifier(g, call);
            case "MATCH_NUMBER":
            case "MATCH_ROWTIME":
            case "MATCH_PROCTIME":
                return matchFunction(g, call);
            default:
                if (call.semantics() != Expr.Semantics.DEFAULT) {
                    g.problems.error(call.span(), "RUNNING and FINAL apply to navigation and aggregates, not " + name, null);
                    return ExprCodegen.ERROR;
                }
                return null;
        }
    }

    private Gen navigation(ExprCodegen g, Expr.Call call, boolean first, boolean fin) {
        List<Expr> args = call.args();
        int offset = offset(g, call, 0);
        if (offset < 0) {
            return ExprCodegen.ERROR;
        }
        VarSet set = argumentSet(g, args.get(0));
        if (set == null) {
            return ExprCodegen.ERROR;
        }
        RowRef row = navigate(g, set, first, offset, fin);
        return withBinding(g, set, row, args.get(0));
    }

    private Gen withBinding(ExprCodegen g, VarSet set, RowRef row, Expr arg) {
        Binding saved = binding;
        binding = new Binding(set, row);
        try {
            return g.gen(arg);
        } finally {
            binding = saved;
        }
    }

    /** The single variable set an argument refers to; unqualified columns mean all variables. */
    VarSet argumentSet(ExprCodegen g, Expr arg) {
        Set<String> qualifiers = new LinkedHashSet<>();
        boolean[] unqualified = new boolean[1];
        collectQualifiers(arg, qualifiers, unqualified);
        if (qualifiers.size() > 1 || (qualifiers.size() == 1 && unqualified[0])) {
            g.problems.error(arg.span(), "a navigation or aggregate argument must refer to one pattern variable, not "
                    + String.join(" and ", qualifiers) + (unqualified[0] ? " and unqualified columns" : ""), null);
            return null;
        }
        if (qualifiers.isEmpty()) {
            return universal();
        }
        String q = qualifiers.iterator().next();
        return varSet(q, arg.span(), g);
    }

    private static void collectQualifiers(Expr e, Set<String> out, boolean[] unqualified) {
        if (e instanceof Expr.ColumnRef) {
            Expr.ColumnRef c = (Expr.ColumnRef) e;
            if (c.qualifier() == null) {
                unqualified[0] = true;
            } else {
                out.add(c.qualifier().name());
            }
        } else if (e instanceof Expr.Star) {
            Expr.Star s = (Expr.Star) e;
            if (s.qualifier() != null) {
                out.add(s.qualifier().name());
            }
        } else if (e instanceof Expr.Unary) {
            collectQualifiers(((Expr.Unary) e).operand(), out, unqualified);
        } else if (e instanceof Expr.Binary) {
            collectQualifiers(((Expr.Binary) e).left(), out, unqualified);
            collectQualifiers(((Expr.Binary) e).right(), out, unqualified);
        } else if (e instanceof Expr.Call) {
            for (Expr a : ((Expr.Call) e).args()) {
                collectQualifiers(a, out, unqualified);
            }
        } else if (e instanceof Expr.Cast) {
            collectQualifiers(((Expr.Cast) e).operand(), out, unqualified);
        } else if (e instanceof Expr.Case) {
            Expr.Case c = (Expr.Case) e;
            if (c.operand() != null) {
                collectQualifiers(c.operand(), out, unqualified);
            }
            for (Expr.When w : c.whens()) {
                collectQualifiers(w.condition(), out, unqualified);
                collectQualifiers(w.result(), out, unqualified);
            }
            if (c.elseResult() != null) {
                collectQualifiers(c.elseResult(), out, unqualified);
            }
        } else if (e instanceof Expr.IsNull) {
            collectQualifiers(((Expr.IsNull) e).operand(), out, unqualified);
        } else if (e instanceof Expr.Between) {
            Expr.Between b = (Expr.Between) e;
            collectQualifiers(b.value(), out, unqualified);
            collectQualifiers(b.low(), out, unqualified);
            collectQualifiers(b.high(), out, unqualified);
        } else if (e instanceof Expr.In) {
            collectQualifiers(((Expr.In) e).value(), out, unqualified);
            for (Expr x : ((Expr.In) e).list()) {
                collectQualifiers(x, out, unqualified);
            }
        } else if (e instanceof Expr.Like) {
            collectQualifiers(((Expr.Like) e).value(), out, unqualified);
            collectQualifiers(((Expr.Like) e).pattern(), out, unqualified);
        }
    }

    // ---------------------------------------------------------------- aggregates

    private Gen aggregate(ExprCodegen g, Expr.Call call, boolean fin) {
        String kind = call.name();
        if (call.args().size() != 1) {
            g.problems.error(call.span(), kind + " takes one argument", "write " + kind + "(A.amount)");
            return ExprCodegen.ERROR;
        }
        Expr arg = call.args().get(0);
        boolean star = arg instanceof Expr.Star;
        if (star && !kind.equals("COUNT")) {
            g.problems.error(arg.span(), "only COUNT takes *", null);
            return ExprCodegen.ERROR;
        }
        if (star && call.distinct()) {
            g.problems.error(call.span(), "COUNT(DISTINCT *) is not allowed", "count distinct values: COUNT(DISTINCT A.col)");
            return ExprCodegen.ERROR;
        }
        VarSet set = argumentSet(g, arg);
        if (set == null) {
            return ExprCodegen.ERROR;
        }
        if (!call.distinct() && !fin) {
            Column column = null;
            if (arg instanceof Expr.ColumnRef) {
                column = input.find(((Expr.ColumnRef) arg).column().name()).orElse(null);
            }
            if (star || (column != null && (column.type().isNumeric() || column.type().kind() == Kind.TIMESTAMP))) {
                Gen fast = fastAggregate(g, kind, set, column, call);
                if (fast != null) {
                    return fast;
                }
            }
        }
        // the general path: a loop over the variable's rows
        String row = g.fresh("r");
        String count = g.fresh("c");
        String acc = g.fresh("a");
        String seen = call.distinct() ? g.fresh("d") : null;
        Gen[] value = new Gen[1];
        DataType[] argType = new DataType[1];
        String body = g.capture(() -> {
            if (star) {
                value[0] = new Gen(DataType.BIGINT, "1L", "false");
            } else {
                value[0] = withBinding(g, set, new RowRef(row, false), arg);
            }
        });
        if (value[0] == ExprCodegen.ERROR) {
            return ExprCodegen.ERROR;
        }
        DataType t = value[0].type();
        argType[0] = t;
        boolean numeric = t.isNumeric();
        if ((kind.equals("SUM") || kind.equals("AVG")) && !numeric) {
            g.problems.error(arg.span(), kind + " needs a number, not " + t, null);
            return ExprCodegen.ERROR;
        }
        if ((kind.equals("MIN") || kind.equals("MAX")) && t.kind() == Kind.BOOLEAN) {
            g.problems.error(arg.span(), kind + " is not defined for BOOLEAN", null);
            return ExprCodegen.ERROR;
        }
        String jt = ExprCodegen.javaType(t);
        String accType = kind.equals("SUM") || kind.equals("AVG") ? (t.kind() == Kind.DOUBLE ? "double" : "long") : jt;
        g.emit("long " + count + " = 0L; " + accType + " " + acc + " = " + ExprCodegen.defaultValue(
                accType.equals("double") ? DataType.DOUBLE : accType.equals("long") ? DataType.BIGINT : t) + ";");
        if (seen != null) {
            g.emit("java.util.HashSet " + seen + " = new java.util.HashSet();");
        }
        StringBuilder loop = new StringBuilder(body);
        String v = value[0].value();
        loop.append("    if (!").append(value[0].isNull()).append(") {\n");
        if (seen != null) {
            loop.append("      if (").append(seen).append(".add(").append(box(t, v)).append(")) {\n");
        }
        switch (kind) {
            case "COUNT":
                break;
            case "SUM":
            case "AVG":
                loop.append("      ").append(acc).append(" = ").append(accType.equals("double") ? acc + " + " + v
                        : "Math.addExact(" + acc + ", (long) " + v + ")").append(";\n");
                break;
            default: {
                String better = t.kind() == Kind.STRING
                        ? v + ".compareTo(" + acc + ")" + (kind.equals("MIN") ? " < 0" : " > 0")
                        : v + (kind.equals("MIN") ? " < " : " > ") + acc;
                loop.append("      if (").append(count).append(" == 0L || ").append(better).append(") { ").append(acc)
                        .append(" = ").append(v).append("; }\n");
            }
        }
        loop.append("      ").append(count).append("++;\n");
        if (seen != null) {
            loop.append("      }\n");
        }
        loop.append("    }\n");
        g.emit(forEachRow(g, set, row, loop.toString(), fin));
        return finish(g, kind, t, count, acc);
    }

    private static String box(DataType t, String v) {
        switch (t.kind()) {
            case BOOLEAN:
                return "Boolean.valueOf(" + v + ")";
            case INT:
                return "Integer.valueOf(" + v + ")";
            case DOUBLE:
                return "Double.valueOf(" + v + ")";
            case STRING:
                return v;
            default:
                return "Long.valueOf(" + v + ")";
        }
    }

    /** The aggregate's SQL result from a count and an accumulator (sum, min or max). */
    static Gen finish(ExprCodegen g, String kind, DataType t, String count, String acc) {
        switch (kind) {
            case "COUNT":
                return g.value(DataType.BIGINT, count);
            case "SUM":
                if (t.kind() == Kind.DOUBLE) {
                    return g.guarded(t, count + " == 0L", acc);
                }
                if (t.kind() == Kind.INT) {
                    return g.guarded(t, count + " == 0L", "(int) " + acc);
                }
                return g.guarded(sumType(t), count + " == 0L", acc);
            case "AVG":
                return g.guarded(avgType(t), count + " == 0L", avgExpr(t, acc, count));
            default:
                return g.guarded(t, count + " == 0L", acc);
        }
    }

    static DataType sumType(DataType t) {
        return t.kind() == Kind.DECIMAL ? DataType.decimal(DataType.MAX_DECIMAL_PRECISION, t.scale()) : t;
    }

    static DataType avgType(DataType t) {
        return t.kind() == Kind.DECIMAL ? DataType.decimal(DataType.MAX_DECIMAL_PRECISION, Math.max(6, t.scale())) : t;
    }

    /** AVG from a sum and a count: integers truncate toward zero (as Flink), decimals round half up. */
    static String avgExpr(DataType t, String sum, String count) {
        switch (t.kind()) {
            case DOUBLE:
                return sum + " / " + count;
            case INT:
                return "(int) (" + sum + " / " + count + ")";
            case DECIMAL:
                return "SqlFunctions.divideDecimal(" + sum + ", " + t.scale() + ", " + count + ", 0, " + avgType(t).scale() + ")";
            default:
                return sum + " / " + count;
        }
    }
}
