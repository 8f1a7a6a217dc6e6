package io.peregrine.dsl.compile;

import io.peregrine.dsl.ast.Expr;
import io.peregrine.dsl.ast.Span;
import io.peregrine.dsl.ast.TypeName;
import io.peregrine.dsl.schema.DataType;
import io.peregrine.dsl.schema.DataType.Kind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Type-checks an expression and translates it to Java statements over unboxed locals, as Flink's
 * code generator does: every value is a pair of locals (is-null flag, primitive value), SQL's
 * three-valued logic and short-circuiting are explicit branches, and column reads are resolved by
 * the {@link Scope} to typed getters at fixed indexes. Errors become diagnostics and an
 * {@link #ERROR} result, so checking continues and reports every problem once.
 */
final class ExprCodegen {

    /** A compiled value: Java expressions (usually locals) for the value and its null flag. */
    record Gen(DataType type, String value, String isNull) {
        boolean nullable() {
            return !"false".equals(isNull);
        }
    }

    /** The result of an expression that had an error (already reported). */
    static final Gen ERROR = new Gen(null, "0", "true");

    /** What names and pattern functions mean where the expression is compiled. */
    interface Scope {
        /** A column reference's value, or {@link #ERROR} after reporting why it does not resolve. */
        Gen column(Expr.ColumnRef ref, ExprCodegen gen);

        /**
         * Navigation, aggregates and match functions ({@code FIRST}, {@code LAST}, {@code PREV}, {@code COUNT},
         * {@code CLASSIFIER()}, ...), or null when {@code call} is a plain scalar function.
         */
        Gen special(Expr.Call call, ExprCodegen gen);
    }

    final Problems problems;
    final JavaClass clazz;
    private final Scope scope;
    private StringBuilder out = new StringBuilder();

    ExprCodegen(Problems problems, JavaClass clazz, Scope scope) {
        this.problems = problems;
        this.clazz = clazz;
        this.scope = scope;
    }

    /** Statements emitted so far; a caller takes them once it has compiled its expressions. */
    String takeCode() {
        String s = out.toString();
        out = new StringBuilder();
        return s;
    }

    String fresh(String prefix) {
        // names are unique per class: several generators may write into one method
        return prefix + (clazz.counter++);
    }

    void emit(String line) {
        out.append("    ").append(line).append('\n');
    }

    /** Declares a local holding {@code expr}; returns its name. */
    String local(String javaType, String expr) {
        String name = fresh("t");
        emit(javaType + " " + name + " = " + expr + ";");
        return name;
    }

    /** Runs {@code body}, returning the statements it emitted instead of emitting them. */
    String capture(Runnable body) {
        StringBuilder saved = out;
        out = new StringBuilder();
        try {
            body.run();
            return out.toString();
        } finally {
            out = saved;
        }
    }

    static String javaType(DataType t) {
        switch (t.kind()) {
            case BOOLEAN:
            case NULL:
                return "boolean";
            case INT:
                return "int";
            case DOUBLE:
                return "double";
            case STRING:
                return "String";
            default:
                return "long";
        }
    }

    static String defaultValue(DataType t) {
        switch (t.kind()) {
            case BOOLEAN:
            case NULL:
                return "false";
            case STRING:
                return "null";
            case DOUBLE:
                return "0.0";
            case INT:
                return "0";
            default:
                return "0L";
        }
    }

    /** A non-null value computed by a Java expression. */
    Gen value(DataType type, String javaExpr) {
        return new Gen(type, local(javaType(type), javaExpr), "false");
    }

    /** A value that is null when {@code nullExpr} holds; {@code javaExpr} is only evaluated otherwise. */
    Gen guarded(DataType type, String nullExpr, String javaExpr) {
        if ("false".equals(nullExpr)) {
            return value(type, javaExpr);
        }
        String n = local("boolean", nullExpr);
        String v = local(javaType(type), n + " ? " + defaultValue(type) + " : " + javaExpr);
        return new Gen(type, v, n);
    }

    static String or(String a, String b) {
        if ("false".equals(a)) {
            return b;
        }
        if ("false".equals(b)) {
            return a;
        }
        return "(" + a + " || " + b + ")";
    }

    // ---------------------------------------------------------------- entry points

    Gen gen(Expr e) {
        if (e instanceof Expr.Literal) {
            return literal((Expr.Literal) e);
        } else if (e instanceof Expr.IntervalLiteral) {
            return interval((Expr.IntervalLiteral) e);
        } else if (e instanceof Expr.TimestampLiteral) {
            Expr.TimestampLiteral t = (Expr.TimestampLiteral) e;
            try {
                return new Gen(DataType.TIMESTAMP, SqlFunctions.parseTimestamp(t.value()) + "L", "false");
            } catch (IllegalArgumentException ex) {
                problems.error(t.span(), "invalid TIMESTAMP literal '" + t.value() + "'",
                        "write TIMESTAMP '2024-01-31 12:00:00.000' (UTC)");
                return ERROR;
            }
        } else if (e instanceof Expr.ColumnRef) {
            return scope.column((Expr.ColumnRef) e, this);
        } else if (e instanceof Expr.Star) {
            problems.error(e.span(), "'*' is only allowed as the argument of COUNT", "write COUNT(*) or COUNT(A.*)");
            return ERROR;
        } else if (e instanceof Expr.Unary) {
            return unary((Expr.Unary) e);
        } else if (e instanceof Expr.Binary) {
            return binary((Expr.Binary) e);
        } else if (e instanceof Expr.IsNull) {
            Expr.IsNull n = (Expr.IsNull) e;
            Gen g = gen(n.operand());
            if (g == ERROR) {
                return ERROR;
            }
            return value(DataType.BOOLEAN, n.negated() ? "!" + g.isNull() : g.isNull());
        } else if (e instanceof Expr.Between) {
            return between((Expr.Between) e);
        } else if (e instanceof Expr.In) {
            return in((Expr.In) e);
        } else if (e instanceof Expr.Like) {
            return like((Expr.Like) e);
        } else if (e instanceof Expr.Case) {
            return caseWhen((Expr.Case) e);
        } else if (e instanceof Expr.Cast) {
            Expr.Cast c = (Expr.Cast) e;
            Gen g = gen(c.operand());
            DataType target = Types.resolve(c.type(), problems);
            if (g == ERROR || target == null) {
                return ERROR;
            }
            return cast(g, target, c.span());
        } else if (e instanceof Expr.Call) {
            Expr.Call call = (Expr.Call) e;
            Gen special = scope.special(call, this);
            if (special != null) {
                return special;
            }
            return Functions.call(this, call);
        }
        problems.error(e.span(), "unsupported expression");
        return ERROR;
    }

    /** A condition: TRUE only when non-null and true. */
    String condition(Expr e) {
        Gen g = gen(e);
        if (g == ERROR) {
            return "false";
        }
        if (g.type().kind() != Kind.BOOLEAN && g.type().kind() != Kind.NULL) {
            problems.error(e.span(), "a condition must be BOOLEAN, not " + g.type(), "compare the value, e.g. x > 0");
            return "false";
        }
        return g.nullable() ? "(!" + g.isNull() + " && " + g.value() + ")" : g.value();
    }

    // ---------------------------------------------------------------- literals

    private Gen literal(Expr.Literal l) {
        switch (l.kind()) {
            case NULL:
                return new Gen(DataType.NULL, "false", "true");
            case BOOLEAN:
                return new Gen(DataType.BOOLEAN, String.valueOf(l.value()), "false");
            case INTEGER: {
                long v = ((Number) l.value()).longValue();
                if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                    return new Gen(DataType.INT, String.valueOf(v), "false");
                }
                return new Gen(DataType.BIGINT, v + "L", "false");
            }
            case DECIMAL: {
                BigDecimal d = (BigDecimal) l.value();
                int scale = Math.max(0, d.scale());
                int precision = Math.max(d.precision(), scale);
                if (precision > DataType.MAX_DECIMAL_PRECISION) {
                    return new Gen(DataType.DOUBLE, Double.toString(d.doubleValue()), "false");
                }
                long unscaled = d.setScale(scale).unscaledValue().longValueExact();
                return new Gen(DataType.decimal(Math.max(1, precision), scale), unscaled + "L", "false");
            }
            case DOUBLE: {
                double v = ((Number) l.value()).doubleValue();
                return new Gen(DataType.DOUBLE, Double.isFinite(v) ? Double.toString(v) : "0.0", "false");
            }
            case STRING:
                return new Gen(DataType.STRING, javaString((String) l.value()), "false");
            default:
                return ERROR;
        }
    }

    static String javaString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private Gen interval(Expr.IntervalLiteral i) {
        Long millis = Types.intervalMillis(i, problems);
        return millis == null ? ERROR : new Gen(DataType.INTERVAL, millis + "L", "false");
    }

    // ---------------------------------------------------------------- operators

    private Gen unary(Expr.Unary u) {
        Gen g = gen(u.operand());
        if (g == ERROR) {
            return ERROR;
        }
        switch (u.op()) {
            case NOT:
                if (!isBoolean(g)) {
                    problems.error(u.span(), "NOT needs a BOOLEAN operand, not " + g.type(), null);
                    return ERROR;
                }
                return guarded(DataType.BOOLEAN, g.isNull(), "!" + g.value());
            case PLUS:
                if (!g.type().isNumeric() && g.type().kind() != Kind.INTERVAL) {
                    problems.error(u.span(), "unary + needs a number, not " + g.type(), null);
                    return ERROR;
                }
                return g;
            default:
                if (!g.type().isNumeric() && g.type().kind() != Kind.INTERVAL) {
                    problems.error(u.span(), "unary - needs a number, not " + g.type(), null);
                    return ERROR;
                }
                return guarded(g.type(), g.isNull(), "-" + g.value());
        }
    }

    private static boolean isBoolean(Gen g) {
        return g.type().kind() == Kind.BOOLEAN || g.type().kind() == Kind.NULL;
    }

    private Gen binary(Expr.Binary b) {
        switch (b.op()) {
            case AND:
            case OR:
                return logical(b);
            default:
                break;
        }
        Gen l = gen(b.left());
        Gen r = gen(b.right());
        if (l == ERROR || r == ERROR) {
            return ERROR;
        }
        switch (b.op()) {
            case EQ:
            case NE:
            case LT:
            case LE:
            case GT:
            case GE:
                return compare(b.op(), l, r, b.span());
            case CONCAT:
                if (!isStringy(l) || !isStringy(r)) {
                    problems.error(b.span(), "|| needs STRING operands, not " + l.type() + " and " + r.type(),
                            "CAST the other operand AS STRING");
                    return ERROR;
                }
                return guarded(DataType.STRING, or(l.isNull(), r.isNull()), l.value() + " + " + r.value());
            default:
                return Arithmetic.apply(this, b.op(), l, r, b.span());
        }
    }

    private static boolean isStringy(Gen g) {
        return g.type().kind() == Kind.STRING || g.type().kind() == Kind.NULL;
    }

    /** SQL's three-valued AND / OR with short-circuit evaluation of the right operand. */
    private Gen logical(Expr.Binary b) {
        boolean and = b.op() == Expr.BinaryOp.AND;
        Gen l = gen(b.left());
        String n = fresh("n");
        String v = fresh("v");
        emit("boolean " + n + " = false; boolean " + v + " = " + and + ";");
        Gen[] right = new Gen[1];
        String rightCode = capture(() -> right[0] = gen(b.right()));
        if (l == ERROR || right[0] == ERROR) {
            return ERROR;
        }
        Gen r = right[0];
        if (!isBoolean(l) || !isBoolean(r)) {
            Gen bad = !isBoolean(l) ? l : r;
            Expr where = !isBoolean(l) ? b.left() : b.right();
            problems.error(where.span(), (and ? "AND" : "OR") + " needs BOOLEAN operands, not " + bad.type(), null);
            return ERROR;
        }
        // decided by the left operand alone: FALSE for AND, TRUE for OR
        String decisive = and ? "!" + l.isNull() + " && !" + l.value() : "!" + l.isNull() + " && " + l.value();
        String rightDecisive = and ? "!" + r.isNull() + " && !" + r.value() : "!" + r.isNull() + " && " + r.value();
        emit("if (" + decisive + ") { " + v + " = " + !and + "; } else {");
        out.append(rightCode);
        emit("  if (" + rightDecisive + ") { " + v + " = " + !and + "; } else if (" + or(l.isNull(), r.isNull()) + ") { "
                + n + " = true; } }");
        return new Gen(DataType.BOOLEAN, v, n);
    }

    Gen compare(Expr.BinaryOp op, Gen l, Gen r, Span span) {
        String javaOp = javaComparison(op);
        String nulls = or(l.isNull(), r.isNull());
        Kind lk = l.type().kind();
        Kind rk = r.type().kind();
        if (lk == Kind.NULL || rk == Kind.NULL) {
            return new Gen(DataType.BOOLEAN, "false", "true");
        }
        if (l.type().isNumeric() && r.type().isNumeric()) {
            DataType common = Types.commonNumeric(l.type(), r.type());
            return guarded(DataType.BOOLEAN, nulls, convert(l, common) + " " + javaOp + " " + convert(r, common));
        }
        if (lk != rk) {
            problems.error(span, "cannot compare " + l.type() + " with " + r.type(), Types.castHint(l.type(), r.type()));
            return ERROR;
        }
        switch (lk) {
            case STRING:
                if (op == Expr.BinaryOp.EQ || op == Expr.BinaryOp.NE) {
                    // equals is an intrinsic that checks lengths first; compareTo walks characters
                    return guarded(DataType.BOOLEAN, nulls, (op == Expr.BinaryOp.NE ? "!" : "") + l.value() + ".equals(" + r.value() + ")");
                }
                return guarded(DataType.BOOLEAN, nulls, "(" + l.value() + ".compareTo(" + r.value() + ") " + javaOp + " 0)");
            case BOOLEAN:
                if (op != Expr.BinaryOp.EQ && op != Expr.BinaryOp.NE) {
                    return guarded(DataType.BOOLEAN, nulls,
                            "(Boolean.compare(" + l.value() + ", " + r.value() + ") " + javaOp + " 0)");
                }
                return guarded(DataType.BOOLEAN, nulls, l.value() + " " + javaOp + " " + r.value());
            default:
                return guarded(DataType.BOOLEAN, nulls, l.value() + " " + javaOp + " " + r.value());
        }
    }

    private static String javaComparison(Expr.BinaryOp op) {
        switch (op) {
            case EQ:
                return "==";
            case NE:
                return "!=";
            case LT:
                return "<";
            case LE:
                return "<=";
            case GT:
                return ">";
            default:
                return ">=";
        }
    }

    /** A Java expression for {@code g}'s value converted to the numeric type {@code to}. */
    String convert(Gen g, DataType to) {
        DataType from = g.type();
        if (from.equals(to) || from.kind() == Kind.NULL) {
            return from.kind() == Kind.NULL ? defaultValue(to) : g.value();
        }
        Long constant = integerLiteral(g.value());
        if (constant != null) {
            // fold conversions of literals, so 'amount < 1.00' compares with a double constant
            switch (to.kind()) {
                case DOUBLE:
                    return Double.toString(from.kind() == Kind.DECIMAL ? SqlFunctions.decimalToDouble(constant, from.scale()) : constant);
                case BIGINT:
                    return constant + "L";
                case DECIMAL:
                    if (from.kind() != Kind.DOUBLE) {
                        try {
                            return SqlFunctions.rescale(constant, Types.scaleOf(from), to.scale()) + "L";
                        } catch (ArithmeticException e) {
                            break; // overflows at run time, where it makes the expression fail
                        }
                    }
                    break;
                default:
                    break;
            }
        }
        switch (to.kind()) {
            case DOUBLE:
                if (from.kind() == Kind.DECIMAL) {
                    return "SqlFunctions.decimalToDouble(" + g.value() + ", " + from.scale() + ")";
                }
                return "((double) " + g.value() + ")";
            case BIGINT:
                return "((long) " + g.value() + ")";
            case DECIMAL:
                if (from.kind() == Kind.DECIMAL) {
                    return "SqlFunctions.rescale(" + g.value() + ", " + from.scale() + ", " + to.scale() + ")";
                }
                if (from.kind() == Kind.DOUBLE) {
                    return "SqlFunctions.doubleToDecimal(" + g.value() + ", " + to.precision() + ", " + to.scale() + ")";
                }
                return "SqlFunctions.scaleUp((long) " + g.value() + ", " + to.scale() + ")";
            default:
                return g.value();
        }
    }

    /** The value of an integer literal as generated ({@code 42}, {@code -7L}), or null. */
    private static Long integerLiteral(String javaExpr) {
        String t = javaExpr.endsWith("L") ? javaExpr.substring(0, javaExpr.length() - 1) : javaExpr;
        if (t.isEmpty() || t.length() > 20) {
            return null;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!(Character.isDigit(c) || (i == 0 && c == '-' && t.length() > 1))) {
                return null;
            }
        }
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private Gen between(Expr.Between b) {
        Gen v = gen(b.value());
        Gen lo = gen(b.low());
        Gen hi = gen(b.high());
        if (v == ERROR || lo == ERROR || hi == ERROR) {
            return ERROR;
        }
        Gen ge = compare(Expr.BinaryOp.GE, v, lo, b.span());
        Gen le = compare(Expr.BinaryOp.LE, v, hi, b.span());
        if (ge == ERROR || le == ERROR) {
            return ERROR;
        }
        Gen both = and(ge, le);
        return b.negated() ? guarded(DataType.BOOLEAN, both.isNull(), "!" + both.value()) : both;
    }

    /** Three-valued AND of two already computed booleans. */
    Gen and(Gen a, Gen b) {
        String n = fresh("n");
        String v = fresh("v");
        emit("boolean " + v + " = !" + a.isNull() + " && !" + b.isNull() + " && " + a.value() + " && " + b.value() + ";");
        emit("boolean " + n + " = !" + v + " && !(!" + a.isNull() + " && !" + a.value() + ") && !(!" + b.isNull() + " && !"
                + b.value() + ");");
        return new Gen(DataType.BOOLEAN, v, n);
    }

    private Gen in(Expr.In in) {
        Gen v = gen(in.value());
        if (v == ERROR) {
            return ERROR;
        }
        String n = fresh("n");
        String r = fresh("v");
        emit("boolean " + n + " = " + v.isNull() + "; boolean " + r + " = false;");
        boolean failed = false;
        for (Expr item : in.list()) {
            Gen[] g = new Gen[1];
            String code = capture(() -> {
                Gen e = gen(item);
                g[0] = e == ERROR ? ERROR : compare(Expr.BinaryOp.EQ, v, e, item.span());
            });
            if (g[0] == ERROR) {
                failed = true;
                continue;
            }
            emit("if (!" + r + ") {");
            out.append(code);
            emit("  if (" + g[0].isNull() + ") { " + n + " = true; } else if (" + g[0].value() + ") { " + r + " = true; " + n
                    + " = false; } }");
        }
        if (failed) {
            return ERROR;
        }
        emit("if (" + r + ") { " + n + " = false; }");
        Gen result = new Gen(DataType.BOOLEAN, r, n);
        return in.negated() ? guarded(DataType.BOOLEAN, n, "!" + r) : result;
    }

    private Gen like(Expr.Like l) {
        Gen v = gen(l.value());
        Gen p = gen(l.pattern());
        Gen esc = l.escape() == null ? null : gen(l.escape());
        if (v == ERROR || p == ERROR || esc == ERROR) {
            return ERROR;
        }
        if (!isStringy(v) || !isStringy(p) || (esc != null && !isStringy(esc))) {
            problems.error(l.span(), "LIKE needs STRING operands", "CAST the value AS STRING");
            return ERROR;
        }
        String escape = "(char) 0";
        String nulls = or(v.isNull(), p.isNull());
        if (esc != null) {
            if (!(l.escape() instanceof Expr.Literal) || ((String) ((Expr.Literal) l.escape()).value()).length() != 1) {
                problems.error(l.escape().span(), "ESCAPE needs a one-character string literal", "write ESCAPE '\\'");
                return ERROR;
            }
            escape = "'" + ("'".equals(((Expr.Literal) l.escape()).value()) ? "\\'"
                    : "\\".equals(((Expr.Literal) l.escape()).value()) ? "\\\\" : ((Expr.Literal) l.escape()).value()) + "'";
        }
        String test = "SqlFunctions.like(" + v.value() + ", " + p.value() + ", " + escape + ")";
        return guarded(DataType.BOOLEAN, nulls, l.negated() ? "!" + test : test);
    }

    private Gen caseWhen(Expr.Case c) {
        List<Gen> conditions = new ArrayList<>();
        List<String> conditionCode = new ArrayList<>();
        List<Gen> results = new ArrayList<>();
        List<String> resultCode = new ArrayList<>();
        Gen operand = c.operand() == null ? null : gen(c.operand());
        if (operand == ERROR) {
            return ERROR;
        }
        boolean failed = false;
        for (Expr.When w : c.whens()) {
            Gen[] g = new Gen[1];
            conditionCode.add(capture(() -> {
                if (operand == null) {
                    Gen cond = gen(w.condition());
                    if (cond != ERROR && !isBoolean(cond)) {
                        problems.error(w.condition().span(), "WHEN needs a BOOLEAN condition, not " + cond.type(), null);
                        cond = ERROR;
                    }
                    g[0] = cond;
                } else {
                    Gen value = gen(w.condition());
                    g[0] = value == ERROR ? ERROR : compare(Expr.BinaryOp.EQ, operand, value, w.condition().span());
                }
            }));
            conditions.add(g[0]);
            Gen[] r = new Gen[1];
            resultCode.add(capture(() -> r[0] = gen(w.result())));
            results.add(r[0]);
            failed |= g[0] == ERROR || r[0] == ERROR;
        }
        Gen[] otherwise = new Gen[1];
        String elseCode = c.elseResult() == null ? "" : capture(() -> otherwise[0] = gen(c.elseResult()));
        if (otherwise[0] == ERROR || failed) {
            return ERROR;
        }
        List<Gen> all = new ArrayList<>(results);
        if (otherwise[0] != null) {
            all.add(otherwise[0]);
        }
        DataType type = Types.common(all, problems, c.span());
        if (type == null) {
            return ERROR;
        }
        String n = fresh("n");
        String v = fresh("v");
        emit("boolean " + n + " = true; " + javaType(type) + " " + v + " = " + defaultValue(type) + ";");
        StringBuilder closing = new StringBuilder();
        for (int i = 0; i < conditions.size(); i++) {
            out.append(conditionCode.get(i));
            Gen cond = conditions.get(i);
            Gen res = results.get(i);
            emit("if (!" + cond.isNull() + " && " + cond.value() + ") {");
            out.append(resultCode.get(i));
            emit("  " + n + " = " + res.isNull() + "; if (!" + n + ") { " + v + " = " + convertAny(res, type) + "; }");
            emit("} else {");
            closing.append('}');
        }
        if (otherwise[0] != null) {
            out.append(elseCode);
            emit("  " + n + " = " + otherwise[0].isNull() + "; if (!" + n + ") { " + v + " = " + convertAny(otherwise[0], type)
                    + "; }");
        }
        emit(closing.toString());
        return new Gen(type, v, n);
    }

    /** Converts to a type {@link Types#common} chose: numeric widening, or the same type. */
    String convertAny(Gen g, DataType to) {
        if (g.type().isNumeric() && to.isNumeric()) {
            return convert(g, to);
        }
        return g.type().kind() == Kind.NULL ? defaultValue(to) : g.value();
    }

    Gen cast(Gen g, DataType to, Span span) {
        DataType from = g.type();
        if (from.kind() == Kind.NULL) {
            return new Gen(to, defaultValue(to), "true");
        }
        if (from.equals(to)) {
            return g;
        }
        String v = g.value();
        String expr = null;
        switch (to.kind()) {
            case STRING:
                switch (from.kind()) {
                    case DECIMAL:
                        expr = "SqlFunctions.decimalToString(" + v + ", " + from.scale() + ")";
                        break;
                    case DOUBLE:
                        expr = "SqlFunctions.doubleToString(" + v + ")";
                        break;
                    case TIMESTAMP:
                        expr = "SqlFunctions.timestampToString(" + v + ")";
                        break;
                    case INTERVAL:
                        break;
                    default:
                        expr = "String.valueOf(" + v + ")";
                }
                break;
            case BOOLEAN:
                if (from.kind() == Kind.STRING) {
                    expr = "SqlFunctions.parseBoolean(" + v + ")";
                } else if (from.kind() == Kind.INT || from.kind() == Kind.BIGINT) {
                    expr = "(" + v + " != 0)";
                }
                break;
            case INT:
                if (from.kind() == Kind.STRING) {
                    expr = "Integer.parseInt(" + v + ".trim())";
                } else if (from.kind() == Kind.BIGINT) {
                    expr = "SqlFunctions.longToInt(" + v + ")";
                } else if (from.kind() == Kind.DOUBLE) {
                    expr = "SqlFunctions.doubleToInt(" + v + ")";
                } else if (from.kind() == Kind.DECIMAL) {
                    expr = "SqlFunctions.longToInt(" + v + " / SqlFunctions.pow10(" + from.scale() + "))";
                } else if (from.kind() == Kind.BOOLEAN) {
                    expr = "(" + v + " ? 1 : 0)";
                }
                break;
            case BIGINT:
                if (from.kind() == Kind.STRING) {
                    expr = "Long.parseLong(" + v + ".trim())";
                } else if (from.kind() == Kind.INT || from.kind() == Kind.TIMESTAMP || from.kind() == Kind.INTERVAL) {
                    expr = "((long) " + v + ")";
                } else if (from.kind() == Kind.DOUBLE) {
                    expr = "SqlFunctions.doubleToLong(" + v + ")";
                } else if (from.kind() == Kind.DECIMAL) {
                    expr = "(" + v + " / SqlFunctions.pow10(" + from.scale() + "))";
                } else if (from.kind() == Kind.BOOLEAN) {
                    expr = "(" + v + " ? 1L : 0L)";
                }
                break;
            case DOUBLE:
                if (from.kind() == Kind.STRING) {
                    expr = "Double.parseDouble(" + v + ".trim())";
                } else if (from.isNumeric()) {
                    expr = convert(g, to);
                }
                break;
            case DECIMAL:
                if (from.kind() == Kind.STRING) {
                    expr = "SqlFunctions.parseDecimal(" + v + ", " + to.precision() + ", " + to.scale() + ")";
                } else if (from.isNumeric()) {
                    expr = "SqlFunctions.checkPrecision(" + convert(g, to) + ", " + to.precision() + ")";
                }
                break;
            case TIMESTAMP:
                if (from.kind() == Kind.STRING) {
                    expr = "SqlFunctions.parseTimestamp(" + v + ")";
                } else if (from.kind() == Kind.BIGINT || from.kind() == Kind.INT) {
                    expr = "((long) " + v + ")";
                }
                break;
            default:
                break;
        }
        if (expr == null) {
            problems.error(span, "cannot CAST " + from + " to " + to, null);
            return ERROR;
        }
        return guarded(to, g.isNull(), expr);
    }

    /** Resolves a written type, reporting unknown ones. */
    DataType type(TypeName name) {
        return Types.resolve(name, problems);
    }
}
