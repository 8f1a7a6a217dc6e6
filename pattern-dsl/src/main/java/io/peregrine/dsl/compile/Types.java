package io.peregrine.dsl.compile;

import io.peregrine.dsl.ast.Expr;
import io.peregrine.dsl.ast.Span;
import io.peregrine.dsl.ast.TypeName;
import io.peregrine.dsl.compile.ExprCodegen.Gen;
import io.peregrine.dsl.schema.DataType;
import io.peregrine.dsl.schema.DataType.Kind;
import java.math.BigDecimal;
import java.util.List;

/** Type names, implicit numeric widening and interval units. */
final class Types {

    private Types() {}

    static final List<String> TYPE_NAMES =
            List.of("STRING", "BOOLEAN", "INT", "BIGINT", "DOUBLE", "DECIMAL(p, s)", "TIMESTAMP(3)");

    /** The type a written name denotes, or null after reporting it. */
    static DataType resolve(TypeName t, Problems problems) {
        String name = t.name().toUpperCase(java.util.Locale.ROOT);
        List<Integer> p = t.params();
        switch (name) {
            case "STRING":
                return noParams(t, DataType.STRING, problems);
            case "VARCHAR":
            case "CHAR":
                problems.error(t.span(), "unsupported type " + t.name(), "write STRING (strings have no length limit)");
                return null;
            case "BOOLEAN":
                return noParams(t, DataType.BOOLEAN, problems);
            case "INT":
            case "INTEGER":
                return noParams(t, DataType.INT, problems);
            case "BIGINT":
                return noParams(t, DataType.BIGINT, problems);
            case "DOUBLE":
                return noParams(t, DataType.DOUBLE, problems);
            case "FLOAT":
            case "REAL":
                problems.error(t.span(), "unsupported type " + t.name(), "write DOUBLE");
                return null;
            case "TINYINT":
            case "SMALLINT":
                problems.error(t.span(), "unsupported type " + t.name(), "write INT");
                return null;
            case "DECIMAL":
            case "NUMERIC": {
                int precision = p.isEmpty() ? 10 : p.get(0);
                int scale = p.size() > 1 ? p.get(1) : 0;
                if (p.size() > 2 || precision < 1 || precision > DataType.MAX_DECIMAL_PRECISION || scale > precision) {
                    problems.error(t.span(), "DECIMAL(" + precision + ", " + scale + ") is out of range",
                            "precision is 1 to " + DataType.MAX_DECIMAL_PRECISION + " and scale 0 to the precision;"
                                    + " use DOUBLE for wider values");
                    return null;
                }
                return DataType.decimal(precision, scale);
            }
            case "TIMESTAMP":
                if (!p.isEmpty() && !(p.size() == 1 && p.get(0) == 3)) {
                    problems.error(t.span(), "only TIMESTAMP(3) (milliseconds) is supported", "write TIMESTAMP(3)");
                    return null;
                }
                return DataType.TIMESTAMP;
            case "TIMESTAMP_LTZ":
                problems.error(t.span(), "unsupported type " + t.name(), "write TIMESTAMP(3); timestamps are UTC");
                return null;
            default:
                problems.error(t.span(), "unknown type " + t.name(), Names.hint(t.name(),
                        List.of("STRING", "BOOLEAN", "INT", "BIGINT", "DOUBLE", "DECIMAL", "TIMESTAMP"), "types are"));
                return null;
        }
    }

    private static DataType noParams(TypeName t, DataType type, Problems problems) {
        if (!t.params().isEmpty()) {
            problems.error(t.span(), type + " takes no parameters", "write " + type);
            return null;
        }
        return type;
    }

    /** The type both numeric operands widen to. */
    static DataType commonNumeric(DataType a, DataType b) {
        if (a.kind() == Kind.NULL) {
            return b;
        }
        if (b.kind() == Kind.NULL) {
            return a;
        }
        if (a.kind() == Kind.DOUBLE || b.kind() == Kind.DOUBLE) {
            return DataType.DOUBLE;
        }
        if (a.kind() == Kind.DECIMAL || b.kind() == Kind.DECIMAL) {
            int scale = Math.max(scaleOf(a), scaleOf(b));
            return DataType.decimal(DataType.MAX_DECIMAL_PRECISION, scale);
        }
        if (a.kind() == Kind.BIGINT || b.kind() == Kind.BIGINT) {
            return DataType.BIGINT;
        }
        return DataType.INT;
    }

    static int scaleOf(DataType t) {
        return t.kind() == Kind.DECIMAL ? t.scale() : 0;
    }

    /** The common type of CASE branches, COALESCE arguments and the like, or null after reporting. */
    static DataType common(List<Gen> values, Problems problems, Span span) {
        DataType result = DataType.NULL;
        for (Gen g : values) {
            DataType t = g.type();
            if (t.kind() == Kind.NULL) {
                continue;
            }
            if (result.kind() == Kind.NULL) {
                result = t;
            } else if (result.isNumeric() && t.isNumeric()) {
                result = commonNumeric(result, t);
            } else if (!result.equals(t)) {
                problems.error(span, "incompatible types " + result + " and " + t, castHint(result, t));
                return null;
            }
        }
        return result;
    }

    static String castHint(DataType a, DataType b) {
        return "CAST one side, e.g. CAST(x AS " + (a.kind() == Kind.STRING ? b : a) + ")";
    }

    /** Milliseconds of an interval literal, or null after reporting. */
    static Long intervalMillis(Expr.IntervalLiteral i, Problems problems) {
        BigDecimal amount;
        try {
            amount = new BigDecimal(i.value().trim());
        } catch (NumberFormatException e) {
            problems.error(i.span(), "invalid interval '" + i.value() + "'", "write a number, e.g. INTERVAL '10' MINUTE");
            return null;
        }
        long unit;
        switch (i.unit()) {
            case MILLISECOND:
                unit = 1;
                break;
            case SECOND:
                unit = 1000;
                break;
            case MINUTE:
                unit = 60_000;
                break;
            case HOUR:
                unit = 3_600_000;
                break;
            default:
                unit = 86_400_000;
        }
        BigDecimal millis = amount.multiply(BigDecimal.valueOf(unit));
        if (millis.stripTrailingZeros().scale() > 0) {
            problems.error(i.span(), "interval '" + i.value() + "' " + i.unit() + " is not a whole number of milliseconds", null);
            return null;
        }
        try {
            return millis.longValueExact();
        } catch (ArithmeticException e) {
            problems.error(i.span(), "interval is too long", null);
            return null;
        }
    }
}
