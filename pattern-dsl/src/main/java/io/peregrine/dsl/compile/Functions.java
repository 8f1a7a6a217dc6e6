package io.peregrine.dsl.compile;

import io.peregrine.dsl.ast.Expr;
import io.peregrine.dsl.compile.ExprCodegen.Gen;
import io.peregrine.dsl.schema.DataType;
import io.peregrine.dsl.schema.DataType.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Scalar functions. A NULL argument gives NULL, except for COALESCE. */
final class Functions {

    private Functions() {}

    static final List<String> SCALAR =
            List.of("ABS", "CHAR_LENGTH", "CHARACTER_LENGTH", "COALESCE", "CONCAT", "LOWER", "MOD", "SUBSTRING", "UPPER");

    /** Functions whose meaning depends on the match; a scope that does not know them rejects them. */
    static final Set<String> PATTERN_FUNCTIONS = Set.of("FIRST", "LAST", "PREV", "NEXT", "COUNT", "SUM", "AVG", "MIN",
            "MAX", "CLASSIFIER", "MATCH_NUMBER", "MATCH_ROWTIME", "MATCH_PROCTIME");

    static Gen call(ExprCodegen g, Expr.Call call) {
        String name = call.name();
        if (PATTERN_FUNCTIONS.contains(name)) {
            g.problems.error(call.span(), name + "() is not allowed here",
                    "navigation, aggregates and match functions belong in DEFINE and MEASURES");
            return ExprCodegen.ERROR;
        }
        if (call.distinct() || call.semantics() != Expr.Semantics.DEFAULT) {
            g.problems.error(call.span(), name + " is a scalar function: DISTINCT, RUNNING and FINAL do not apply", null);
            return ExprCodegen.ERROR;
        }
        List<Gen> args = new ArrayList<>();
        for (Expr a : call.args()) {
            args.add(g.gen(a));
        }
        for (Gen a : args) {
            if (a == ExprCodegen.ERROR) {
                return ExprCodegen.ERROR;
            }
        }
        switch (name) {
            case "UPPER":
            case "LOWER":
                if (!arity(g, call, 1, 1) || !expect(g, call, args, 0, Kind.STRING)) {
                    return ExprCodegen.ERROR;
                }
                return g.guarded(DataType.STRING, args.get(0).isNull(),
                        "SqlFunctions." + name.toLowerCase(java.util.Locale.ROOT) + "(" + args.get(0).value() + ")");
            case "CHAR_LENGTH":
            case "CHARACTER_LENGTH":
                if (!arity(g, call, 1, 1) || !expect(g, call, args, 0, Kind.STRING)) {
                    return ExprCodegen.ERROR;
                }
                return g.guarded(DataType.INT, args.get(0).isNull(), "SqlFunctions.charLength(" + args.get(0).value() + ")");
            case "SUBSTRING": {
                if (!arity(g, call, 2, 3) || !expect(g, call, args, 0, Kind.STRING) || !integral(g, call, args, 1)
                        || (args.size() == 3 && !integral(g, call, args, 2))) {
                    return ExprCodegen.ERROR;
                }
                String nulls = args.get(0).isNull();
                StringBuilder expr = new StringBuilder("SqlFunctions.substring(" + args.get(0).value());
                for (int i = 1; i < args.size(); i++) {
                    nulls = ExprCodegen.or(nulls, args.get(i).isNull());
                    expr.append(", (long) ").append(args.get(i).value());
                }
                return g.guarded(DataType.STRING, nulls, expr.append(')').toString());
            }
            case "CONCAT": {
                if (!arity(g, call, 1, Integer.MAX_VALUE)) {
                    return ExprCodegen.ERROR;
                }
                String nulls = "false";
                StringBuilder expr = new StringBuilder("\"\"");
                for (int i = 0; i < args.size(); i++) {
                    if (!expect(g, call, args, i, Kind.STRING)) {
                        return ExprCodegen.ERROR;
                    }
                    nulls = ExprCodegen.or(nulls, args.get(i).isNull());
                    expr.append(" + ").append(args.get(i).value());
                }
                return g.guarded(DataType.STRING, nulls, expr.toString());
            }
            case "ABS": {
                if (!arity(g, call, 1, 1)) {
                    return ExprCodegen.ERROR;
                }
                Gen a = args.get(0);
                if (!a.type().isNumeric() && a.type().kind() != Kind.INTERVAL) {
                    g.problems.error(call.span(), "ABS needs a number, not " + a.type(), null);
                    return ExprCodegen.ERROR;
                }
                return g.guarded(a.type(), a.isNull(), "Math.abs(" + a.value() + ")");
            }
            case "MOD": {
                if (!arity(g, call, 2, 2)) {
                    return ExprCodegen.ERROR;
                }
                return Arithmetic.apply(g, Expr.BinaryOp.MODULO, args.get(0), args.get(1), call.span());
            }
            case "COALESCE": {
                if (!arity(g, call, 1, Integer.MAX_VALUE)) {
                    return ExprCodegen.ERROR;
                }
                DataType t = Types.common(args, g.problems, call.span());
                if (t == null) {
                    return ExprCodegen.ERROR;
                }
                String n = g.fresh("n");
                String v = g.fresh("v");
                g.emit("boolean " + n + " = true; " + ExprCodegen.javaType(t) + " " + v + " = " + ExprCodegen.defaultValue(t) + ";");
                for (Gen a : args) {
                    g.emit("if (" + n + " && !" + a.isNull() + ") { " + n + " = false; " + v + " = " + g.convertAny(a, t) + "; }");
                }
                return new Gen(t, v, n);
            }
            default:
                List<String> known = new ArrayList<>(SCALAR);
                known.addAll(PATTERN_FUNCTIONS);
                g.problems.error(call.span(), "unknown function " + name, Names.hint(name, known, "functions are"));
                return ExprCodegen.ERROR;
        }
    }

    private static boolean arity(ExprCodegen g, Expr.Call call, int min, int max) {
        int n = call.args().size();
        if (n < min || n > max) {
            String expected = min == max ? String.valueOf(min) : max == Integer.MAX_VALUE ? "at least " + min : min + " to " + max;
            g.problems.error(call.span(), call.name() + " takes " + expected + " argument" + (max == 1 ? "" : "s") + ", not " + n, null);
            return false;
        }
        return true;
    }

    private static boolean expect(ExprCodegen g, Expr.Call call, List<Gen> args, int i, Kind kind) {
        Kind k = args.get(i).type().kind();
        if (k != kind && k != Kind.NULL) {
            g.problems.error(call.args().get(i).span(), call.name() + " needs a " + kind + " argument, not " + args.get(i).type(),
                    kind == Kind.STRING ? "CAST it AS STRING" : null);
            return false;
        }
        return true;
    }

    private static boolean integral(ExprCodegen g, Expr.Call call, List<Gen> args, int i) {
        Kind k = args.get(i).type().kind();
        if (k != Kind.INT && k != Kind.BIGINT && k != Kind.NULL) {
            g.problems.error(call.args().get(i).span(), call.name() + " needs an integer argument, not " + args.get(i).type(), null);
            return false;
        }
        return true;
    }
}
