package io.peregrine.dsl.compile;

import io.peregrine.dsl.ast.Expr.BinaryOp;
import io.peregrine.dsl.ast.Span;
import io.peregrine.dsl.parse.AstPrinter;
import io.peregrine.dsl.compile.ExprCodegen.Gen;
import io.peregrine.dsl.schema.DataType;
import io.peregrine.dsl.schema.DataType.Kind;

/**
 * + - * / % over numbers, timestamps and intervals. INT and BIGINT wrap around like Java and Flink;
 * DECIMAL is exact (scaled longs) and fails on overflow; division by zero fails. A failing
 * operation makes the whole condition false or the measure NULL.
 */
final class Arithmetic {

    private Arithmetic() {}

    static Gen apply(ExprCodegen g, BinaryOp op, Gen l, Gen r, Span span) {
        String nulls = ExprCodegen.or(l.isNull(), r.isNull());
        Kind lk = l.type().kind();
        Kind rk = r.type().kind();
        if (lk == Kind.NULL || rk == Kind.NULL) {
            DataType t = lk == Kind.NULL ? r.type() : l.type();
            return new Gen(t.kind() == Kind.NULL ? DataType.INT : t, ExprCodegen.defaultValue(t), "true");
        }
        // time arithmetic
        if (lk == Kind.TIMESTAMP || lk == Kind.INTERVAL || rk == Kind.TIMESTAMP || rk == Kind.INTERVAL) {
            return time(g, op, l, r, span, nulls);
        }
        if (!l.type().isNumeric() || !r.type().isNumeric()) {
            g.problems.error(span, "operator " + symbol(op) + " needs numbers, not " + l.type() + " and " + r.type(),
                    lk == Kind.STRING && op == BinaryOp.ADD ? "concatenate strings with ||" : null);
            return ExprCodegen.ERROR;
        }
        DataType common = Types.commonNumeric(l.type(), r.type());
        if (common.kind() == Kind.DECIMAL) {
            return decimal(g, op, l, r, span, nulls);
        }
        String a = g.convert(l, common);
        String b = g.convert(r, common);
        boolean isInt = common.kind() == Kind.INT;
        switch (op) {
            case ADD:
                return g.guarded(common, nulls, a + " + " + b);
            case SUBTRACT:
                return g.guarded(common, nulls, a + " - " + b);
            case MULTIPLY:
                return g.guarded(common, nulls, a + " * " + b);
            case DIVIDE:
                if (common.kind() == Kind.DOUBLE) {
                    return g.guarded(common, nulls, a + " / " + b);
                }
                return g.guarded(common, nulls, (isInt ? "SqlFunctions.divideInt(" : "SqlFunctions.divideLong(") + a + ", " + b + ")");
            default:
                if (common.kind() == Kind.DOUBLE) {
                    return g.guarded(common, nulls, a + " % " + b);
                }
                return g.guarded(common, nulls, (isInt ? "SqlFunctions.modInt(" : "SqlFunctions.modLong(") + a + ", " + b + ")");
        }
    }

    private static Gen decimal(ExprCodegen g, BinaryOp op, Gen l, Gen r, Span span, String nulls) {
        int sl = Types.scaleOf(l.type());
        int sr = Types.scaleOf(r.type());
        int max = DataType.MAX_DECIMAL_PRECISION;
        switch (op) {
            case ADD:
            case SUBTRACT: {
                DataType t = DataType.decimal(max, Math.max(sl, sr));
                String fn = op == BinaryOp.ADD ? "Math.addExact(" : "Math.subtractExact(";
                return g.guarded(t, nulls, fn + g.convert(l, t) + ", " + g.convert(r, t) + ")");
            }
            case MULTIPLY: {
                if (sl + sr > max) {
                    g.problems.error(span, "the product's scale " + (sl + sr) + " exceeds " + max, "CAST an operand AS DOUBLE");
                    return ExprCodegen.ERROR;
                }
                DataType t = DataType.decimal(max, sl + sr);
                String a = g.convert(l, DataType.decimal(max, sl));
                String b = g.convert(r, DataType.decimal(max, sr));
                return g.guarded(t, nulls, "Math.multiplyExact(" + a + ", " + b + ")");
            }
            case DIVIDE: {
                DataType t = DataType.decimal(max, Math.max(6, sl));
                String a = g.convert(l, DataType.decimal(max, sl));
                String b = g.convert(r, DataType.decimal(max, sr));
                return g.guarded(t, nulls, "SqlFunctions.divideDecimal(" + a + ", " + sl + ", " + b + ", " + sr + ", " + t.scale() + ")");
            }
            default: {
                DataType t = DataType.decimal(max, Math.max(sl, sr));
                return g.guarded(t, nulls, "SqlFunctions.modLong(" + g.convert(l, t) + ", " + g.convert(r, t) + ")");
            }
        }
    }

    private static Gen time(ExprCodegen g, BinaryOp op, Gen l, Gen r, Span span, String nulls) {
        Kind lk = l.type().kind();
        Kind rk = r.type().kind();
        boolean integral = rk == Kind.INT || rk == Kind.BIGINT;
        if (op == BinaryOp.ADD || op == BinaryOp.SUBTRACT) {
            String sign = op == BinaryOp.ADD ? " + " : " - ";
            if (lk == Kind.TIMESTAMP && rk == Kind.INTERVAL) {
                return g.guarded(DataType.TIMESTAMP, nulls, l.value() + sign + r.value());
            }
            if (lk == Kind.INTERVAL && rk == Kind.TIMESTAMP && op == BinaryOp.ADD) {
                return g.guarded(DataType.TIMESTAMP, nulls, l.value() + sign + r.value());
            }
            if (lk == Kind.INTERVAL && rk == Kind.INTERVAL) {
                return g.guarded(DataType.INTERVAL, nulls, l.value() + sign + r.value());
            }
            if (lk == Kind.TIMESTAMP && rk == Kind.TIMESTAMP && op == BinaryOp.SUBTRACT) {
                return g.guarded(DataType.INTERVAL, nulls, l.value() + sign + r.value());
            }
        } else if (op == BinaryOp.MULTIPLY && lk == Kind.INTERVAL && integral) {
            return g.guarded(DataType.INTERVAL, nulls, l.value() + " * (long) " + r.value());
        } else if (op == BinaryOp.MULTIPLY && rk == Kind.INTERVAL && (lk == Kind.INT || lk == Kind.BIGINT)) {
            return g.guarded(DataType.INTERVAL, nulls, "(long) " + l.value() + " * " + r.value());
        } else if (op == BinaryOp.DIVIDE && lk == Kind.INTERVAL && integral) {
            return g.guarded(DataType.INTERVAL, nulls, "SqlFunctions.divideLong(" + l.value() + ", (long) " + r.value() + ")");
        }
        g.problems.error(span, "operator " + symbol(op) + " is not defined for " + l.type() + " and " + r.type(),
                "add or subtract an INTERVAL, e.g. ts + INTERVAL '5' MINUTE");
        return ExprCodegen.ERROR;
    }

    static String symbol(BinaryOp op) {
        return AstPrinter.symbol(op);
    }
}
