package io.peregrine.dsl.parse;

import io.peregrine.dsl.ast.Expr;
import io.peregrine.dsl.ast.Ident;
import io.peregrine.dsl.ast.MatchRecognize;
import io.peregrine.dsl.ast.ProgramAst;
import io.peregrine.dsl.ast.Query;
import io.peregrine.dsl.ast.RowPattern;
import io.peregrine.dsl.ast.Statement;
import io.peregrine.dsl.ast.TypeName;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Prints syntax trees back to canonical source: keywords upper-case, one clause per line, and
 * parentheses only where precedence needs them. Parsing the output gives the same tree, spans
 * aside, for every tree the parser can produce (names keep their back-quotes; a name that needs
 * them is quoted even if its {@link Ident#quoted()} is false).
 */
public final class AstPrinter {

    // expression precedence, loosest first
    private static final int OR = 1;
    private static final int AND = 2;
    private static final int NOT = 3;
    private static final int COMPARISON = 4;
    private static final int ADDITIVE = 5;
    private static final int MULTIPLICATIVE = 6;
    private static final int UNARY = 7;
    private static final int PRIMARY = 8;

    // row pattern precedence, loosest first
    private static final int ALTERNATION = 1;
    private static final int CONCAT = 2;
    private static final int QUANTIFIED = 3;
    private static final int ATOM = 4;

    private static final Pattern OPTION_KEY = Pattern.compile("[\\p{L}_][\\p{L}\\p{Nd}_]*(\\.[\\p{L}_][\\p{L}\\p{Nd}_]*)*");

    private AstPrinter() {}

    /** The whole program, statements separated by a blank line, each ending with {@code ;}. */
    public static String print(ProgramAst program) {
        StringBuilder sb = new StringBuilder();
        for (Statement s : program.statements()) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(print(s)).append(";\n");
        }
        return sb.toString();
    }

    /** One statement, without the closing {@code ;}. */
    public static String print(Statement statement) {
        StringBuilder sb = new StringBuilder();
        if (statement instanceof Statement.CreateStream) {
            createStream(sb, (Statement.CreateStream) statement);
        } else if (statement instanceof Statement.CreatePattern) {
            Statement.CreatePattern p = (Statement.CreatePattern) statement;
            sb.append("CREATE PATTERN ").append(name(p.name())).append(" AS\n");
            query(sb, p.query());
        } else {
            createFeatures(sb, (Statement.CreateFeatures) statement);
        }
        return sb.toString();
    }

    public static String print(Expr expr) {
        return expr(expr, OR);
    }

    /** A row pattern as written inside {@code PATTERN ( ... )}. */
    public static String print(RowPattern pattern) {
        return pattern(pattern, ALTERNATION);
    }

    public static String print(TypeName type) {
        if (type.params().isEmpty()) {
            return type.name();
        }
        return type.name() + "(" + join(type.params(), String::valueOf) + ")";
    }

    /** A name as it must be written: back-quoted when reserved or not a plain word. */
    public static String name(String name) {
        return Keywords.isPlainName(name) ? name : "`" + name.replace("`", "``") + "`";
    }

    /** A name, back-quoted when it was, or when it must be. */
    public static String name(Ident ident) {
        return ident.quoted() ? "`" + ident.name().replace("`", "``") + "`" : name(ident.name());
    }

    /** A string literal: single quotes, with {@code ''} for a quote. */
    public static String string(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    // ---------------------------------------------------------------- statements

    private static void createStream(StringBuilder sb, Statement.CreateStream s) {
        sb.append("CREATE STREAM ").append(name(s.name())).append(" (");
        String sep = "\n  ";
        for (Statement.ColumnDef c : s.columns()) {
            sb.append(sep).append(name(c.name())).append(' ').append(print(c.type()));
            sep = ",\n  ";
        }
        if (s.watermark() != null) {
            sb.append(sep).append("WATERMARK FOR ").append(name(s.watermark().column())).append(" AS ")
                    .append(print(s.watermark().expression()));
        }
        sb.append("\n)");
        if (!s.options().isEmpty()) {
            sb.append(" WITH (");
            sep = "\n  ";
            for (Statement.Option o : s.options()) {
                sb.append(sep).append(optionKey(o.key())).append(" = ").append(string(o.value()));
                sep = ",\n  ";
            }
            sb.append("\n)");
        }
    }

    private static String optionKey(String key) {
        return OPTION_KEY.matcher(key).matches() ? key : string(key);
    }

    private static void query(StringBuilder sb, Query q) {
        sb.append("SELECT ");
        if (q.select().isEmpty()) {
            sb.append('*');
        } else {
            sb.append(join(q.select(), i -> print(i.expression()) + (i.alias() == null ? "" : " AS " + name(i.alias()))));
        }
        sb.append("\nFROM ").append(name(q.from())).append("\nMATCH_RECOGNIZE (\n");
        matchRecognize(sb, q.matchRecognize());
        sb.append(')');
        if (q.alias() != null) {
            sb.append(" AS ").append(name(q.alias()));
        }
    }

    private static void matchRecognize(StringBuilder sb, MatchRecognize m) {
        if (!m.partitionBy().isEmpty()) {
            sb.append("  PARTITION BY ").append(join(m.partitionBy(), AstPrinter::print)).append('\n');
        }
        if (!m.orderBy().isEmpty()) {
            sb.append("  ORDER BY ")
                    .append(join(m.orderBy(), o -> print(o.expression()) + (o.descending() ? " DESC" : "")))
                    .append('\n');
        }
        if (!m.measures().isEmpty()) {
            sb.append("  MEASURES\n    ")
                    .append(join(m.measures(), x -> print(x.expression()) + " AS " + name(x.alias()), ",\n    "))
                    .append('\n');
        }
        if (m.rowsPerMatch() != null) {
            sb.append("  ").append(rowsPerMatch(m.rowsPerMatch())).append('\n');
        }
        if (m.afterMatch() != null) {
            sb.append("  AFTER MATCH ").append(afterMatch(m.afterMatch())).append('\n');
        }
        if (m.pattern() != null) {
            sb.append("  PATTERN (").append(print(m.pattern())).append(")\n");
        }
        if (m.within() != null) {
            sb.append("  WITHIN ").append(expr(m.within(), ADDITIVE)).append('\n');
        }
        if (m.gapWithin() != null) {
            sb.append("  WITHIN ").append(expr(m.gapWithin(), ADDITIVE)).append(" BETWEEN ROWS\n");
        }
        if (m.emitTimeouts()) {
            sb.append("  EMIT TIMEOUTS\n");
        }
        if (!m.subsets().isEmpty()) {
            sb.append("  SUBSET ")
                    .append(join(m.subsets(), x -> name(x.name()) + " = (" + join(x.variables(), AstPrinter::name) + ")"))
                    .append('\n');
        }
        if (!m.defines().isEmpty()) {
            sb.append("  DEFINE\n    ").append(join(m.defines(), d -> name(d.variable()) + " AS " + print(d.condition())
                    + (d.until() == null ? "" : " UNTIL " + print(d.until())), ",\n    ")).append('\n');
        }
    }

    private static String rowsPerMatch(MatchRecognize.RowsPerMatch r) {
        switch (r) {
            case ONE:
                return "ONE ROW PER MATCH";
            case ALL:
                return "ALL ROWS PER MATCH";
            case ALL_OMIT_EMPTY:
                return "ALL ROWS PER MATCH OMIT EMPTY MATCHES";
            default:
                return "ALL ROWS PER MATCH WITH UNMATCHED ROWS";
        }
    }

    private static String afterMatch(MatchRecognize.AfterMatch a) {
        switch (a.kind()) {
            case PAST_LAST_ROW:
                return "SKIP PAST LAST ROW";
            case TO_NEXT_ROW:
                return "SKIP TO NEXT ROW";
            case TO_FIRST:
                return "SKIP TO FIRST " + name(a.variable());
            case TO_LAST:
                return "SKIP TO LAST " + name(a.variable());
            default:
                return "NO SKIP";
        }
    }

    private static void createFeatures(StringBuilder sb, Statement.CreateFeatures f) {
        sb.append("CREATE FEATURES ").append(name(f.name())).append(" ON ").append(name(f.stream()))
                .append(" KEY ").append(join(f.key(), AstPrinter::name)).append(" (");
        String sep = "\n  ";
        for (Statement.FeatureDef d : f.features()) {
            sb.append(sep).append(name(d.name())).append(" = ").append(print(d.aggregate()));
            if (d.filter() != null) {
                sb.append(" FILTER (WHERE ").append(print(d.filter())).append(')');
            }
            if (d.fromPattern() != null) {
                sb.append(" FROM ").append(name(d.fromPattern()));
            }
            if (d.window() != null) {
                Statement.Window w = d.window();
                if (w.kind() == Statement.WindowKind.SLIDING) {
                    sb.append(" OVER SLIDING ").append(print(w.size()));
                } else {
                    sb.append(" OVER HOPPING ").append(print(w.size())).append(" EVERY ").append(print(w.hop()));
                }
            }
            sep = ",\n  ";
        }
        sb.append("\n)");
    }

    // ---------------------------------------------------------------- expressions

    private static int precedence(Expr e) {
        if (e instanceof Expr.Binary) {
            return precedence(((Expr.Binary) e).op());
        }
        if (e instanceof Expr.Unary) {
            return ((Expr.Unary) e).op() == Expr.UnaryOp.NOT ? NOT : UNARY;
        }
        if (e instanceof Expr.IsNull || e instanceof Expr.Between || e instanceof Expr.In || e instanceof Expr.Like) {
            return COMPARISON;
        }
        if (e instanceof Expr.Literal && isNegative((Expr.Literal) e)) {
            return UNARY;
        }
        return PRIMARY;
    }

    private static int precedence(Expr.BinaryOp op) {
        switch (op) {
            case OR:
                return OR;
            case AND:
                return AND;
            case ADD:
            case SUBTRACT:
            case CONCAT:
                return ADDITIVE;
            case MULTIPLY:
            case DIVIDE:
            case MODULO:
                return MULTIPLICATIVE;
            default:
                return COMPARISON;
        }
    }

    /** How an operator is written: {@code +}, {@code <=}, {@code AND}, {@code ||}. */
    public static String symbol(Expr.BinaryOp op) {
        switch (op) {
            case OR:
                return "OR";
            case AND:
                return "AND";
            case EQ:
                return "=";
            case NE:
                return "<>";
            case LT:
                return "<";
            case LE:
                return "<=";
            case GT:
                return ">";
            case GE:
                return ">=";
            case ADD:
                return "+";
            case SUBTRACT:
                return "-";
            case MULTIPLY:
                return "*";
            case DIVIDE:
                return "/";
            case MODULO:
                return "%";
            default:
                return "||";
        }
    }

    /** {@code e}, in parentheses when it binds looser than its context needs. */
    private static String expr(Expr e, int context) {
        String s = raw(e);
        return precedence(e) < context ? "(" + s + ")" : s;
    }

    private static String raw(Expr e) {
        if (e instanceof Expr.Literal) {
            return literal((Expr.Literal) e);
        }
        if (e instanceof Expr.IntervalLiteral) {
            Expr.IntervalLiteral i = (Expr.IntervalLiteral) e;
            return "INTERVAL " + string(i.value()) + " " + i.unit().name();
        }
        if (e instanceof Expr.TimestampLiteral) {
            return "TIMESTAMP " + string(((Expr.TimestampLiteral) e).value());
        }
        if (e instanceof Expr.ColumnRef) {
            Expr.ColumnRef c = (Expr.ColumnRef) e;
            return (c.qualifier() == null ? "" : name(c.qualifier()) + ".") + name(c.column());
        }
        if (e instanceof Expr.Star) {
            Expr.Star s = (Expr.Star) e;
            return s.qualifier() == null ? "*" : name(s.qualifier()) + ".*";
        }
        if (e instanceof Expr.Unary) {
            Expr.Unary u = (Expr.Unary) e;
            if (u.op() == Expr.UnaryOp.NOT) {
                return "NOT " + expr(u.operand(), NOT);
            }
            String operand = expr(u.operand(), UNARY);
            String sign = u.op() == Expr.UnaryOp.NEGATE ? "-" : "+";
            // "- -x", never "--x" (a comment)
            return operand.startsWith("-") || operand.startsWith("+") ? sign + " " + operand : sign + operand;
        }
        if (e instanceof Expr.Binary) {
            Expr.Binary b = (Expr.Binary) e;
            int p = precedence(b.op());
            return expr(b.left(), p) + " " + symbol(b.op()) + " " + expr(b.right(), p + 1);
        }
        if (e instanceof Expr.IsNull) {
            Expr.IsNull n = (Expr.IsNull) e;
            return expr(n.operand(), COMPARISON) + (n.negated() ? " IS NOT NULL" : " IS NULL");
        }
        if (e instanceof Expr.Between) {
            Expr.Between b = (Expr.Between) e;
            return expr(b.value(), COMPARISON) + (b.negated() ? " NOT BETWEEN " : " BETWEEN ")
                    + expr(b.low(), ADDITIVE) + " AND " + expr(b.high(), ADDITIVE);
        }
        if (e instanceof Expr.In) {
            Expr.In in = (Expr.In) e;
            return expr(in.value(), COMPARISON) + (in.negated() ? " NOT IN (" : " IN (")
                    + join(in.list(), AstPrinter::print) + ")";
        }
        if (e instanceof Expr.Like) {
            Expr.Like l = (Expr.Like) e;
            return expr(l.value(), COMPARISON) + (l.negated() ? " NOT LIKE " : " LIKE ") + expr(l.pattern(), ADDITIVE)
                    + (l.escape() == null ? "" : " ESCAPE " + expr(l.escape(), ADDITIVE));
        }
        if (e instanceof Expr.Case) {
            Expr.Case c = (Expr.Case) e;
            StringBuilder sb = new StringBuilder("CASE");
            if (c.operand() != null) {
                sb.append(' ').append(print(c.operand()));
            }
            for (Expr.When w : c.whens()) {
                sb.append(" WHEN ").append(print(w.condition())).append(" THEN ").append(print(w.result()));
            }
            if (c.elseResult() != null) {
                sb.append(" ELSE ").append(print(c.elseResult()));
            }
            return sb.append(" END").toString();
        }
        if (e instanceof Expr.Cast) {
            Expr.Cast c = (Expr.Cast) e;
            return "CAST(" + print(c.operand()) + " AS " + print(c.type()) + ")";
        }
        Expr.Call c = (Expr.Call) e;
        String prefix = c.semantics() == Expr.Semantics.DEFAULT ? "" : c.semantics().name() + " ";
        return prefix + name(c.name()) + "(" + (c.distinct() ? "DISTINCT " : "") + join(c.args(), AstPrinter::print) + ")";
    }

    private static boolean isNegative(Expr.Literal l) {
        Object v = l.value();
        if (v instanceof Long) {
            return (Long) v < 0;
        }
        if (v instanceof BigDecimal) {
            return ((BigDecimal) v).signum() < 0;
        }
        if (v instanceof Double) {
            return ((Double) v) < 0 || 1 / (Double) v < 0;
        }
        return false;
    }

    private static String literal(Expr.Literal l) {
        Object v = l.value();
        switch (l.kind()) {
            case NULL:
                return "NULL";
            case BOOLEAN:
                return Boolean.TRUE.equals(v) ? "TRUE" : "FALSE";
            case STRING:
                return string(String.valueOf(v));
            case INTEGER: {
                long n = ((Number) v).longValue();
                // Long.MIN_VALUE reads back as itself; other negatives read back as a negation
                return n < 0 && n != Long.MIN_VALUE ? "(" + n + ")" : Long.toString(n);
            }
            case DECIMAL: {
                BigDecimal d = (BigDecimal) v;
                String s = d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
                if (s.indexOf('.') < 0) {
                    s = s + ".";
                }
                return d.signum() < 0 ? "(" + s + ")" : s;
            }
            default: {
                double d = ((Number) v).doubleValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    return "CAST(" + string(Double.toString(d)) + " AS DOUBLE)";
                }
                String s = Double.toString(d);
                if (s.indexOf('E') < 0) {
                    s = s + "E0";
                }
                return isNegative(l) ? "(" + s + ")" : s;
            }
        }
    }

    // ---------------------------------------------------------------- row patterns

    private static int precedence(RowPattern p) {
        if (p instanceof RowPattern.Alternation) {
            return ((RowPattern.Alternation) p).alternatives().size() == 1 ? ATOM : ALTERNATION;
        }
        if (p instanceof RowPattern.Concat) {
            return CONCAT;
        }
        return p instanceof RowPattern.Quantified ? QUANTIFIED : ATOM;
    }

    private static String pattern(RowPattern p, int context) {
        String s = rawPattern(p);
        return precedence(p) < context ? "(" + s + ")" : s;
    }

    private static String rawPattern(RowPattern p) {
        if (p instanceof RowPattern.Var) {
            return name(((RowPattern.Var) p).name());
        }
        if (p instanceof RowPattern.Alternation) {
            List<RowPattern> alternatives = ((RowPattern.Alternation) p).alternatives();
            if (alternatives.size() == 1) {
                return pattern(alternatives.get(0), ATOM);
            }
            return join(alternatives, a -> pattern(a, CONCAT), " | ");
        }
        if (p instanceof RowPattern.Concat) {
            RowPattern.Concat c = (RowPattern.Concat) p;
            StringBuilder sb = new StringBuilder(pattern(c.items().get(0), QUANTIFIED));
            for (int i = 1; i < c.items().size(); i++) {
                sb.append(link(c.links().get(i - 1))).append(pattern(c.items().get(i), QUANTIFIED));
            }
            return sb.toString();
        }
        if (p instanceof RowPattern.Quantified) {
            RowPattern.Quantified q = (RowPattern.Quantified) p;
            String loop = q.loop() == RowPattern.Contiguity.RELAXED ? "->" : q.loop() == RowPattern.Contiguity.ANY ? "->>" : "";
            return pattern(q.body(), ATOM) + loop + quantifier(q.min(), q.max()) + (q.reluctant() ? "?" : "");
        }
        if (p instanceof RowPattern.Permute) {
            return "PERMUTE(" + join(((RowPattern.Permute) p).items(), AstPrinter::print) + ")";
        }
        if (p instanceof RowPattern.Exclusion) {
            return "{- " + print(((RowPattern.Exclusion) p).body()) + " -}";
        }
        if (p instanceof RowPattern.Anchor) {
            return ((RowPattern.Anchor) p).start() ? "^" : "$";
        }
        return "!" + name(((RowPattern.Not) p).variable().name());
    }

    private static String link(RowPattern.Contiguity c) {
        switch (c) {
            case RELAXED:
                return " -> ";
            case ANY:
                return " ->> ";
            default:
                return " ";
        }
    }

    private static String quantifier(int min, int max) {
        boolean unbounded = max == RowPattern.Quantified.UNBOUNDED;
        if (min == 0 && unbounded) {
            return "*";
        }
        if (min == 1 && unbounded) {
            return "+";
        }
        if (min == 0 && max == 1) {
            return "?";
        }
        if (unbounded) {
            return "{" + min + ",}";
        }
        if (min == max) {
            return "{" + min + "}";
        }
        return min == 0 ? "{," + max + "}" : "{" + min + "," + max + "}";
    }

    // ---------------------------------------------------------------- helpers

    private static <T> String join(List<T> items, Function<T, String> f) {
        return join(items, f, ", ");
    }

    private static <T> String join(List<T> items, Function<T, String> f, String separator) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                sb.append(separator);
            }
            sb.append(f.apply(items.get(i)));
        }
        return sb.toString();
    }
}
