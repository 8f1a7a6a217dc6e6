package io.peregrine.dsl.compile;

import io.peregrine.dsl.CompiledPattern;
import io.peregrine.dsl.Diagnostic;
import io.peregrine.dsl.Program;
import io.peregrine.dsl.SourceFile;
import io.peregrine.dsl.StreamDef;
import io.peregrine.dsl.ast.Expr;
import io.peregrine.dsl.ast.Ident;
import io.peregrine.dsl.ast.ProgramAst;
import io.peregrine.dsl.ast.Statement;
import io.peregrine.dsl.schema.Column;
import io.peregrine.dsl.schema.DataType;
import io.peregrine.dsl.schema.Row;
import io.peregrine.dsl.schema.Schema;
import io.peregrine.feature.FeatureSetDefinition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks and compiles a parsed program statement by statement. Every problem is collected; the
 * program compiles only when there are none.
 */
public final class ProgramCompiler {

    private final Problems problems = new Problems();
    private final Map<String, StreamDef> streams = new LinkedHashMap<>();
    private final List<CompiledPattern> patterns = new ArrayList<>();
    private final List<FeatureSetDefinition<Row>> featureSets = new ArrayList<>();
    private final Map<String, Ident> names = new LinkedHashMap<>();

    private ProgramCompiler() {}

    /** The compiled program, or null when {@code diagnostics} (which receives every problem) has errors. */
    public static Program compile(SourceFile source, ProgramAst ast, List<Diagnostic> diagnostics) {
        ProgramCompiler c = new ProgramCompiler();
        c.problems.addAll(diagnostics);
        if (c.problems.hasErrors()) {
            // as javac does: after syntax errors the tree may hold half statements; check nothing else
            diagnostics.clear();
            diagnostics.addAll(c.problems.sorted());
            return null;
        }
        int ordinal = 0;
        for (Statement s : ast.statements()) {
            if (!c.declare(s.name())) {
                continue;
            }
            if (s instanceof Statement.CreateStream) {
                // registered even with errors, so patterns over it are still checked
                c.streams.put(s.name().name(), c.stream((Statement.CreateStream) s));
            } else if (s instanceof Statement.CreatePattern) {
                CompiledPattern p = new PatternCompiler(c.problems, (Statement.CreatePattern) s, c.streams, ordinal++).compile();
                if (p != null) {
                    c.patterns.add(p);
                }
            } else if (s instanceof Statement.CreateFeatures) {
                FeatureSetDefinition<Row> f = new FeatureCompiler(c.problems, source.text(), (Statement.CreateFeatures) s,
                        c.streams, c.patterns).compile();
                if (f != null) {
                    c.featureSets.add(f);
                }
            }
        }
        diagnostics.clear();
        diagnostics.addAll(c.problems.sorted());
        if (c.problems.hasErrors()) {
            return null;
        }
        return new Program(source, List.copyOf(c.streams.values()), c.patterns, c.featureSets);
    }

    private boolean declare(Ident name) {
        Ident previous = names.putIfAbsent(name.name(), name);
        if (previous != null) {
            problems.error(name.span(), "'" + name.name() + "' is already defined", "every stream, pattern and feature set needs its own name");
            return false;
        }
        return true;
    }

    private StreamDef stream(Statement.CreateStream s) {
        Schema.Builder schema = Schema.builder();
        Set<String> seen = new HashSet<>();
        List<Column> columns = new ArrayList<>();
        for (Statement.ColumnDef c : s.columns()) {
            DataType t = Types.resolve(c.type(), problems);
            if (!seen.add(c.name().name())) {
                problems.error(c.name().span(), "column '" + c.name().name() + "' is declared twice", null);
                continue;
            }
            if (t == null) {
                continue;
            }
            columns.add(new Column(c.name().name(), t, columns.size()));
            schema.add(c.name().name(), t);
        }
        if (s.columns().isEmpty()) {
            problems.error(s.name().span(), "stream " + s.name().name() + " has no columns", null);
        }
        Schema built = schema.build();
        int rowtime = -1;
        long delay = 0;
        if (s.watermark() != null) {
            Statement.Watermark w = s.watermark();
            Column c = built.find(w.column().name()).orElse(null);
            if (c == null) {
                problems.error(w.column().span(), "unknown column '" + w.column().name() + "' in WATERMARK FOR",
                        Names.hint(w.column().name(), built.names(), "columns are"));
            } else if (c.type().kind() != DataType.Kind.TIMESTAMP) {
                problems.error(w.column().span(), "the event-time column must be TIMESTAMP(3), not " + c.type(),
                        "declare " + c.name() + " TIMESTAMP(3); epoch milliseconds and ISO-8601 text both decode into it");
            } else {
                rowtime = c.index();
                Long d = watermarkDelay(w, c.name());
                if (d == null) {
                } else {
                    delay = d;
                }
            }
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (Statement.Option o : s.options()) {
            if (options.put(o.key(), o.value()) != null) {
                problems.error(o.span(), "option '" + o.key() + "' is given twice", null);
            }
        }
        String format = options.get("format");
        if (format != null && !format.equals("json") && !format.equals("csv")) {
            problems.error(optionSpan(s, "format"), "unknown format '" + format + "'", "format is 'json' or 'csv'");
        }
        return new StreamDef(s.name().name(), built, rowtime, delay, options);
    }

    private static io.peregrine.dsl.ast.Span optionSpan(Statement.CreateStream s, String key) {
        for (Statement.Option o : s.options()) {
            if (o.key().equals(key)) {
                return o.span();
            }
        }
        return s.name().span();
    }

    /** {@code ts - INTERVAL 'n' unit} or {@code ts}: how far the watermark trails. */
    private Long watermarkDelay(Statement.Watermark w, String column) {
        Expr e = w.expression();
        if (e instanceof Expr.ColumnRef && isColumn((Expr.ColumnRef) e, column)) {
            return 0L;
        }
        if (e instanceof Expr.Binary) {
            Expr.Binary b = (Expr.Binary) e;
            if (b.op() == Expr.BinaryOp.SUBTRACT && b.left() instanceof Expr.ColumnRef && isColumn((Expr.ColumnRef) b.left(), column)
                    && b.right() instanceof Expr.IntervalLiteral) {
                Long millis = Types.intervalMillis((Expr.IntervalLiteral) b.right(), problems);
                if (millis != null && millis < 0) {
                    problems.error(b.right().span(), "the watermark cannot run ahead of the event time", "use a positive interval");
                    return null;
                }
                return millis;
            }
        }
        problems.error(e.span(), "unsupported WATERMARK expression",
                "write WATERMARK FOR " + column + " AS " + column + " - INTERVAL '2' SECOND (bounded out-of-orderness)");
        return null;
    }

    private static boolean isColumn(Expr.ColumnRef ref, String column) {
        return ref.qualifier() == null && ref.column().name().equals(column);
    }

}
