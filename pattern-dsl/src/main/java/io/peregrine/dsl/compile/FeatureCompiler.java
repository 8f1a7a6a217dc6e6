package io.peregrine.dsl.compile;

import io.peregrine.dsl.CompiledPattern;
import io.peregrine.dsl.StreamDef;
import io.peregrine.dsl.ast.Expr;
import io.peregrine.dsl.ast.Ident;
import io.peregrine.dsl.ast.Statement;
import io.peregrine.dsl.schema.Column;
import io.peregrine.dsl.schema.DataType;
import io.peregrine.dsl.schema.Row;
import io.peregrine.dsl.schema.Schema;
import io.peregrine.feature.Aggregate;
import io.peregrine.feature.AggregateKind;
import io.peregrine.feature.EventExtractor;
import io.peregrine.feature.EventFilter;
import io.peregrine.feature.FeatureDefinition;
import io.peregrine.feature.FeatureSetDefinition;
import io.peregrine.feature.ValueKind;
import io.peregrine.feature.Window;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles {@code CREATE FEATURES name ON input KEY column (...)} into a feature-store definition
 * over rows: each feature's argument and FILTER condition become generated classes (like DEFINE
 * conditions) that read columns by index, unboxed. The input is a stream or a pattern (its output
 * rows: the PARTITION BY columns then the MEASURES, timed by their emission).
 */
final class FeatureCompiler {

    static final List<String> AGGREGATES = List.of("COUNT", "SUM", "AVG", "MIN", "MAX", "STDDEV", "STDDEV_POP",
            "STDDEV_SAMP", "VARIANCE", "VAR_POP", "VAR_SAMP", "FIRST", "LAST", "LAST_N", "APPROX_COUNT_DISTINCT",
            "APPROX_PERCENTILE", "TIME_SINCE_LAST");

    private static int classes;

    private final Problems problems;
    private final Statement.CreateFeatures statement;
    private final Map<String, StreamDef> streams;
    private final List<CompiledPattern> patterns;
    private final String source;

    FeatureCompiler(Problems problems, String source, Statement.CreateFeatures statement, Map<String, StreamDef> streams,
                    List<CompiledPattern> patterns) {
        this.problems = problems;
        this.source = source;
        this.statement = statement;
        this.streams = streams;
        this.patterns = patterns;
    }

    /** The definition, or null after reporting problems. */
    FeatureSetDefinition<Row> compile() {
        int before = problems.errorCount();
        Ident input = statement.stream();
        Schema schema = null;
        StreamDef stream = streams.get(input.name());
        if (stream != null) {
            schema = stream.schema();
        } else {
            for (CompiledPattern p : patterns) {
                if (p.name().equals(input.name())) {
                    schema = p.outputSchema();
                }
            }
        }
        if (schema == null) {
            List<String> names = new ArrayList<>(streams.keySet());
            patterns.forEach(p -> names.add(p.name()));
            problems.error(input.span(), "unknown stream or pattern '" + input.name() + "'",
                    Names.hint(input.name(), names, "streams and patterns are"));
            return null;
        }
        String keyColumn = null;
        if (statement.key().size() != 1) {
            problems.error(statement.key().get(statement.key().size() > 1 ? 1 : 0).span(),
                    "a feature set has exactly one KEY column",
                    "key by one column; derive a combined key column in the stream if needed");
        } else {
            Ident key = statement.key().get(0);
            Column c = schema.find(key.name()).orElse(null);
            if (c == null) {
                problems.error(key.span(), "unknown column '" + key.name() + "' in KEY",
                        Names.hint(key.name(), schema.names(), "columns are"));
            } else if (c.type().kind() != DataType.Kind.STRING && c.type().kind() != DataType.Kind.BIGINT
                    && c.type().kind() != DataType.Kind.INT) {
                problems.error(key.span(), "a KEY column must be STRING, BIGINT or INT, not " + c.type(), null);
            } else {
                keyColumn = c.name();
            }
        }
        List<FeatureDefinition<Row>> features = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Statement.FeatureDef f : statement.features()) {
            if (!names.add(f.name().name())) {
                problems.error(f.name().span(), "feature '" + f.name().name() + "' is defined twice",
                        "every feature of a set needs its own name");
                continue;
            }
            FeatureDefinition<Row> d = feature(f, schema);
            if (d != null) {
                features.add(d);
            }
        }
        if (statement.features().isEmpty()) {
            problems.error(statement.name().span(), "feature set " + statement.name().name() + " has no features", null);
        }
        if (problems.errorCount() > before || keyColumn == null) {
            return null;
        }
        return new FeatureSetDefinition<>(statement.name().name(), input.name(), keyColumn, features, 0);
    }

    private FeatureDefinition<Row> feature(Statement.FeatureDef f, Schema schema) {
        if (f.fromPattern() != null) {
            problems.error(f.fromPattern().span(), "FROM pattern inside a feature set is not supported",
                    "declare a feature set over the pattern's rows: CREATE FEATURES name ON " + f.fromPattern().name()
                            + " KEY column (...)");
            return null;
        }
        if (!(f.aggregate() instanceof Expr.Call call) || !AGGREGATES.contains(call.name())) {
            String name = f.aggregate() instanceof Expr.Call c ? c.name() : null;
            problems.error(f.aggregate().span(), name == null ? "a feature is an aggregate call"
                    : "unknown aggregate " + name, name == null ? "write e.g. COUNT(*) or SUM(amount)"
                    : Names.hint(name, AGGREGATES, "aggregates are"));
            return null;
        }
        AggregateKind kind = kind(call);
        List<Expr> args = call.args();
        int arity = switch (kind) {
            case TIME_SINCE_LAST -> 0;
            case LAST_N, APPROX_PERCENTILE -> 2;
            default -> 1;
        };
        if (args.size() != arity) {
            problems.error(call.span(), call.name() + " takes " + arity + " argument" + (arity == 1 ? "" : "s")
                    + ", not " + args.size(), usage(kind));
            return null;
        }
        Window window = window(f.window());
        boolean star = arity == 1 && args.get(0) instanceof Expr.Star;
        if (star && kind != AggregateKind.COUNT) {
            problems.error(args.get(0).span(), "'*' is only allowed as the argument of COUNT", usage(kind));
            return null;
        }
        if (star && ((Expr.Star) args.get(0)).qualifier() != null) {
            problems.error(args.get(0).span(), "a feature reads one row: write COUNT(*)", null);
            return null;
        }
        EventExtractor<Row> extractor = null;
        ValueKind valueKind = ValueKind.NONE;
        if (arity > 0 && !star) {
            DataType type = typeOf(args.get(0), schema);
            if (type == null) {
                return null;
            }
            valueKind = valueKind(type);
            if (valueKind == null) {
                problems.error(args.get(0).span(), "cannot aggregate a value of type " + type, usage(kind));
                return null;
            }
            extractor = extractor(args.get(0), schema, valueKind);
        }
        int n = 0;
        double fraction = 0;
        if (kind == AggregateKind.LAST_N) {
            Long v = integer(args.get(1));
            if (v == null || v < 1 || v > Aggregate.MAX_LAST_N) {
                problems.error(args.get(1).span(), "LAST_N's count must be an integer literal in 1.." + Aggregate.MAX_LAST_N,
                        usage(kind));
                return null;
            }
            n = v.intValue();
        }
        if (kind == AggregateKind.APPROX_PERCENTILE) {
            Double v = number(args.get(1));
            if (v == null || v < 0 || v > 1) {
                problems.error(args.get(1).span(), "the percentile must be a number literal in [0, 1]", usage(kind));
                return null;
            }
            fraction = v;
        }
        String typeProblem = Aggregate.problem(kind, valueKind, n, fraction);
        if (typeProblem != null) {
            problems.error(args.isEmpty() ? call.span() : args.get(0).span(), typeProblem, usage(kind));
            return null;
        }
        EventFilter<Row> filter = f.filter() == null ? null : filter(f.filter(), schema);
        if (window == null || (f.filter() != null && filter == null)) {
            return null;
        }
        String text = f.span().end() <= source.length()
                ? source.substring(f.span().start(), f.span().end()).replaceAll("\\s+", " ") : f.name().name();
        return new FeatureDefinition<>(f.name().name(), new Aggregate(kind, valueKind, n, fraction), extractor, filter,
                window, text);
    }

    private static AggregateKind kind(Expr.Call call) {
        return switch (call.name()) {
            case "COUNT" -> call.distinct() ? AggregateKind.COUNT_DISTINCT : AggregateKind.COUNT;
            case "STDDEV", "STDDEV_SAMP" -> AggregateKind.STDDEV_SAMP;
            case "VARIANCE", "VAR_SAMP" -> AggregateKind.VAR_SAMP;
            default -> AggregateKind.valueOf(call.name());
        };
    }

    private static String usage(AggregateKind kind) {
        return switch (kind) {
            case COUNT -> "write COUNT(*), COUNT(column) or COUNT(DISTINCT column)";
            case LAST_N -> "write LAST_N(column, 5)";
            case APPROX_PERCENTILE -> "write APPROX_PERCENTILE(amount, 0.95)";
            case TIME_SINCE_LAST -> "write TIME_SINCE_LAST()";
            case SUM, AVG, STDDEV_POP, STDDEV_SAMP, VAR_POP, VAR_SAMP -> "aggregate a numeric column, e.g. SUM(amount)";
            default -> "write e.g. " + kind + "(column)";
        };
    }

    private Window window(Statement.Window w) {
        if (w == null) {
            return Window.LIFETIME;
        }
        Long size = interval(w.size());
        if (w.kind() == Statement.WindowKind.SLIDING) {
            return size == null ? null : new Window.Sliding(size);
        }
        Long hop = interval(w.hop());
        if (size == null || hop == null) {
            return null;
        }
        if (size % hop != 0) {
            problems.error(w.hop().span(), "a hopping window's size (" + size + " ms) must be a whole number of hops ("
                    + hop + " ms)", "e.g. OVER HOPPING INTERVAL '1' DAY EVERY INTERVAL '1' HOUR");
            return null;
        }
        return new Window.Hopping(size, hop);
    }

    private Long interval(Expr e) {
        if (!(e instanceof Expr.IntervalLiteral i)) {
            problems.error(e.span(), "a window size is an INTERVAL literal", "write INTERVAL '1' HOUR");
            return null;
        }
        Long millis = Types.intervalMillis(i, problems);
        if (millis != null && millis <= 0) {
            problems.error(e.span(), "a window size must be positive, not " + millis + " ms", "write INTERVAL '1' HOUR");
            return null;
        }
        return millis;
    }

    private static Long integer(Expr e) {
        if (e instanceof Expr.Literal l && l.kind() == Expr.LiteralKind.INTEGER) {
            return (Long) l.value();
        }
        return null;
    }

    private static Double number(Expr e) {
        if (e instanceof Expr.Literal l) {
            switch (l.kind()) {
                case INTEGER:
                    return ((Long) l.value()).doubleValue();
                case DECIMAL:
                    return ((BigDecimal) l.value()).doubleValue();
                case DOUBLE:
                    return (Double) l.value();
                default:
                    return null;
            }
        }
        return null;
    }

    private static ValueKind valueKind(DataType t) {
        return switch (t.kind()) {
            case INT, BIGINT -> ValueKind.BIGINT;
            case DOUBLE, DECIMAL -> ValueKind.DOUBLE;
            case STRING -> ValueKind.STRING;
            case BOOLEAN -> ValueKind.BOOLEAN;
            case TIMESTAMP -> ValueKind.TIMESTAMP;
            default -> null;
        };
    }

    private static String nextName(String prefix) {
        synchronized (FeatureCompiler.class) {
            return prefix + (classes++);
        }
    }

    /** Type-checks an argument (reporting problems); null when it has errors. */
    private DataType typeOf(Expr e, Schema schema) {
        Problems local = new Problems();
        ExprCodegen g = new ExprCodegen(local, new JavaClass("Check", null), new RowExpressions.SchemaScope(schema));
        ExprCodegen.Gen gen = g.gen(e);
        problems.addAll(local.sorted());
        return local.hasErrors() || gen == ExprCodegen.ERROR ? null : gen.type();
    }

    private EventExtractor<Row> extractor(Expr e, Schema schema, ValueKind kind) {
        JavaClass c = new JavaClass(nextName("FeatureArgument_"), "io.peregrine.feature.EventExtractor");
        Problems ignored = new Problems();
        // each method evaluates the expression on its own: extractors are shared by worker threads, so no fields
        ExprCodegen g = new ExprCodegen(ignored, c, new RowExpressions.SchemaScope(schema));
        ExprCodegen.Gen v = g.gen(e);
        String code = g.takeCode();
        c.method("  public boolean present(Object o) {\n    Row e = (Row) o;\n    try {\n" + code + "    return !" + v.isNull()
                + ";\n    } catch (RuntimeException ex) {\n      return false;\n    }\n  }");
        v = g.gen(e);
        code = g.takeCode();
        String bits = switch (kind) {
            case DOUBLE -> "Double.doubleToRawLongBits(" + g.convert(v, DataType.DOUBLE) + ")";
            case BOOLEAN -> "(" + v.value() + " ? 1L : 0L)";
            case STRING -> "0L";
            default -> "((long) " + v.value() + ")";
        };
        c.method("  public long bits(Object o) {\n    Row e = (Row) o;\n" + code + "    return " + bits + ";\n  }");
        v = g.gen(e);
        code = g.takeCode();
        c.method("  public String string(Object o) {\n    Row e = (Row) o;\n" + code + "    return "
                + (kind == ValueKind.STRING ? v.value() : "null") + ";\n  }");
        ClassLoader loader = Janino.compile("import io.peregrine.dsl.schema.Row;\nimport io.peregrine.dsl.compile.SqlFunctions;\n\n"
                + c.source());
        return Janino.instantiate(loader, c, x -> x);
    }

    private EventFilter<Row> filter(Expr condition, Schema schema) {
        JavaClass c = new JavaClass(nextName("FeatureFilter_"), "io.peregrine.feature.EventFilter");
        Problems local = new Problems();
        ExprCodegen g = new ExprCodegen(local, c, new RowExpressions.SchemaScope(schema));
        String result = g.condition(condition);
        String code = g.takeCode();
        problems.addAll(local.sorted());
        if (local.hasErrors()) {
            return null;
        }
        c.method("  public boolean test(Object o) {\n    Row e = (Row) o;\n    try {\n" + code + "    return " + result
                + ";\n    } catch (RuntimeException ex) {\n      return false;\n    }\n  }");
        ClassLoader loader = Janino.compile("import io.peregrine.dsl.schema.Row;\nimport io.peregrine.dsl.compile.SqlFunctions;\n\n"
                + c.source());
        return Janino.instantiate(loader, c, x -> x);
    }
}
