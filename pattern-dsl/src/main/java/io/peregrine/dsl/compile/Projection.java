package io.peregrine.dsl.compile;

import io.peregrine.dsl.ast.Expr;
import io.peregrine.dsl.ast.MatchRecognize;
import io.peregrine.dsl.ast.MatchRecognize.RowsPerMatch;
import io.peregrine.dsl.ast.Query;
import io.peregrine.dsl.compile.ExprCodegen.Gen;
import io.peregrine.dsl.compile.MatchScope.RowRef;
import io.peregrine.dsl.schema.Column;
import io.peregrine.dsl.schema.DataType;
import io.peregrine.dsl.schema.DataType.Kind;
import io.peregrine.dsl.schema.Schema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generates the {@link io.peregrine.dsl.MatchProjector} of a pattern: MEASURES, then the SELECT
 * list over the MATCH_RECOGNIZE output. ONE ROW PER MATCH gives the PARTITION BY columns and the
 * measures; ALL ROWS PER MATCH adds a row per matched row (skipping {@code {- -}} exclusions) with the
 * remaining input columns.
 */
final class Projection {

    private final Problems problems;
    private final MatchRecognize mr;
    private final Query query;
    private final PatternModel model;
    private final int[] partition;
    private final String classPrefix;
    private Schema outputSchema;
    private Schema timeoutSchema;

    Projection(Problems problems, MatchRecognize mr, Query query, PatternModel model, int[] partition, String classPrefix) {
        this.problems = problems;
        this.mr = mr;
        this.query = query;
        this.model = model;
        this.partition = partition;
        this.classPrefix = classPrefix;
    }

    Schema outputSchema() {
        return outputSchema;
    }

    Schema timeoutSchema() {
        return timeoutSchema;
    }

    private boolean allRows(boolean timeouts) {
        return !timeouts && mr.rowsPerMatch() != null && mr.rowsPerMatch() != RowsPerMatch.ONE;
    }

    JavaClass generate(boolean timeouts) {
        JavaClass c = new JavaClass(classPrefix + (timeouts ? "Timeouts" : "Project"), "io.peregrine.dsl.MatchProjector");
        ExprCodegen g = new ExprCodegen(problems, c, new MeasureScope(model));
        Schema input = model.input.schema();
        boolean all = allRows(timeouts);
        if (mr.rowsPerMatch() == RowsPerMatch.ALL_WITH_UNMATCHED) {
            problems.error(mr.span(), "ALL ROWS PER MATCH WITH UNMATCHED ROWS is not supported", "use ALL ROWS PER MATCH");
        }

        // the MATCH_RECOGNIZE output columns, by name, in order
        Map<String, Gen> columns = new LinkedHashMap<>();
        Map<String, Integer> positions = new LinkedHashMap<>();
        RowRef first = new RowRef("first", false);
        for (int index : partition) {
            Column col = input.column(index);
            columns.put(col.name(), MatchScope.read(g, first, col));
        }
        for (MatchRecognize.Measure m : mr.measures()) {
            String name = m.alias().name();
            if (columns.containsKey(name)) {
                problems.error(m.alias().span(), "output column '" + name + "' is defined twice", "choose another name with AS");
                continue;
            }
            String n = g.fresh("mn");
            String v = g.fresh("mv");
            Gen[] gen = new Gen[1];
            String code = g.capture(() -> gen[0] = g.gen(m.expression()));
            if (gen[0] == ExprCodegen.ERROR) {
                continue;
            }
            DataType t = gen[0].type();
            if (t.kind() == Kind.NULL) {
                problems.error(m.expression().span(), "the type of measure '" + name + "' is unknown", "CAST(NULL AS type)");
                continue;
            }
            g.emit("boolean " + n + " = true; " + ExprCodegen.javaType(t) + " " + v + " = " + ExprCodegen.defaultValue(t) + ";");
            g.emit("try {");
            g.emit(code);
            g.emit("  " + n + " = " + gen[0].isNull() + "; if (!" + n + ") { " + v + " = " + gen[0].value() + "; }");
            g.emit("} catch (RuntimeException ex) { " + n + " = true; }");
            columns.put(name, new Gen(t, v, n));
            positions.put(name, m.span().start());
        }
        if (all) {
            RowRef row = new RowRef(g.local("Row", "(Row) m.event(upto)"), false);
            for (Column col : input.columns()) {
                if (columns.containsKey(col.name())) {
                    boolean isPartition = false;
                    for (int p : partition) {
                        isPartition |= p == col.index();
                    }
                    if (!isPartition) {
                        problems.error(mr.span(), "measure '" + col.name() + "' hides the input column of that name in ALL ROWS PER MATCH",
                                "rename the measure");
                    }
                    continue;
                }
                columns.put(col.name(), MatchScope.read(g, row, col));
            }
        }

        // SELECT over those columns
        List<String> names = new ArrayList<>();
        List<Gen> values = new ArrayList<>();
        if (query.select().isEmpty()) {
            for (Map.Entry<String, Gen> e : columns.entrySet()) {
                names.add(e.getKey());
                values.add(e.getValue());
            }
        } else {
            ExprCodegen sg = new ExprCodegen(problems, c, new OutputScope(columns, query.alias() == null ? null : query.alias().name()));
            for (Query.SelectItem item : query.select()) {
                Gen v = sg.gen(item.expression());
                g.emit(sg.takeCode());
                String name = item.alias() != null ? item.alias().name()
                        : item.expression() instanceof Expr.ColumnRef ? ((Expr.ColumnRef) item.expression()).column().name() : null;
                if (name == null) {
                    problems.error(item.span(), "this SELECT item needs a name", "add AS name");
                    continue;
                }
                if (names.contains(name)) {
                    problems.error(item.span(), "output column '" + name + "' is selected twice", "rename one with AS");
                    continue;
                }
                if (v == ExprCodegen.ERROR) {
                    continue;
                }
                if (v.type().kind() == Kind.NULL) {
                    problems.error(item.span(), "the type of '" + name + "' is unknown", "CAST(NULL AS type)");
                    continue;
                }
                names.add(name);
                values.add(v);
            }
        }
        Schema.Builder schema = Schema.builder();
        for (int i = 0; i < names.size(); i++) {
            schema.add(names.get(i), values.get(i).type());
        }
        Schema out = schema.build();
        if (timeouts) {
            timeoutSchema = out;
        } else {
            outputSchema = out;
        }
        String schemaField = c.constant(out, "io.peregrine.dsl.schema.Schema");
        g.emit("io.peregrine.dsl.schema.RowBuilder b = new io.peregrine.dsl.schema.RowBuilder(" + schemaField + ");");
        for (int i = 0; i < values.size(); i++) {
            Gen v = values.get(i);
            g.emit("if (" + v.isNull() + ") { b.setNull(" + i + "); } else { b." + setter(v.type()) + "(" + i + ", " + v.value() + "); }");
        }
        g.emit("out.accept(b.build());");
        String body = g.takeCode();

        StringBuilder method = new StringBuilder();
        method.append("  public void project(io.peregrine.cep.Match m, long matchNumber, java.util.function.Consumer out) {\n");
        method.append("    int size = m.size();\n    Row first = (Row) m.event(0);\n");
        if (all) {
            String excluded = c.constant(new PatternModel.ElementExcluded(), "boolean[]");
            method.append("    for (int upto = 0; upto < size; upto++) {\n      if (").append(excluded)
                    .append("[m.elementId(upto)]) { continue; }\n").append(body).append("    }\n");
        } else {
            method.append("    int upto = size - 1;\n").append(body);
        }
        method.append("  }");
        c.method(method.toString());
        return c;
    }

    private static String setter(DataType t) {
        switch (t.kind()) {
            case BOOLEAN:
                return "setBoolean";
            case DOUBLE:
                return "setDouble";
            case STRING:
                return "setString";
            default:
                return "setLong";
        }
    }

    /** SELECT items see the MATCH_RECOGNIZE output columns, optionally qualified by the query's alias. */
    private static final class OutputScope implements ExprCodegen.Scope {
        private final Map<String, Gen> columns;
        private final String alias;

        OutputScope(Map<String, Gen> columns, String alias) {
            this.columns = columns;
            this.alias = alias;
        }

        @Override
        public Gen column(Expr.ColumnRef ref, ExprCodegen g) {
            if (ref.qualifier() != null && !ref.qualifier().name().equals(alias)) {
                g.problems.error(ref.qualifier().span(), "unknown qualifier '" + ref.qualifier().name() + "' in SELECT",
                        alias == null ? "SELECT reads the MATCH_RECOGNIZE output columns; drop the qualifier"
                                : "the MATCH_RECOGNIZE output is called " + alias);
                return ExprCodegen.ERROR;
            }
            Gen v = columns.get(ref.column().name());
            if (v == null) {
                g.problems.error(ref.column().span(), "unknown column '" + ref.column().name() + "' in the MATCH_RECOGNIZE output",
                        Names.hint(ref.column().name(), columns.keySet(), "output columns are"));
                return ExprCodegen.ERROR;
            }
            return v;
        }

        @Override
        public Gen special(Expr.Call call, ExprCodegen g) {
            return null;
        }
    }
}
