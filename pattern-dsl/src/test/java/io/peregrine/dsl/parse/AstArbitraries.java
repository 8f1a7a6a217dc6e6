package io.peregrine.dsl.parse;

import io.peregrine.dsl.ast.Expr;
import io.peregrine.dsl.ast.Expr.BinaryOp;
import io.peregrine.dsl.ast.Expr.LiteralKind;
import io.peregrine.dsl.ast.Ident;
import io.peregrine.dsl.ast.MatchRecognize;
import io.peregrine.dsl.ast.ProgramAst;
import io.peregrine.dsl.ast.Query;
import io.peregrine.dsl.ast.RowPattern;
import io.peregrine.dsl.ast.RowPattern.Contiguity;
import io.peregrine.dsl.ast.Span;
import io.peregrine.dsl.ast.Statement;
import io.peregrine.dsl.ast.TypeName;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Random syntax trees of bounded depth, all of a shape the parser can produce: names are unquoted only
 * when they may be written plain (contextual keywords included, on purpose), numeric literals are
 * non-negative (a minus sign parses as a negation) except Long.MIN_VALUE, strings have no line
 * breaks, lists the grammar needs non-empty are non-empty.
 */
final class AstArbitraries {

    private static final Span N = Span.NONE;

    /** Plain names, among them contextual keywords that must stay usable as names everywhere. */
    private static final List<String> PLAIN_NAMES = List.of("a", "b", "A", "B", "S", "price", "PRICE_DOWN", "ts",
            "card_id", "x1", "_y", "été", "$rowtime", "key", "row", "rows", "first", "last", "next", "prev", "one",
            "after", "emit", "until", "timestamp", "skip", "match", "every", "sliding", "hopping", "stream",
            "watermark", "timeouts", "past", "to", "no", "per", "show", "omit", "empty", "matches", "unmatched",
            "date", "time", "second", "hour", "primary", "nulls", "constraint", "comment", "features", "classifier",
            "local", "zone", "metadata", "precision", "without", "tumbling", "window", "keys", "symmetric");

    private static final String NAME_CHARS = "abcXYZ _`'\"-.;()0123456789éß€*/";
    private static final String STRING_CHARS = "abc XYZ'`\"\\%_-*/()|;,.\t\r\u0000é€😀";

    private static final int MAX_DEPTH = 5;
    /** Built once, bottom-up. */
    private static final Arbitrary<Ident> IDENT = buildIdent();
    private static final List<Arbitrary<Expr>> EXPRS = new ArrayList<>();
    private static final List<Arbitrary<RowPattern>> PATTERNS = new ArrayList<>();

    static {
        for (int depth = 0; depth <= MAX_DEPTH; depth++) {
            // lazy: jqwik builds a generator per reference, so an eager graph costs exponentially in depth
            int below = depth - 1;
            EXPRS.add(depth == 0 ? buildLeaf() : buildExpr(Arbitraries.lazy(() -> EXPRS.get(below))));
            PATTERNS.add(buildRowPattern(depth == 0 ? null : Arbitraries.lazy(() -> PATTERNS.get(below))));
        }
    }

    private AstArbitraries() {}

    static Arbitrary<Ident> ident() {
        return IDENT;
    }

    private static Arbitrary<Ident> buildIdent() {
        Arbitrary<Ident> plain = Arbitraries.of(PLAIN_NAMES).map(n -> new Ident(N, n, false));
        Arbitrary<Ident> quoted = Arbitraries.oneOf(
                Arbitraries.strings().withChars(NAME_CHARS).ofMinLength(1).ofMaxLength(6),
                Arbitraries.of(Keywords.RESERVED).map(String::toLowerCase),
                Arbitraries.of(PLAIN_NAMES)).map(n -> new Ident(N, n, true));
        return Arbitraries.frequencyOf(Tuple.of(5, plain), Tuple.of(1, quoted));
    }

    // ---------------------------------------------------------------- expressions

    static Arbitrary<TypeName> typeName() {
        return Arbitraries.oneOf(
                Arbitraries.of("STRING", "INT", "INTEGER", "BIGINT", "DOUBLE", "BOOLEAN", "TIMESTAMP", "VARCHAR")
                        .map(n -> new TypeName(N, n, List.of())),
                Arbitraries.of("TIMESTAMP", "TIMESTAMP_LTZ", "VARCHAR", "CHAR", "DECIMAL")
                        .map(n -> new TypeName(N, n, List.of(3))),
                Arbitraries.integers().between(1, 18).map(p -> new TypeName(N, "DECIMAL", List.of(p, p / 2))));
    }

    static Arbitrary<Expr> literal() {
        Arbitrary<Expr> integers = Arbitraries.oneOf(Arbitraries.longs().between(0, Long.MAX_VALUE),
                Arbitraries.of(0L, 1L, Long.MAX_VALUE, Long.MIN_VALUE))
                .map(v -> new Expr.Literal(N, LiteralKind.INTEGER, v));
        Arbitrary<Expr> decimals = Combinators.combine(Arbitraries.bigIntegers().between(BigInteger.ZERO,
                BigInteger.TEN.pow(30)), Arbitraries.integers().between(0, 6))
                .as((unscaled, scale) -> new Expr.Literal(N, LiteralKind.DECIMAL, new BigDecimal(unscaled, scale)));
        Arbitrary<Expr> doubles = Arbitraries.oneOf(Arbitraries.doubles().between(0, 1e300),
                Arbitraries.of(0.0, 1.0, 1e-10, Double.MIN_VALUE, Double.MAX_VALUE, 123.0))
                .map(v -> new Expr.Literal(N, LiteralKind.DOUBLE, v));
        Arbitrary<Expr> strings = Arbitraries.strings().withChars(STRING_CHARS).ofMaxLength(8)
                .map(v -> new Expr.Literal(N, LiteralKind.STRING, v));
        Arbitrary<Expr> others = Arbitraries.of(new Expr.Literal(N, LiteralKind.NULL, null),
                new Expr.Literal(N, LiteralKind.BOOLEAN, true), new Expr.Literal(N, LiteralKind.BOOLEAN, false));
        Arbitrary<Expr> intervals = Combinators.combine(Arbitraries.of("1", "10", "-5", "1.5", "0", "250"),
                Arbitraries.of(Expr.TimeUnit.values())).as((v, u) -> new Expr.IntervalLiteral(N, v, u));
        Arbitrary<Expr> timestamps = Arbitraries.of("2024-01-31 12:00:00", "2024-01-01 00:00:00.000", "x")
                .map(v -> new Expr.TimestampLiteral(N, v));
        return Arbitraries.oneOf(integers, decimals, doubles, strings, others, intervals, timestamps);
    }

    static Arbitrary<Expr> columnRef() {
        return Combinators.combine(ident().injectNull(0.5), ident()).as((q, c) -> new Expr.ColumnRef(N, q, c));
    }

    private static Arbitrary<Expr> buildLeaf() {
        return Arbitraries.frequencyOf(Tuple.of(2, literal()), Tuple.of(3, columnRef()));
    }

    /** Expressions at most {@code depth} deep. */
    static Arbitrary<Expr> expr(int depth) {
        return EXPRS.get(Math.min(depth, MAX_DEPTH));
    }

    private static Arbitrary<Expr> buildExpr(Arbitrary<Expr> sub) {
        Arbitrary<Expr> leaf = EXPRS.get(0);
        Arbitrary<Expr> unary = Combinators.combine(Arbitraries.of(Expr.UnaryOp.values()), sub)
                .as((op, e) -> new Expr.Unary(N, op, e));
        Arbitrary<Expr> binary = Combinators.combine(Arbitraries.of(BinaryOp.values()), sub, sub)
                .as((op, l, r) -> new Expr.Binary(N, op, l, r));
        Arbitrary<Expr> isNull = Combinators.combine(sub, Arbitraries.of(true, false))
                .as((e, neg) -> new Expr.IsNull(N, e, neg));
        Arbitrary<Expr> between = Combinators.combine(sub, sub, sub, Arbitraries.of(true, false))
                .as((v, lo, hi, neg) -> new Expr.Between(N, v, lo, hi, neg));
        Arbitrary<Expr> in = Combinators.combine(sub, sub.list().ofMinSize(1).ofMaxSize(3), Arbitraries.of(true, false))
                .as((v, list, neg) -> new Expr.In(N, v, list, neg));
        Arbitrary<Expr> like = Combinators.combine(sub, sub, sub.injectNull(0.5), Arbitraries.of(true, false))
                .as((v, p, esc, neg) -> new Expr.Like(N, v, p, esc, neg));
        Arbitrary<Expr.When> when = Combinators.combine(sub, sub).as((c, r) -> new Expr.When(N, c, r));
        Arbitrary<Expr> caseExpr = Combinators.combine(sub.injectNull(0.5), when.list().ofMinSize(1).ofMaxSize(3),
                sub.injectNull(0.5)).as((op, whens, otherwise) -> new Expr.Case(N, op, whens, otherwise));
        Arbitrary<Expr> cast = Combinators.combine(sub, typeName()).as((e, t) -> new Expr.Cast(N, e, t));
        return Arbitraries.frequencyOf(Tuple.of(6, leaf), Tuple.of(2, unary), Tuple.of(6, binary),
                Tuple.of(1, isNull), Tuple.of(1, between), Tuple.of(1, in), Tuple.of(1, like), Tuple.of(1, caseExpr),
                Tuple.of(1, cast), Tuple.of(3, call(sub)));
    }

    static Arbitrary<Expr> call(Arbitrary<Expr> sub) {
        Arbitrary<String> names = Arbitraries.oneOf(
                Arbitraries.of("COUNT", "SUM", "AVG", "FIRST", "LAST", "PREV", "NEXT", "CLASSIFIER", "MATCH_NUMBER",
                        "MATCH_ROWTIME", "SUBSTRING", "TIMESTAMP", "DATE", "KEY", "CAST", "INTERVAL", "FILTER", "IF"),
                Arbitraries.strings().withChars("ABC _`1(").ofMinLength(1).ofMaxLength(5));
        Arbitrary<Expr> star = ident().injectNull(0.5).map(q -> new Expr.Star(N, q));
        Arbitrary<Expr> argument = Arbitraries.frequencyOf(Tuple.of(5, sub), Tuple.of(1, star));
        return Combinators.combine(names, argument.list().ofMaxSize(3), Arbitraries.of(true, false),
                Arbitraries.of(Expr.Semantics.values()))
                .as((name, args, distinct, semantics) -> new Expr.Call(N, name, args, distinct && !args.isEmpty(),
                        semantics));
    }

    // ---------------------------------------------------------------- row patterns

    static Arbitrary<RowPattern.Var> var() {
        return ident().map(i -> new RowPattern.Var(N, i));
    }

    /** Row patterns at most {@code depth} deep. */
    static Arbitrary<RowPattern> rowPattern(int depth) {
        return PATTERNS.get(Math.min(depth, MAX_DEPTH));
    }

    private static Arbitrary<RowPattern> buildRowPattern(Arbitrary<RowPattern> sub) {
        Arbitrary<RowPattern> leaf = Arbitraries.frequencyOf(Tuple.of(8, var().map(v -> (RowPattern) v)),
                Tuple.of(1, Arbitraries.of(true, false).map(s -> new RowPattern.Anchor(N, s))),
                Tuple.of(1, var().map(v -> new RowPattern.Not(N, v))));
        if (sub == null) {
            return leaf;
        }
        Arbitrary<RowPattern> concat = sub.list().ofMinSize(2).ofMaxSize(4).flatMap(items ->
                Arbitraries.of(Contiguity.values()).list().ofSize(items.size() - 1)
                        .map(links -> new RowPattern.Concat(N, items, links)));
        Arbitrary<RowPattern> alternation = sub.list().ofMinSize(2).ofMaxSize(3)
                .map(items -> new RowPattern.Alternation(N, items));
        Arbitrary<int[]> bounds = Combinators.combine(Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(-1, 5)).as((min, extra) -> new int[] {min, extra < 0 ? -1 : min + extra});
        Arbitrary<RowPattern> quantified = Combinators.combine(sub, bounds, Arbitraries.of(true, false),
                Arbitraries.of(Contiguity.values()))
                .as((body, b, reluctant, loop) -> new RowPattern.Quantified(N, body, b[0], b[1], reluctant, loop));
        Arbitrary<RowPattern> permute = sub.list().ofMinSize(1).ofMaxSize(3).map(items -> new RowPattern.Permute(N, items));
        Arbitrary<RowPattern> exclusion = sub.map(b -> new RowPattern.Exclusion(N, b));
        return Arbitraries.frequencyOf(Tuple.of(4, leaf), Tuple.of(4, concat), Tuple.of(2, alternation),
                Tuple.of(4, quantified), Tuple.of(1, permute), Tuple.of(1, exclusion));
    }

    // ---------------------------------------------------------------- statements

    static Arbitrary<Statement> statement() {
        return Arbitraries.oneOf(createStream(), createPattern(), createFeatures());
    }

    static Arbitrary<ProgramAst> program() {
        return statement().list().ofMinSize(1).ofMaxSize(3).map(ProgramAst::new);
    }

    static Arbitrary<Statement> createStream() {
        Arbitrary<Statement.ColumnDef> column = Combinators.combine(ident(), typeName())
                .as((n, t) -> new Statement.ColumnDef(N, n, t));
        Arbitrary<Statement.Watermark> watermark = Combinators.combine(ident(), expr(2))
                .as((c, e) -> new Statement.Watermark(N, c, e));
        Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of("format", "connector", "scan.startup.mode",
                "partition.discovery", "key.fields", "json.ignore-parse-errors", "", "a b", "it's", "1x"),
                Arbitraries.strings().withChars(NAME_CHARS).ofMaxLength(6));
        Arbitrary<Statement.Option> option = Combinators.combine(keys,
                Arbitraries.strings().withChars(STRING_CHARS).ofMaxLength(8))
                .as((k, v) -> new Statement.Option(N, k, v));
        return Combinators.combine(ident(), column.list().ofMinSize(1).ofMaxSize(4), watermark.injectNull(0.4),
                option.list().ofMaxSize(3))
                .as((name, columns, wm, options) -> new Statement.CreateStream(N, name, columns, wm, options));
    }

    static Arbitrary<MatchRecognize> matchRecognize() {
        Arbitrary<Expr> e = expr(2);
        Arbitrary<MatchRecognize.OrderItem> order = Combinators.combine(e, Arbitraries.of(true, false))
                .as((x, desc) -> new MatchRecognize.OrderItem(N, x, desc));
        Arbitrary<MatchRecognize.Measure> measure = Combinators.combine(e, ident())
                .as((x, a) -> new MatchRecognize.Measure(N, x, a));
        Arbitrary<MatchRecognize.AfterMatch> afterMatch = Combinators.combine(
                Arbitraries.of(MatchRecognize.SkipKind.values()), ident())
                .as((k, v) -> new MatchRecognize.AfterMatch(N, k,
                        k == MatchRecognize.SkipKind.TO_FIRST || k == MatchRecognize.SkipKind.TO_LAST ? v : null));
        Arbitrary<MatchRecognize.Subset> subset = Combinators.combine(ident(), ident().list().ofMinSize(1).ofMaxSize(3))
                .as((n, vs) -> new MatchRecognize.Subset(N, n, vs));
        Arbitrary<MatchRecognize.Define> define = Combinators.combine(ident(), e, e.injectNull(0.7))
                .as((v, c, u) -> new MatchRecognize.Define(N, v, c, u));
        Arbitrary<Tuple.Tuple5<List<Expr>, List<MatchRecognize.OrderItem>, List<MatchRecognize.Measure>,
                MatchRecognize.RowsPerMatch, MatchRecognize.AfterMatch>> head = Combinators.combine(
                e.list().ofMaxSize(2), order.list().ofMaxSize(2), measure.list().ofMaxSize(3),
                Arbitraries.of(MatchRecognize.RowsPerMatch.values()).injectNull(0.4), afterMatch.injectNull(0.4))
                .as(Tuple::of);
        Arbitrary<Tuple.Tuple6<RowPattern, Expr, Expr, Boolean, List<MatchRecognize.Subset>,
                List<MatchRecognize.Define>>> tail = Combinators.combine(rowPattern(3), e.injectNull(0.5),
                e.injectNull(0.7), Arbitraries.of(true, false), subset.list().ofMaxSize(2), define.list().ofMaxSize(3))
                .as(Tuple::of);
        return Combinators.combine(head, tail).as((h, t) -> new MatchRecognize(N, h.get1(), h.get2(), h.get3(), h.get4(),
                h.get5(), t.get1(), t.get2(), t.get3(), t.get4(), t.get5(), t.get6()));
    }

    static Arbitrary<Statement> createPattern() {
        Arbitrary<Query.SelectItem> item = Combinators.combine(expr(2), ident().injectNull(0.5))
                .as((x, a) -> new Query.SelectItem(N, x, a));
        Arbitrary<Query> query = Combinators.combine(item.list().ofMaxSize(3), ident(), matchRecognize(),
                ident().injectNull(0.5)).as((items, from, mr, alias) -> new Query(N, items, from, mr, alias));
        return Combinators.combine(ident(), query).as((n, q) -> new Statement.CreatePattern(N, n, q));
    }

    static Arbitrary<Statement> createFeatures() {
        Arbitrary<Expr> e = expr(2);
        Arbitrary<Statement.Window> window = Combinators.combine(Arbitraries.of(Statement.WindowKind.values()), e, e)
                .as((k, size, hop) -> new Statement.Window(N, k, size, k == Statement.WindowKind.HOPPING ? hop : null));
        Arbitrary<Statement.FeatureDef> feature = Combinators.combine(ident(), e, e.injectNull(0.6),
                ident().injectNull(0.6), window.injectNull(0.3))
                .as((n, agg, filter, from, w) -> new Statement.FeatureDef(N, n, agg, filter, from, w));
        return Combinators.combine(ident(), ident(), ident().list().ofMinSize(1).ofMaxSize(3),
                feature.list().ofMinSize(1).ofMaxSize(3))
                .as((n, s, key, features) -> new Statement.CreateFeatures(N, n, s, key, features));
    }
}
