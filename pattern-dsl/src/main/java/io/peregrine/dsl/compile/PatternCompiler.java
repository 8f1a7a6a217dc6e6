package io.peregrine.dsl.compile;

import io.peregrine.cep.AfterMatchSkipStrategy;
import io.peregrine.cep.Condition;
import io.peregrine.cep.MalformedPatternException;
import io.peregrine.cep.Nfa;
import io.peregrine.cep.NfaOptions;
import io.peregrine.cep.Pattern;
import io.peregrine.cep.WithinType;
import io.peregrine.dsl.CompiledPattern;
import io.peregrine.dsl.MatchProjector;
import io.peregrine.dsl.StreamDef;
import io.peregrine.dsl.ast.Expr;
import io.peregrine.dsl.ast.MatchRecognize;
import io.peregrine.dsl.ast.MatchRecognize.Define;
import io.peregrine.dsl.ast.MatchRecognize.SkipKind;
import io.peregrine.dsl.ast.Query;
import io.peregrine.dsl.ast.RowPattern;
import io.peregrine.dsl.ast.RowPattern.Contiguity;
import io.peregrine.dsl.ast.Span;
import io.peregrine.dsl.ast.Statement;
import io.peregrine.dsl.schema.Column;
import io.peregrine.dsl.schema.Row;
import io.peregrine.dsl.schema.Schema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles one {@code CREATE PATTERN}: lowers its PATTERN to a cep-core {@link Pattern} the way
 * Flink SQL's planner does (strict contiguity, {@code +} as {@code oneOrMore().consecutive()}, greedy
 * unless reluctant, SKIP TO NEXT ROW by default), generates one Java class per DEFINE and one for
 * MEASURES/SELECT, compiles them with Janino, and attaches them to the engine's elements.
 */
final class PatternCompiler {

    private final Problems problems;
    private final Statement.CreatePattern statement;
    private final Map<String, StreamDef> streams;
    private final String classPrefix;

    private StreamDef input;
    private MatchRecognize mr;
    private PatternModel model;
    /** Variables of the PATTERN whose elements must loop for UNTIL, by element. */
    private final Map<String, Boolean> looping = new LinkedHashMap<>();

    PatternCompiler(Problems problems, Statement.CreatePattern statement, Map<String, StreamDef> streams, int ordinal) {
        this.problems = problems;
        this.statement = statement;
        this.streams = streams;
        this.classPrefix = "P" + ordinal + "_";
    }

    CompiledPattern compile() {
        int errorsBefore = problems.errorCount();
        Query q = statement.query();
        mr = q.matchRecognize();
        input = streams.get(q.from().name());
        if (input == null) {
            problems.error(q.from().span(), "unknown stream '" + q.from().name() + "'",
                    Names.hint(q.from().name(), streams.keySet(), "streams are"));
            return null;
        }
        Schema schema = input.schema();
        int[] partition = partitionColumns(schema);
        Comparator<Row> tieOrder = null;
        int rowtime = orderBy(schema);
        if (rowtime >= 0) {
            tieOrder = tieOrder(schema);
        }
        model = new PatternModel(input, Math.max(rowtime, 0));
        subsets();
        Pattern<Row> pattern;
        try {
            pattern = lower(mr.pattern());
        } catch (MalformedPatternException e) {
            // the rules cep-core checks while a pattern is built, for combinations not caught above
            problems.error(mr.pattern().span(), "this pattern cannot run: " + e.getMessage(), hintFor(e.getMessage()));
            pattern = null;
        }
        Map<String, Define> defines = defines();
        if (pattern == null || problems.errorCount() > errorsBefore) {
            // still check MEASURES and DEFINE against the schema so every error shows at once
            if (pattern == null) {
                checkExpressionsOnly(defines);
                return null;
            }
        }

        // generate the classes
        StringBuilder source = new StringBuilder("import io.peregrine.dsl.schema.Row;\n"
                + "import io.peregrine.dsl.compile.SqlFunctions;\nimport io.peregrine.dsl.compile.PatternRows;\n\n");
        List<JavaClass> conditionClasses = new ArrayList<>();
        List<String> conditionVariables = new ArrayList<>();
        List<JavaClass> untilClasses = new ArrayList<>();
        List<String> untilVariables = new ArrayList<>();
        for (Define d : defines.values()) {
            JavaClass c = conditionClass(d.variable().name(), d.condition(), "Define");
            conditionClasses.add(c);
            conditionVariables.add(d.variable().name());
            if (d.until() != null) {
                untilClasses.add(conditionClass(d.variable().name(), d.until(), "Until"));
                untilVariables.add(d.variable().name());
            }
        }
        Projection projection = new Projection(problems, mr, q, model, partition, classPrefix);
        JavaClass projector = projection.generate(false);
        JavaClass timeoutProjector = mr.emitTimeouts() ? projection.generate(true) : null;
        if (problems.errorCount() > errorsBefore) {
            return null;
        }
        for (JavaClass c : conditionClasses) {
            source.append(c.source());
        }
        for (JavaClass c : untilClasses) {
            source.append(c.source());
        }
        source.append(projector.source());
        if (timeoutProjector != null) {
            source.append(timeoutProjector.source());
        }
        ClassLoader loader = Janino.compile(source.toString());

        for (int i = 0; i < conditionClasses.size(); i++) {
            Condition<Row> condition = Janino.instantiate(loader, conditionClasses.get(i), c -> c);
            for (String element : model.elementsByVariable.get(conditionVariables.get(i))) {
                model.elementPatterns.get(element).where(condition);
            }
            if (lookahead != null && lookahead[1].equals(conditionVariables.get(i))) {
                // "the next row would continue the loop", evaluated as if it were one more row of it
                lookaheadPattern.where(condition);
            }
        }
        for (int i = 0; i < untilClasses.size(); i++) {
            Condition<Row> condition = Janino.instantiate(loader, untilClasses.get(i), c -> c);
            String variable = untilVariables.get(i);
            for (String element : model.elementsByVariable.get(variable)) {
                Pattern<Row> p = model.elementPatterns.get(element);
                if (!p.isLooping()) {
                    problems.error(defines.get(variable).until().span(), "UNTIL needs a looping variable, but " + variable + " is not",
                            "quantify it with + , * or {n,} in the PATTERN");
                    return null;
                }
                p.until(condition);
            }
        }

        NfaOptions options = NfaOptions.defaults().withTimedOutMatches(mr.emitTimeouts()).withHistory(model.historyDepth);
        if (mr.emitTimeouts() && mr.within() == null && mr.gapWithin() == null) {
            problems.error(mr.span(), "EMIT TIMEOUTS needs a WITHIN clause", "add WITHIN INTERVAL '10' MINUTE after the PATTERN");
            return null;
        }
        Nfa<Row> nfa;
        try {
            if (mr.within() != null) {
                Long w = constantInterval(mr.within());
                if (w == null) {
                    return null;
                }
                pattern = pattern.within(Duration.ofMillis(w));
            }
            if (mr.gapWithin() != null) {
                Long w = constantInterval(mr.gapWithin());
                if (w == null) {
                    return null;
                }
                pattern = pattern.within(Duration.ofMillis(w), WithinType.PREVIOUS_AND_CURRENT);
            }
            nfa = Nfa.compile(pattern, options);
        } catch (MalformedPatternException e) {
            problems.error(mr.pattern().span(), "this pattern cannot run: " + e.getMessage(), hintFor(e.getMessage()));
            return null;
        }
        List<String> elementNames = nfa.elementNames();
        java.util.function.Function<Object, Object> resolve = c -> resolveConstant(c, elementNames);
        MatchProjector project = Janino.instantiate(loader, projector, resolve);
        MatchProjector timeouts = timeoutProjector == null ? null : Janino.instantiate(loader, timeoutProjector, resolve);
        return new CompiledPattern(statement.name().name(), input, partition, rowtime, tieOrder, nfa, projection.outputSchema(),
                project, timeouts, projection.timeoutSchema());
    }

    private static String hintFor(String message) {
        String m = message.toLowerCase(java.util.Locale.ROOT);
        if (m.contains("greedy")) {
            return "end the pattern with a single variable or a reluctant quantifier, e.g. A+? or A+ B";
        }
        if (m.contains("optional") || m.contains("start") || m.contains("begin")) {
            return "a pattern must start and end with a variable that has to match";
        }
        return null;
    }

    private Object resolveConstant(Object c, List<String> elementNames) {
        if (c instanceof PatternModel.ElementMask) {
            Set<String> vars = ((PatternModel.ElementMask) c).variables();
            boolean[] mask = new boolean[elementNames.size()];
            for (int i = 0; i < mask.length; i++) {
                mask[i] = vars.contains(model.variableOf(elementNames.get(i)));
            }
            return mask;
        }
        if (c instanceof PatternModel.ElementVariableNames) {
            String[] names = new String[elementNames.size()];
            for (int i = 0; i < names.length; i++) {
                names[i] = model.variableOf(elementNames.get(i));
            }
            return names;
        }
        if (c instanceof PatternModel.ElementExcluded) {
            boolean[] mask = new boolean[elementNames.size()];
            for (int i = 0; i < mask.length; i++) {
                mask[i] = model.excludedElements.contains(elementNames.get(i));
            }
            return mask;
        }
        return c;
    }

    private Long constantInterval(Expr e) {
        if (!(e instanceof Expr.IntervalLiteral)) {
            problems.error(e.span(), "WITHIN needs a constant interval", "write WITHIN INTERVAL '10' MINUTE");
            return null;
        }
        Long millis = Types.intervalMillis((Expr.IntervalLiteral) e, problems);
        if (millis != null && millis <= 0) {
            problems.error(e.span(), "WITHIN needs a positive interval", null);
            return null;
        }
        return millis;
    }

    // ---------------------------------------------------------------- clauses

    private int[] partitionColumns(Schema schema) {
        List<Integer> out = new ArrayList<>();
        for (Expr e : mr.partitionBy()) {
            Column c = plainColumn(e, schema, "PARTITION BY");
            if (c != null) {
                out.add(c.index());
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private Column plainColumn(Expr e, Schema schema, String clause) {
        if (!(e instanceof Expr.ColumnRef)) {
            problems.error(e.span(), clause + " takes columns of the stream", "name a column, e.g. " + clause + " card_id");
            return null;
        }
        Expr.ColumnRef ref = (Expr.ColumnRef) e;
        if (ref.qualifier() != null && !ref.qualifier().name().equals(input.name())) {
            problems.error(ref.qualifier().span(), clause + " columns belong to stream " + input.name(), "drop the qualifier");
            return null;
        }
        Column c = schema.find(ref.column().name()).orElse(null);
        if (c == null) {
            problems.error(ref.column().span(), "unknown column '" + ref.column().name() + "' in stream " + input.name(),
                    Names.hint(ref.column().name(), schema.names(), "columns are"));
        }
        return c;
    }

    /** ORDER BY must start with the stream's event-time column, ascending; returns its index or -1. */
    private int orderBy(Schema schema) {
        if (!input.hasRowtime()) {
            problems.error(statement.query().from().span(), "stream " + input.name() + " has no event time",
                    "declare one in CREATE STREAM: WATERMARK FOR ts AS ts - INTERVAL '2' SECOND");
            return -1;
        }
        String rowtime = schema.column(input.rowtimeColumn()).name();
        if (mr.orderBy().isEmpty()) {
            problems.error(mr.span(), "MATCH_RECOGNIZE needs ORDER BY " + rowtime, "add ORDER BY " + rowtime + " after PARTITION BY");
            return -1;
        }
        MatchRecognize.OrderItem first = mr.orderBy().get(0);
        Column c = plainColumn(first.expression(), schema, "ORDER BY");
        if (c == null) {
            return -1;
        }
        if (c.index() != input.rowtimeColumn() || first.descending()) {
            problems.error(first.span(), "ORDER BY must start with the event-time column " + rowtime + " ascending",
                    "write ORDER BY " + rowtime + (c.index() != input.rowtimeColumn() ? ", " + c.name() : ""));
            return -1;
        }
        return c.index();
    }

    private Comparator<Row> tieOrder(Schema schema) {
        Comparator<Row> order = null;
        for (int i = 1; i < mr.orderBy().size(); i++) {
            MatchRecognize.OrderItem item = mr.orderBy().get(i);
            Column c = plainColumn(item.expression(), schema, "ORDER BY");
            if (c == null) {
                continue;
            }
            Comparator<Row> one = RowOrder.byColumn(c);
            if (item.descending()) {
                one = one.reversed();
            }
            order = order == null ? one : order.thenComparing(one);
        }
        return order;
    }

    private void subsets() {
        // variables are known only after lowering; collect names now, check members after
        for (MatchRecognize.Subset s : mr.subsets()) {
            if (model.subsets.containsKey(s.name().name())) {
                problems.error(s.name().span(), "SUBSET " + s.name().name() + " is defined twice", null);
                continue;
            }
            Set<String> members = new LinkedHashSet<>();
            for (var v : s.variables()) {
                members.add(v.name());
            }
            model.subsets.put(s.name().name(), members);
        }
    }

    private void checkSubsets() {
        for (MatchRecognize.Subset s : mr.subsets()) {
            if (model.variables().contains(s.name().name())) {
                problems.error(s.name().span(), "SUBSET " + s.name().name() + " has the name of a pattern variable", "rename the subset");
            }
            for (var v : s.variables()) {
                if (!model.variables().contains(v.name())) {
                    problems.error(v.span(), "unknown pattern variable '" + v.name() + "' in SUBSET",
                            Names.hint(v.name(), model.variables(), "pattern variables are"));
                }
            }
        }
    }

    private Map<String, Define> defines() {
        checkSubsets();
        Map<String, Define> out = new LinkedHashMap<>();
        for (Define d : mr.defines()) {
            String v = d.variable().name();
            if (!model.variables().contains(v)) {
                problems.error(d.variable().span(), "DEFINE of '" + v + "', which is not in the PATTERN",
                        Names.hint(v, model.variables(), "pattern variables are"));
                continue;
            }
            if (out.putIfAbsent(v, d) != null) {
                problems.error(d.variable().span(), "variable " + v + " is defined twice", "combine the conditions with AND");
            }
        }
        return out;
    }

    /** When the PATTERN does not lower, DEFINE and MEASURES are still checked against the schema. */
    private void checkExpressionsOnly(Map<String, Define> defines) {
        for (Define d : defines.values()) {
            conditionClass(d.variable().name(), d.condition(), "Define");
        }
    }

    private JavaClass conditionClass(String variable, Expr condition, String kind) {
        JavaClass c = new JavaClass(classPrefix + kind + "_" + sanitize(variable) + "_" + Math.abs(condition.span().start()),
                "io.peregrine.cep.Condition");
        ExprCodegen g = new ExprCodegen(problems, c, new DefineScope(model, variable));
        String result = g.condition(condition);
        String code = g.takeCode();
        c.method("  public boolean test(Object o, io.peregrine.cep.Context ctx) {\n    Row e = (Row) o;\n    try {\n" + code
                + "    return " + result + ";\n    } catch (RuntimeException ex) {\n      return false;\n    }\n  }");
        // the canonical source of the condition, for explain and traces
        String text = c.constant(io.peregrine.dsl.parse.AstPrinter.print(condition), "String");
        c.method("  public String description() {\n    return " + text + ";\n  }");
        return c;
    }

    static String sanitize(String name) {
        StringBuilder sb = new StringBuilder();
        for (char ch : name.toCharArray()) {
            sb.append(Character.isLetterOrDigit(ch) && ch < 128 ? ch : '_');
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- PATTERN lowering

    /** One step of the sequence: an item and how it joins the previous one. */
    private record Step(RowPattern item, Contiguity link) {}

    private Pattern<Row> lower(RowPattern p) {
        List<Step> steps = new ArrayList<>();
        flatten(p, Contiguity.STRICT, steps);
        boolean anchored = !steps.isEmpty() && steps.get(0).item() instanceof RowPattern.Anchor
                && ((RowPattern.Anchor) steps.get(0).item()).start();
        if (anchored) {
            steps.remove(0);
        }
        if (steps.isEmpty()) {
            return null;
        }
        SkipKind skip = mr.afterMatch() == null ? SkipKind.TO_NEXT_ROW : mr.afterMatch().kind();
        if (canBeEmpty(p)) {
            problems.error(p.span(), "this pattern can match no rows at all",
                    "make at least one variable mandatory (no *, ? or {0,...} on it)");
            return null;
        }
        Pattern<Row> result = sequence(steps, skipStrategy(skip));
        if (result != null && anchored) {
            RowPattern first = steps.get(0).item();
            while (first instanceof RowPattern.Quantified && ((RowPattern.Quantified) first).body() instanceof RowPattern.Var) {
                first = ((RowPattern.Quantified) first).body();
            }
            if (!(first instanceof RowPattern.Var)) {
                problems.error(p.span(), "^ must be followed by a pattern variable", "write ^ A ... or ^ A+ ...");
                return null;
            }
            String element = model.elementsByVariable.get(((RowPattern.Var) first).name().name()).get(0);
            model.elementPatterns.get(element).where(new StartAnchor(model.eventRef(element, true)));
            // a state with history is never idle, so a runtime keeps the key's position instead of
            // dropping the state and taking its next row for the partition's first
            model.historyDepth = Math.max(model.historyDepth, 1);
        }
        if (result != null && result.isGreedy()) {
            result = endGreedy(p, steps.get(steps.size() - 1).item(), result);
        }
        if (result != null && mr.afterMatch() != null && mr.afterMatch().variable() != null
                && !model.variables().contains(mr.afterMatch().variable().name())) {
            var v = mr.afterMatch().variable();
            problems.error(v.span(), "AFTER MATCH SKIP TO an unknown variable '" + v.name() + "'",
                    Names.hint(v.name(), model.variables(), "pattern variables are"));
        }
        return result;
    }

    /**
     * A greedy loop at the end (Oracle's {@code PATTERN (STRT DOWN+ UP+)}), which Flink SQL rejects:
     * on a stream the loop ends at the first row that does not continue it, so the match is
     * completed by a NOT NEXT element with the loop variable's condition and is emitted when that
     * row arrives. The row itself is not part of the match.
     */
    private Pattern<Row> endGreedy(RowPattern whole, RowPattern last, Pattern<Row> result) {
        RowPattern body = last instanceof RowPattern.Quantified ? ((RowPattern.Quantified) last).body() : null;
        while (body instanceof RowPattern.Exclusion) {
            body = ((RowPattern.Exclusion) body).body();
        }
        if (!(body instanceof RowPattern.Var)) {
            problems.error(whole.span(), "a greedy quantified group cannot end the pattern",
                    "end the pattern with a variable, or make the group reluctant, e.g. (A B)+?");
            return null;
        }
        String variable = ((RowPattern.Var) body).name().name();
        boolean defined = mr.defines().stream().anyMatch(d -> d.variable().name().equals(variable));
        if (!defined) {
            problems.error(whole.span(), "a greedy " + variable + " at the end of the pattern never ends: " + variable
                    + " matches every row", "DEFINE " + variable + ", or make it reluctant (" + variable + "+?)");
            return null;
        }
        String element = variable + "#end";
        lookahead = new String[] {element, variable};
        try {
            lookaheadPattern = result.notNext(element);
        } catch (MalformedPatternException e) {
            problems.error(last.span(), "an optional greedy loop cannot end the pattern",
                    "write " + variable + "+ (with another pattern for the case without it) or make it reluctant ("
                            + variable + "*?)");
            return null;
        }
        return lookaheadPattern;
    }

    /** The NOT NEXT element that ends a greedy last loop, and its variable; null when there is none. */
    private String[] lookahead;
    private Pattern<Row> lookaheadPattern;

    static boolean canBeEmpty(RowPattern p) {
        if (p instanceof RowPattern.Var) {
            return false;
        }
        if (p instanceof RowPattern.Quantified) {
            RowPattern.Quantified q = (RowPattern.Quantified) p;
            return q.min() == 0 || canBeEmpty(q.body());
        }
        if (p instanceof RowPattern.Concat) {
            return ((RowPattern.Concat) p).items().stream().allMatch(PatternCompiler::canBeEmpty);
        }
        if (p instanceof RowPattern.Permute) {
            return ((RowPattern.Permute) p).items().stream().allMatch(PatternCompiler::canBeEmpty);
        }
        if (p instanceof RowPattern.Alternation) {
            return ((RowPattern.Alternation) p).alternatives().stream().anyMatch(PatternCompiler::canBeEmpty);
        }
        if (p instanceof RowPattern.Exclusion) {
            return canBeEmpty(((RowPattern.Exclusion) p).body());
        }
        return true; // anchors and negations take no row
    }

    private AfterMatchSkipStrategy skipStrategy(SkipKind kind) {
        switch (kind) {
            case PAST_LAST_ROW:
                return AfterMatchSkipStrategy.skipPastLastEvent();
            case TO_NEXT_ROW:
                return AfterMatchSkipStrategy.skipToNext();
            case TO_FIRST:
                return AfterMatchSkipStrategy.skipToFirst(mr.afterMatch().variable().name());
            case TO_LAST:
                return AfterMatchSkipStrategy.skipToLast(mr.afterMatch().variable().name());
            default:
                return AfterMatchSkipStrategy.noSkip();
        }
    }

    private void flatten(RowPattern p, Contiguity link, List<Step> out) {
        if (p instanceof RowPattern.Concat) {
            RowPattern.Concat c = (RowPattern.Concat) p;
            for (int i = 0; i < c.items().size(); i++) {
                flatten(c.items().get(i), i == 0 ? link : c.links().get(i - 1), out);
            }
        } else if (p instanceof RowPattern.Exclusion) {
            int from = out.size();
            flatten(((RowPattern.Exclusion) p).body(), link, out);
            for (int i = from; i < out.size(); i++) {
                out.set(i, new Step(new RowPattern.Exclusion(out.get(i).item().span(), out.get(i).item()), out.get(i).link()));
            }
        } else {
            out.add(new Step(p, link));
        }
    }

    /** Builds a chain from steps; {@code skip} for a top-level chain, null inside groups. */
    private Pattern<Row> sequence(List<Step> steps, AfterMatchSkipStrategy skip) {
        Pattern<Row> chain = null;
        for (Step step : steps) {
            RowPattern item = step.item();
            boolean excluded = false;
            if (item instanceof RowPattern.Exclusion) {
                excluded = true;
                item = ((RowPattern.Exclusion) item).body();
            }
            try {
                chain = append(chain, item, step.link(), skip, excluded);
            } catch (MalformedPatternException e) {
                problems.error(item.span(), e.getMessage(), hintFor(e.getMessage()));
                return null;
            }
            if (chain == null) {
                return null;
            }
        }
        return chain;
    }

    private Pattern<Row> append(Pattern<Row> chain, RowPattern item, Contiguity link, AfterMatchSkipStrategy skip, boolean excluded) {
        if (item instanceof RowPattern.Var) {
            Pattern<Row> p = element(chain, ((RowPattern.Var) item).name().name(), link, skip, false, item.span());
            if (p != null && excluded) {
                model.excludedElements.add(p.name());
            }
            return p;
        }
        if (item instanceof RowPattern.Not) {
            if (chain == null) {
                problems.error(item.span(), "a pattern cannot start with a negation", "put a variable first: A !B C");
                return null;
            }
            if (link == Contiguity.ANY) {
                problems.error(item.span(), "->> cannot precede a negation", "use -> !B (not followed by) or !B (not next)");
                return null;
            }
            return element(chain, ((RowPattern.Not) item).variable().name().name(), link, skip, true, item.span());
        }
        if (item instanceof RowPattern.Quantified) {
            RowPattern.Quantified q = (RowPattern.Quantified) item;
            RowPattern body = q.body();
            while (body instanceof RowPattern.Exclusion) {
                excluded = true;
                body = ((RowPattern.Exclusion) body).body();
            }
            Pattern<Row> p;
            if (body instanceof RowPattern.Var) {
                p = element(chain, ((RowPattern.Var) body).name().name(), link, skip, false, body.span());
                if (p != null && excluded) {
                    model.excludedElements.add(p.name());
                }
            } else {
                List<Step> inner = new ArrayList<>();
                flatten(body, Contiguity.STRICT, inner);
                Pattern<Row> group = sequence(inner, null);
                if (group == null) {
                    return null;
                }
                if (excluded) {
                    problems.error(item.span(), "exclusion of a quantified group is not supported", "exclude the variables inside it");
                    return null;
                }
                p = groupElement(chain, group, link, skip);
            }
            return p == null ? null : quantify(p, q);
        }
        if (item instanceof RowPattern.Alternation || item instanceof RowPattern.Permute) {
            if (excluded) {
                problems.error(item.span(), "exclusion of an alternation is not supported", "exclude the variables inside it");
                return null;
            }
            Pattern<Row> alternation = alternation(item);
            return alternation == null ? null : groupElement(chain, alternation, link, skip);
        }
        if (item instanceof RowPattern.Anchor) {
            boolean start = ((RowPattern.Anchor) item).start();
            problems.error(item.span(), start ? "^ can only start the pattern" : "$ (the partition's last row) has no meaning on a stream",
                    start ? "write PATTERN (^ A ...)" : "a stream has no last row; remove it");
            return null;
        }
        if (item instanceof RowPattern.Concat) {
            // a parenthesised sequence without a quantifier is just part of the sequence
            List<Step> inner = new ArrayList<>();
            flatten(item, link, inner);
            Pattern<Row> p = chain;
            for (Step s : inner) {
                p = append(p, s.item(), s.link(), skip, excluded);
                if (p == null) {
                    return null;
                }
            }
            return p;
        }
        problems.error(item.span(), "unsupported pattern element");
        return null;
    }

    /** Most items PERMUTE may take: their orders become the branches of an alternation. */
    static final int MAX_PERMUTE = 5;

    /**
     * {@code a | b} and {@code PERMUTE(a, b)} as cep-core's alternation: each branch is its own
     * sequence; a variable written in several branches becomes one engine element per branch.
     */
    private Pattern<Row> alternation(RowPattern item) {
        List<RowPattern> alternatives;
        if (item instanceof RowPattern.Permute) {
            List<RowPattern> items = ((RowPattern.Permute) item).items();
            if (items.size() > MAX_PERMUTE) {
                problems.error(item.span(), "PERMUTE of " + items.size() + " items has " + factorial(items.size()) + " orders",
                        "at most " + MAX_PERMUTE + " items; split the pattern");
                return null;
            }
            alternatives = new ArrayList<>();
            for (List<RowPattern> order : permutations(items)) {
                alternatives.add(order.size() == 1 ? order.get(0)
                        : new RowPattern.Concat(item.span(), order, java.util.Collections.nCopies(order.size() - 1, Contiguity.STRICT)));
            }
        } else {
            alternatives = ((RowPattern.Alternation) item).alternatives();
        }
        List<Pattern<Row>> branches = new ArrayList<>();
        for (RowPattern alternative : alternatives) {
            List<Step> inner = new ArrayList<>();
            flatten(alternative, Contiguity.STRICT, inner);
            Pattern<Row> branch = sequence(inner, null);
            if (branch == null) {
                return null;
            }
            branches.add(branch);
        }
        try {
            return Pattern.anyOf(branches);
        } catch (MalformedPatternException e) {
            problems.error(item.span(), e.getMessage(), null);
            return null;
        }
    }

    private static long factorial(int n) {
        long f = 1;
        for (int i = 2; i <= n; i++) {
            f *= i;
        }
        return f;
    }

    /** All orders of {@code items}, in SQL's preference order (lexicographic by position). */
    static List<List<RowPattern>> permutations(List<RowPattern> items) {
        List<List<RowPattern>> out = new ArrayList<>();
        if (items.size() <= 1) {
            out.add(items);
            return out;
        }
        for (int i = 0; i < items.size(); i++) {
            List<RowPattern> rest = new ArrayList<>(items);
            RowPattern head = rest.remove(i);
            for (List<RowPattern> tail : permutations(rest)) {
                List<RowPattern> order = new ArrayList<>();
                order.add(head);
                order.addAll(tail);
                out.add(order);
            }
        }
        return out;
    }

    private Pattern<Row> element(Pattern<Row> chain, String variable, Contiguity link, AfterMatchSkipStrategy skip, boolean negated,
                                 Span span) {
        String name = model.newElement(variable);
        Pattern<Row> p;
        if (chain == null) {
            p = skip == null ? Pattern.begin(name) : Pattern.begin(name, skip);
        } else if (negated) {
            p = link == Contiguity.STRICT ? chain.notNext(name) : chain.notFollowedBy(name);
        } else {
            switch (link) {
                case RELAXED:
                    p = chain.followedBy(name);
                    break;
                case ANY:
                    p = chain.followedByAny(name);
                    break;
                default:
                    p = chain.next(name);
            }
        }
        model.elementPatterns.put(name, p);
        return p;
    }

    private static Pattern<Row> groupElement(Pattern<Row> chain, Pattern<Row> group, Contiguity link, AfterMatchSkipStrategy skip) {
        if (chain == null) {
            return skip == null ? Pattern.begin(group) : Pattern.begin(group, skip);
        }
        switch (link) {
            case RELAXED:
                return chain.followedBy(group);
            case ANY:
                return chain.followedByAny(group);
            default:
                return chain.next(group);
        }
    }

    /** Flink SQL's quantifier translation, plus loop contiguity from the {@code ->+} extension. */
    private Pattern<Row> quantify(Pattern<Row> p, RowPattern.Quantified q) {
        int min = q.min();
        int max = q.max();
        boolean optional = min == 0 && max == 1;
        boolean loops = !optional;
        if (min == 0 && max == RowPattern.Quantified.UNBOUNDED) {
            p = p.oneOrMore().optional();
        } else if (min == 1 && max == RowPattern.Quantified.UNBOUNDED) {
            p = p.oneOrMore();
        } else if (optional) {
            p = p.optional();
        } else if (max != RowPattern.Quantified.UNBOUNDED) {
            if (min == 0 && max == 0) {
                problems.error(q.span(), "{0} matches nothing", "remove the variable");
                return null;
            }
            p = p.times(min, max);
        } else {
            p = p.timesOrMore(min);
        }
        if (loops) {
            switch (q.loop()) {
                case STRICT:
                    p = p.consecutive();
                    break;
                case ANY:
                    p = p.allowCombinations();
                    break;
                default:
                    break;
            }
        }
        if (!q.reluctant() && !(optional || min == max)) {
            p = p.greedy();
        }
        return p;
    }
}
