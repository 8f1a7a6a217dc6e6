package io.peregrine.dsl.parse;

import io.peregrine.dsl.Diagnostic;
import io.peregrine.dsl.SourceFile;
import io.peregrine.dsl.ast.Expr;
import io.peregrine.dsl.ast.Expr.BinaryOp;
import io.peregrine.dsl.ast.Expr.LiteralKind;
import io.peregrine.dsl.ast.Expr.Semantics;
import io.peregrine.dsl.ast.Expr.TimeUnit;
import io.peregrine.dsl.ast.Expr.UnaryOp;
import io.peregrine.dsl.ast.Ident;
import io.peregrine.dsl.ast.MatchRecognize;
import io.peregrine.dsl.ast.MatchRecognize.AfterMatch;
import io.peregrine.dsl.ast.MatchRecognize.Define;
import io.peregrine.dsl.ast.MatchRecognize.Measure;
import io.peregrine.dsl.ast.MatchRecognize.OrderItem;
import io.peregrine.dsl.ast.MatchRecognize.RowsPerMatch;
import io.peregrine.dsl.ast.MatchRecognize.SkipKind;
import io.peregrine.dsl.ast.MatchRecognize.Subset;
import io.peregrine.dsl.ast.ProgramAst;
import io.peregrine.dsl.ast.Query;
import io.peregrine.dsl.ast.RowPattern;
import io.peregrine.dsl.ast.RowPattern.Contiguity;
import io.peregrine.dsl.ast.Span;
import io.peregrine.dsl.ast.Statement;
import io.peregrine.dsl.ast.TypeName;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Recursive-descent parser of programs (GRAMMAR.md). It never throws and always terminates: every
 * syntax error becomes a {@link Diagnostic} with the offending token's span, and parsing resumes
 * so that one run reports all errors of a file.
 *
 * <p>Recovery works at three levels. A missing {@code ( ) , ;} is reported and assumed present
 * when what follows makes sense, and a misspelled keyword close to the expected one is reported
 * and taken as that keyword. Otherwise the failing construct unwinds (by a stackless internal
 * exception, the usual device of hand-written parsers) to the nearest list item, MATCH_RECOGNIZE
 * clause or statement, which skips tokens to a synchronising point: a {@code ,} or {@code )} at
 * the item's depth, the next clause keyword, or the next {@code ;} / {@code CREATE}. Nesting
 * depth, tree height, the number of errors and the work per token are bounded so that no input
 * (however deep, long or garbled) overflows the stack or spins.
 */
public final class Parser {

    /** Deepest nesting of parentheses, CASE, calls and unary operators. */
    static final int MAX_NESTING = 200;
    /** Tallest syntax tree (nesting plus operator chains), so that tree walks stay within the stack. */
    static final int MAX_HEIGHT = 2_000;
    static final int MAX_ERRORS = 200;

    private static final Pattern INTERVAL_VALUE = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    private static final String[] CLAUSE_NAMES = {
        "PARTITION BY", "ORDER BY", "MEASURES", "ROWS PER MATCH", "AFTER MATCH", "PATTERN", "WITHIN",
        "EMIT TIMEOUTS", "SUBSET", "DEFINE"
    };
    private static final int PARTITION = 0;
    private static final int ORDER = 1;
    private static final int MEASURES = 2;
    private static final int ROWS = 3;
    private static final int AFTER = 4;
    private static final int PATTERN = 5;
    private static final int WITHIN = 6;
    private static final int EMIT = 7;
    private static final int SUBSET = 8;
    private static final int DEFINE = 9;
    /** Words that start a clause, for typo suggestions, with the clause they start. */
    private static final Map<String, Integer> CLAUSE_WORDS = Map.ofEntries(
            Map.entry("PARTITION", PARTITION), Map.entry("ORDER", ORDER), Map.entry("MEASURES", MEASURES),
            Map.entry("ONE", ROWS), Map.entry("ALL", ROWS), Map.entry("AFTER", AFTER),
            Map.entry("PATTERN", PATTERN), Map.entry("WITHIN", WITHIN), Map.entry("EMIT", EMIT),
            Map.entry("SUBSET", SUBSET), Map.entry("DEFINE", DEFINE));

    /** The same words in clause order: suggestions must not depend on a map's iteration order. */
    private static final List<String> CLAUSE_WORD_LIST = List.of("PARTITION", "ORDER", "MEASURES", "ONE", "ALL",
            "AFTER", "PATTERN", "WITHIN", "EMIT", "SUBSET", "DEFINE");

    private static final Map<String, TimeUnit> UNITS = Map.ofEntries(
            Map.entry("MILLISECOND", TimeUnit.MILLISECOND), Map.entry("MILLISECONDS", TimeUnit.MILLISECOND),
            Map.entry("SECOND", TimeUnit.SECOND), Map.entry("SECONDS", TimeUnit.SECOND),
            Map.entry("MINUTE", TimeUnit.MINUTE), Map.entry("MINUTES", TimeUnit.MINUTE),
            Map.entry("HOUR", TimeUnit.HOUR), Map.entry("HOURS", TimeUnit.HOUR),
            Map.entry("DAY", TimeUnit.DAY), Map.entry("DAYS", TimeUnit.DAY));
    /** Singular first, so that a typo is matched to the singular on a tie. */
    private static final List<String> UNIT_WORDS = List.of("MILLISECOND", "SECOND", "MINUTE", "HOUR", "DAY",
            "MILLISECONDS", "SECONDS", "MINUTES", "HOURS", "DAYS");
    private static final String UNIT_LIST = "MILLISECOND, SECOND, MINUTE, HOUR or DAY";

    /** Unwinds to the nearest recovery point; the error (if any) is already reported. */
    private static final class SyntaxError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SyntaxError() {
            super(null, null, false, false);
        }
    }

    /** Stops the whole parse (too many errors, or the work bound hit). */
    private static final class Abort extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Abort() {
            super(null, null, false, false);
        }
    }

    private static final SyntaxError BAIL = new SyntaxError();

    private final List<Token> tokens;
    private final int last;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final long fuelLimit;
    private long fuel;
    private int pos;
    private int prevEnd;
    private int nesting;
    private int height;
    private int errors;
    private int lastErrorStart = -1;

    private Parser(List<Token> tokens) {
        this.tokens = tokens;
        this.last = tokens.size() - 1;
        this.fuelLimit = 1_000L * tokens.size() + 100_000L;
    }

    /** Parses a whole program. Never throws; see {@link ParseResult}. */
    public static ParseResult parse(SourceFile source) {
        Lexer lexer = new Lexer(source.text());
        Parser parser = new Parser(lexer.tokenize());
        parser.errors = (int) lexer.diagnostics().stream().filter(Diagnostic::isError).count();
        ProgramAst program = parser.program();
        return new ParseResult(program, merge(lexer.diagnostics(), parser.diagnostics));
    }

    /** A piece of a program parsed on its own (tests, tools); {@code value} is null when it did not parse. */
    public record Fragment<T>(T value, List<Diagnostic> diagnostics) {}

    /** Parses one expression that must span the whole text. */
    public static Fragment<Expr> parseExpression(String text) {
        return fragment(text, p -> p.expr());
    }

    /** Parses one row pattern (the inside of {@code PATTERN ( ... )}) that must span the whole text. */
    static Fragment<RowPattern> parseRowPattern(String text) {
        return fragment(text, p -> p.rowPattern());
    }

    private static <T> Fragment<T> fragment(String text, Function<Parser, T> rule) {
        Lexer lexer = new Lexer(text);
        Parser p = new Parser(lexer.tokenize());
        T value = null;
        try {
            value = rule.apply(p);
            if (!p.at(TokenKind.EOF)) {
                p.report(p.peek().span(), "unexpected " + describe(p.peek()) + " after the end", null);
            }
        } catch (SyntaxError | Abort e) {
            // reported
        }
        return new Fragment<>(value, merge(lexer.diagnostics(), p.diagnostics));
    }

    private static List<Diagnostic> merge(List<Diagnostic> a, List<Diagnostic> b) {
        List<Diagnostic> all = new ArrayList<>(a);
        all.addAll(b);
        all.sort(Comparator.comparingInt(d -> d.span().start()));
        return all;
    }

    // ---------------------------------------------------------------- tokens and errors

    private Token peek() {
        if (++fuel > fuelLimit) {
            diagnostics.add(Diagnostic.error(tokens.get(pos).span(), "the parser gave up here (work limit)", null));
            throw new Abort();
        }
        return tokens.get(pos);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(pos + ahead, last));
    }

    private Token advance() {
        Token t = tokens.get(pos);
        if (pos < last) {
            pos++;
        }
        prevEnd = t.end();
        return t;
    }

    private boolean at(TokenKind kind) {
        return peek().kind() == kind;
    }

    private boolean atWord(String word) {
        return peek().isWord(word);
    }

    private boolean accept(TokenKind kind) {
        if (at(kind)) {
            advance();
            return true;
        }
        return false;
    }

    private boolean acceptWord(String word) {
        if (atWord(word)) {
            advance();
            return true;
        }
        return false;
    }

    private Span spanFrom(int start) {
        return new Span(start, Math.max(start, prevEnd));
    }

    /** Reports an error (once per position). */
    private void report(Span span, String message, String hint) {
        if (span.start() == lastErrorStart) {
            return;
        }
        lastErrorStart = span.start();
        diagnostics.add(Diagnostic.error(span, message, hint));
        if (++errors >= MAX_ERRORS) {
            diagnostics.add(Diagnostic.error(span, "too many errors; stopping after " + MAX_ERRORS, null));
            throw new Abort();
        }
    }

    private void warn(Span span, String message, String hint) {
        diagnostics.add(Diagnostic.warning(span, message, hint));
    }

    /** Reports and returns the exception to throw. */
    private SyntaxError fail(Token at, String message, String hint) {
        report(at.span(), message, hint);
        return BAIL;
    }

    static String describe(Token t) {
        switch (t.kind()) {
            case EOF:
                return "end of input";
            case STRING:
                return "string " + abbreviate(t.text());
            case KEYWORD:
                return "'" + t.text() + "'";
            default:
                return "'" + abbreviate(Lexer.printable(t.text())) + "'";
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    private static String quoted(TokenKind kind) {
        return "'" + kind.symbol() + "'";
    }

    /** Expects punctuation; fails (unwinds) when it is missing. */
    private Token expect(TokenKind kind, String context) {
        if (at(kind)) {
            return advance();
        }
        throw fail(peek(), "expected " + quoted(kind) + " " + context + ", found " + describe(peek()), null);
    }

    /** Expects punctuation; when it is missing, reports it and carries on as if it were there. */
    private void expectSoft(TokenKind kind, String context) {
        if (!accept(kind)) {
            Token t = peek();
            report(t.span(), "expected " + quoted(kind) + " " + context + ", found " + describe(t), null);
        }
    }

    /**
     * Expects a keyword. A bare word that looks like a typo of it (both 4+ letters) is reported and
     * taken as the keyword; anything else fails.
     */
    private Token expectWord(String word, String context, String hint) {
        Token t = peek();
        if (t.isWord(word)) {
            return advance();
        }
        String message = "expected " + word + " " + context + ", found " + describe(t);
        if (t.isBareWord() && t.text().length() >= 4 && word.length() >= 4
                && Keywords.closest(t.text(), List.of(word)) != null) {
            report(t.span(), message, "did you mean " + word + "?");
            return advance();
        }
        if (hint == null && t.isBareWord() && Keywords.closest(t.text(), List.of(word)) != null) {
            hint = "did you mean " + word + "?";
        }
        throw fail(t, message, hint);
    }

    private Ident ident(Token t) {
        return new Ident(t.span(), t.stringValue(), t.kind() != TokenKind.IDENTIFIER);
    }

    /** A name: an identifier or a back-quoted identifier. {@code what} says what name, for messages. */
    private Ident name(String what) {
        Token t = peek();
        if (t.isName()) {
            advance();
            return ident(t);
        }
        if (t.kind() == TokenKind.KEYWORD) {
            throw fail(t, "expected " + what + ", found reserved word '" + t.text() + "'",
                    "back-quote a reserved word to use it as a name: `" + t.text() + "`");
        }
        throw fail(t, "expected " + what + ", found " + describe(t), null);
    }

    /** Before descending into a nested construct; recovery points restore the counters when it fails. */
    private void enter() {
        nesting++;
        height++;
        if (nesting > MAX_NESTING || height > MAX_HEIGHT) {
            throw fail(peek(), "nesting is too deep (more than " + MAX_NESTING + " levels)", null);
        }
    }

    private void leave() {
        nesting--;
        height--;
    }

    private void grow() {
        if (++height > MAX_HEIGHT) {
            throw fail(peek(), "expression is too long (more than " + MAX_HEIGHT + " operators in a row)",
                    "split it, or use IN (...) for long lists of alternatives");
        }
    }

    /** Parser state to restore when unwinding to a recovery point. */
    private record Mark(int pos, int nesting, int height) {}

    private Mark mark() {
        return new Mark(pos, nesting, height);
    }

    private void unwound(Mark m) {
        nesting = m.nesting();
        height = m.height();
    }

    private boolean atStatementEnd() {
        return at(TokenKind.EOF) || at(TokenKind.SEMICOLON) || atWord("CREATE");
    }

    /**
     * Skips to a {@code ,} or {@code )} at the current depth (or, with {@code clauses}, to a
     * MATCH_RECOGNIZE clause keyword); unwinds to the statement at {@code ;}, CREATE or the end.
     */
    private void syncItem(Mark m, boolean clauses) {
        unwound(m);
        int depth = 0;
        while (true) {
            if (atStatementEnd()) {
                throw BAIL;
            }
            TokenKind k = peek().kind();
            if (depth == 0 && (k == TokenKind.COMMA || k == TokenKind.RPAREN || clauses && clauseAt(true) >= 0)) {
                return;
            }
            if (k == TokenKind.LPAREN) {
                depth++;
            } else if (k == TokenKind.RPAREN) {
                depth--;
            }
            advance();
        }
    }

    /** Skips (at least one token) to the next clause keyword or the closing {@code )} of MATCH_RECOGNIZE. */
    private void syncClause(Mark m) {
        unwound(m);
        if (pos == m.pos() && !atStatementEnd()) {
            advance();
        }
        int depth = 0;
        while (true) {
            if (atStatementEnd()) {
                throw BAIL;
            }
            TokenKind k = peek().kind();
            if (depth == 0 && (k == TokenKind.RPAREN || clauseAt(true) >= 0)) {
                return;
            }
            if (k == TokenKind.LPAREN) {
                depth++;
            } else if (k == TokenKind.RPAREN) {
                depth--;
            }
            advance();
        }
    }

    // ---------------------------------------------------------------- statements

    private ProgramAst program() {
        List<Statement> statements = new ArrayList<>();
        try {
            while (!at(TokenKind.EOF)) {
                if (accept(TokenKind.SEMICOLON)) {
                    continue;
                }
                Mark m = mark();
                try {
                    Statement s = statement();
                    statements.add(s);
                    if (!at(TokenKind.SEMICOLON) && !at(TokenKind.EOF)) {
                        String what = "the " + statementKind(s) + " statement";
                        if (atWord("CREATE")) {
                            report(new Span(prevEnd, prevEnd), "expected ';' after " + what,
                                    "end each statement with ;");
                        } else {
                            throw fail(peek(), "expected ';' after " + what + ", found " + describe(peek()), null);
                        }
                    }
                } catch (SyntaxError e) {
                    unwound(m);
                    if (pos == m.pos() && !at(TokenKind.EOF)) {
                        advance();
                    }
                    while (!atStatementEnd()) {
                        advance();
                    }
                    accept(TokenKind.SEMICOLON);
                }
            }
        } catch (Abort e) {
            // reported; keep what was parsed
        }
        return new ProgramAst(statements);
    }

    private static String statementKind(Statement s) {
        if (s instanceof Statement.CreateStream) {
            return "CREATE STREAM";
        }
        return s instanceof Statement.CreatePattern ? "CREATE PATTERN" : "CREATE FEATURES";
    }

    private Statement statement() {
        Token create = peek();
        boolean missingCreate = create.isWord("STREAM") || create.isWord("PATTERN") || create.isWord("FEATURES");
        if (missingCreate) {
            report(create.span(), "expected CREATE " + create.text().toUpperCase(Locale.ROOT) + ", found "
                    + describe(create), "start the statement with CREATE");
        } else if (!create.isWord("CREATE")) {
            if (create.isBareWord() && create.text().length() >= 4
                    && Keywords.closest(create.text(), List.of("CREATE")) != null) {
                report(create.span(), "expected CREATE, found " + describe(create), "did you mean CREATE?");
            } else {
                throw fail(create, "expected CREATE STREAM, CREATE PATTERN or CREATE FEATURES, found "
                        + describe(create), create.isWord("SELECT")
                                ? "a query is defined as a pattern: CREATE PATTERN name AS SELECT ..." : null);
            }
        }
        if (!missingCreate) {
            advance();
        }
        Token kind = peek();
        String k = kind.isBareWord() ? kind.text().toUpperCase(Locale.ROOT) : "";
        if (!k.equals("STREAM") && !k.equals("PATTERN") && !k.equals("FEATURES")) {
            String message = "expected STREAM, PATTERN or FEATURES after CREATE, found " + describe(kind);
            String guess = kind.isBareWord() ? Keywords.closest(k, List.of("STREAM", "PATTERN", "FEATURES")) : null;
            if (guess != null && k.length() >= 4) {
                report(kind.span(), message, "did you mean " + guess + "?");
                k = guess;
            } else {
                String hint = null;
                if (k.equals("TABLE")) {
                    hint = "Flink's CREATE TABLE is CREATE STREAM here";
                } else if (k.equals("VIEW")) {
                    hint = "a MATCH_RECOGNIZE query is CREATE PATTERN name AS SELECT ...";
                }
                throw fail(kind, message, hint);
            }
        }
        advance();
        switch (k) {
            case "STREAM":
                return createStream(create);
            case "PATTERN":
                return createPattern(create);
            default:
                return createFeatures(create);
        }
    }

    // CREATE STREAM name ( column TYPE, ..., WATERMARK FOR column AS expr ) [WITH ( key = 'value', ... )]
    private Statement createStream(Token create) {
        Ident name = name("a stream name after CREATE STREAM");
        expectSoft(TokenKind.LPAREN, "after CREATE STREAM " + name.name());
        List<Statement.ColumnDef> columns = new ArrayList<>();
        Statement.Watermark watermark = null;
        if (at(TokenKind.RPAREN)) {
            report(peek().span(), "stream " + name.name() + " needs at least one column", null);
        } else {
            while (true) {
                Mark m = mark();
                try {
                    if (atWord("WATERMARK") && peek(1).isWord("FOR")) {
                        Statement.Watermark w = watermark();
                        if (watermark != null) {
                            report(w.span(), "stream " + name.name() + " has more than one WATERMARK",
                                    "keep one WATERMARK FOR clause");
                        } else {
                            watermark = w;
                        }
                    } else if ((atWord("PRIMARY") && peek(1).isWord("KEY") && peek(2).kind() == TokenKind.LPAREN)
                            || (atWord("CONSTRAINT") && peek(1).isName() && peek(2).isWord("PRIMARY"))) {
                        throw fail(peek(), "PRIMARY KEY constraints are not supported",
                                "remove it; patterns are keyed by PARTITION BY and features by KEY");
                    } else {
                        columns.add(column());
                    }
                } catch (SyntaxError e) {
                    syncItem(m, false);
                }
                if (accept(TokenKind.COMMA)) {
                    if (at(TokenKind.RPAREN)) {
                        report(peek().span(), "expected a column after ',', found ')'", "remove the trailing comma");
                        break;
                    }
                    continue;
                }
                if (at(TokenKind.RPAREN)) {
                    break;
                }
                if (peek().isName() && peek(1).isBareWord()) {
                    report(peek().span(), "expected ',' between columns, found " + describe(peek()),
                            "separate columns with commas");
                    continue;
                }
                break;
            }
        }
        expectSoft(TokenKind.RPAREN, "to close the columns of stream " + name.name());
        List<Statement.Option> options = new ArrayList<>();
        if (acceptWord("WITH")) {
            options = options();
        }
        return new Statement.CreateStream(spanFrom(create.start()), name, columns, watermark, options);
    }

    private Statement.ColumnDef column() {
        Ident name = name("a column name");
        TypeName type = typeName("a type for column " + name.name());
        if (atWord("NOT") && peek(1).isWord("NULL")) {
            int start = advance().start();
            advance();
            warn(spanFrom(start), "NOT NULL is ignored", "every column may be null; remove NOT NULL");
        } else {
            acceptWord("NULL");
        }
        if (atWord("AS")) {
            throw fail(peek(), "computed columns are not supported", "compute the value in MEASURES or DEFINE");
        }
        if (atWord("METADATA")) {
            throw fail(peek(), "METADATA columns are not supported", null);
        }
        if (atWord("COMMENT") && peek(1).kind() == TokenKind.STRING) {
            advance();
            advance();
        }
        return new Statement.ColumnDef(spanFrom(name.span().start()), name, type);
    }

    private TypeName typeName(String what) {
        Token t = peek();
        if (t.kind() != TokenKind.IDENTIFIER) {
            throw fail(t, "expected " + what + ", found " + describe(t), null);
        }
        advance();
        String name = t.text().toUpperCase(Locale.ROOT);
        if (name.equals("DOUBLE") && atWord("PRECISION")) {
            advance();
        }
        List<Integer> params = new ArrayList<>();
        if (accept(TokenKind.LPAREN)) {
            params.add(typeParameter(name));
            while (accept(TokenKind.COMMA)) {
                params.add(typeParameter(name));
            }
            expectSoft(TokenKind.RPAREN, "after the parameters of " + name);
        }
        if (name.equals("TIMESTAMP")) {
            if (atWord("WITH") && peek(1).isWord("LOCAL")) {
                advance();
                advance();
                expectWord("TIME", "in WITH LOCAL TIME ZONE", null);
                expectWord("ZONE", "in WITH LOCAL TIME ZONE", null);
                name = "TIMESTAMP_LTZ";
            } else if (atWord("WITHOUT") && peek(1).isWord("TIME")) {
                advance();
                advance();
                expectWord("ZONE", "in WITHOUT TIME ZONE", null);
            }
        }
        if (at(TokenKind.LT)) {
            throw fail(peek(), "composite types (" + name + "<...>) are not supported", null);
        }
        return new TypeName(spanFrom(t.start()), name, params);
    }

    private int typeParameter(String type) {
        Token t = peek();
        if (t.kind() == TokenKind.INTEGER && t.value() instanceof Long && (Long) t.value() <= Integer.MAX_VALUE) {
            advance();
            return (int) (long) (Long) t.value();
        }
        throw fail(t, "expected a whole number as a parameter of " + type + ", found " + describe(t), null);
    }

    private Statement.Watermark watermark() {
        int start = advance().start();
        advance();
        Ident column = name("the time column after WATERMARK FOR");
        expectWord("AS", "after WATERMARK FOR " + column.name(),
                "write WATERMARK FOR " + column.name() + " AS " + column.name() + " - INTERVAL '5' SECOND");
        Expr e = expr();
        return new Statement.Watermark(spanFrom(start), column, e);
    }

    private List<Statement.Option> options() {
        expectSoft(TokenKind.LPAREN, "after WITH");
        List<Statement.Option> options = new ArrayList<>();
        if (accept(TokenKind.RPAREN)) {
            return options;
        }
        while (true) {
            Mark m = mark();
            try {
                options.add(option());
            } catch (SyntaxError e) {
                syncItem(m, false);
            }
            if (accept(TokenKind.COMMA)) {
                continue;
            }
            if (at(TokenKind.RPAREN)) {
                break;
            }
            Token t = peek();
            if ((t.kind() == TokenKind.STRING || t.isBareWord() || t.isName())
                    && (peek(1).kind() == TokenKind.EQ || peek(1).kind() == TokenKind.DOT)) {
                report(t.span(), "expected ',' between options, found " + describe(t), "separate options with commas");
                continue;
            }
            break;
        }
        expectSoft(TokenKind.RPAREN, "to close the WITH options");
        return options;
    }

    private Statement.Option option() {
        Token first = peek();
        String key;
        if (first.kind() == TokenKind.STRING || first.kind() == TokenKind.DOUBLE_QUOTED) {
            key = advance().stringValue();
        } else if (first.isBareWord() || first.kind() == TokenKind.QUOTED_IDENTIFIER) {
            StringBuilder sb = new StringBuilder(advance().stringValue());
            while (accept(TokenKind.DOT)) {
                Token part = peek();
                if (!part.isBareWord() && part.kind() != TokenKind.QUOTED_IDENTIFIER) {
                    throw fail(part, "expected the rest of option key '" + sb + ".', found " + describe(part), null);
                }
                sb.append('.').append(advance().stringValue());
            }
            key = sb.toString();
        } else {
            throw fail(first, "expected an option key such as format or 'connector', found " + describe(first), null);
        }
        expect(TokenKind.EQ, "after option key '" + key + "'");
        Token v = peek();
        String value;
        if (v.kind() == TokenKind.STRING || v.kind() == TokenKind.DOUBLE_QUOTED) {
            value = advance().stringValue();
        } else if (v.kind() == TokenKind.INTEGER || v.kind() == TokenKind.DECIMAL || v.kind() == TokenKind.DOUBLE
                || v.isBareWord()) {
            advance();
            report(v.span(), "option values are strings, found " + describe(v), "write '" + v.text() + "'");
            value = v.text();
        } else {
            throw fail(v, "expected a string value for option '" + key + "', found " + describe(v), null);
        }
        return new Statement.Option(spanFrom(first.start()), key, value);
    }

    // CREATE PATTERN name AS SELECT ... FROM stream MATCH_RECOGNIZE (...) [[AS] alias]
    private Statement createPattern(Token create) {
        Ident name = name("a pattern name after CREATE PATTERN");
        if (!atWord("AS") && atWord("SELECT")) {
            report(peek().span(), "expected AS after CREATE PATTERN " + name.name() + ", found " + describe(peek()),
                    "write CREATE PATTERN " + name.name() + " AS SELECT ...");
        } else {
            expectWord("AS", "after CREATE PATTERN " + name.name(),
                    "write CREATE PATTERN " + name.name() + " AS SELECT ...");
        }
        Query query = query();
        return new Statement.CreatePattern(spanFrom(create.start()), name, query);
    }

    private Query query() {
        Token select = peek();
        expectWord("SELECT", "after AS", null);
        List<Query.SelectItem> items = new ArrayList<>();
        if (at(TokenKind.STAR)) {
            advance();
            if (at(TokenKind.COMMA)) {
                throw fail(peek(), "SELECT * cannot be combined with other items", "select * or a list of items");
            }
        } else {
            items.add(selectItem());
            while (accept(TokenKind.COMMA)) {
                items.add(selectItem());
            }
        }
        if (!atWord("FROM")) {
            Token t = peek();
            String message = "expected FROM after the SELECT list, found " + describe(t);
            if (t.isBareWord() && t.text().length() >= 4 && Keywords.closest(t.text(), List.of("FROM")) != null) {
                report(t.span(), message, "did you mean FROM?");
            } else {
                throw fail(t, message, t.isName() && !items.isEmpty() && items.get(items.size() - 1).alias() == null
                        ? "to name the column write AS " + t.text() + "; to select another item add a comma" : null);
            }
        }
        advance();
        Ident from = name("a stream name after FROM");
        if (at(TokenKind.DOT)) {
            throw fail(peek(), "qualified stream names are not supported", "write the stream's name alone");
        }
        if ((atWord("AS") && peek(1).isName() && peek(2).isWord("MATCH_RECOGNIZE"))
                || (peek().isName() && peek(1).isWord("MATCH_RECOGNIZE"))) {
            int start = peek().start();
            acceptWord("AS");
            Token alias = advance();
            report(spanFrom(start), "an alias cannot follow the stream name",
                    "write it after MATCH_RECOGNIZE (...): ) AS " + alias.text());
        }
        Token mr = peek();
        String hint = null;
        if (mr.isWord("WHERE") || mr.isWord("GROUP") || mr.isWord("JOIN")) {
            hint = "a pattern's query is SELECT ... FROM stream MATCH_RECOGNIZE (...)";
        } else if (mr.isName() && peek(1).isWord("MATCH_RECOGNIZE")) {
            hint = "the alias goes after MATCH_RECOGNIZE (...)";
        }
        expectWord("MATCH_RECOGNIZE", "after FROM " + from.name(), hint);
        MatchRecognize m = matchRecognize(mr);
        Ident alias = null;
        if (acceptWord("AS")) {
            alias = name("an alias after AS");
        } else if (peek().isName()) {
            alias = name("an alias");
        }
        return new Query(spanFrom(select.start()), items, from, m, alias);
    }

    private Query.SelectItem selectItem() {
        Token start = peek();
        if (start.kind() == TokenKind.STAR) {
            throw fail(start, "'*' must be the only item of the SELECT list", null);
        }
        Expr e = expr();
        Ident alias = null;
        if (acceptWord("AS")) {
            alias = name("a column name after AS");
        } else if (peek().isName() && (peek(1).kind() == TokenKind.COMMA || peek(1).isWord("FROM"))) {
            report(peek().span(), "expected AS before the column name " + peek().text(),
                    "write <expression> AS " + peek().text());
            alias = name("a column name");
        }
        return new Query.SelectItem(spanFrom(start.start()), e, alias);
    }

    // ---------------------------------------------------------------- MATCH_RECOGNIZE

    /** The clause starting at the current token, or -1; {@code strict} also checks the word after contextual keywords. */
    private int clauseAt(boolean strict) {
        Token t = peek();
        if (!t.isBareWord()) {
            return -1;
        }
        Integer c = CLAUSE_WORDS.get(t.text().toUpperCase(Locale.ROOT));
        if (c == null) {
            return -1;
        }
        if (strict && t.kind() == TokenKind.IDENTIFIER) {
            Token next = peek(1);
            boolean ok;
            switch (c) {
                case ROWS:
                    ok = next.isWord("ROW");
                    break;
                case AFTER:
                    ok = next.isWord("MATCH");
                    break;
                case EMIT:
                    ok = next.isWord("TIMEOUTS");
                    break;
                default:
                    ok = true;
            }
            return ok ? c : -1;
        }
        return c;
    }

    /** The fields of a MATCH_RECOGNIZE being parsed. */
    private static final class MrParts {
        List<Expr> partitionBy = List.of();
        List<OrderItem> orderBy = List.of();
        List<Measure> measures = List.of();
        RowsPerMatch rowsPerMatch;
        AfterMatch afterMatch;
        RowPattern pattern;
        boolean patternSeen;
        Expr within;
        Expr gapWithin;
        boolean emitTimeouts;
        List<Subset> subsets = List.of();
        List<Define> defines = List.of();
    }

    private MatchRecognize matchRecognize(Token keyword) {
        expectSoft(TokenKind.LPAREN, "after MATCH_RECOGNIZE");
        int errorsBefore = errors;
        MrParts parts = new MrParts();
        boolean[] seen = new boolean[CLAUSE_NAMES.length];
        int lastClause = -1;
        while (!at(TokenKind.RPAREN) && !atStatementEnd()) {
            Token t = peek();
            String word = t.isBareWord() ? t.text().toUpperCase(Locale.ROOT) : "";
            int clause = clauseAt(false);
            if (clause < 0) {
                String message = "expected a MATCH_RECOGNIZE clause, found " + describe(t);
                String guess = null;
                if (t.isBareWord()) {
                    guess = t.isWord("WINDOW") ? "WITHIN" : Keywords.closest(t.text(), CLAUSE_WORD_LIST);
                }
                if (guess != null) {
                    // take the misspelled word as the clause it resembles
                    report(t.span(), message, "did you mean " + guess + "?");
                    clause = CLAUSE_WORDS.get(guess);
                    word = guess;
                } else {
                    report(t.span(), message, t.isWord("WHERE") ? "conditions go in DEFINE: DEFINE A AS ..."
                            : "the clauses, in order: PARTITION BY, ORDER BY, MEASURES, ONE ROW PER MATCH or ALL ROWS "
                            + "PER MATCH, AFTER MATCH SKIP, PATTERN, WITHIN, EMIT TIMEOUTS, SUBSET, DEFINE");
                    syncClause(mark());
                    continue;
                }
            }
            if (clause < lastClause) {
                report(t.span(), CLAUSE_NAMES[clause] + " must come before " + CLAUSE_NAMES[lastClause], null);
            } else if (seen[clause] && clause != WITHIN) {
                report(t.span(), "duplicate " + CLAUSE_NAMES[clause] + " clause", null);
            }
            seen[clause] = true;
            lastClause = Math.max(lastClause, clause);
            Mark m = mark();
            try {
                clause(clause, word, parts);
            } catch (SyntaxError e) {
                syncClause(m);
            }
        }
        expectSoft(TokenKind.RPAREN, "to close MATCH_RECOGNIZE");
        if (!parts.patternSeen && errors == errorsBefore) {
            report(keyword.span(), "MATCH_RECOGNIZE needs a PATTERN clause",
                    "add PATTERN (...) after the MEASURES, rows per match and AFTER MATCH clauses");
        }
        return new MatchRecognize(spanFrom(keyword.start()), parts.partitionBy, parts.orderBy, parts.measures,
                parts.rowsPerMatch, parts.afterMatch, parts.pattern, parts.within, parts.gapWithin,
                parts.emitTimeouts, parts.subsets, parts.defines);
    }

    /** One clause; {@code word} is its (possibly corrected) first keyword. */
    private void clause(int clause, String word, MrParts parts) {
        Token keyword = advance();
        switch (clause) {
            case PARTITION:
                expectWord("BY", "after PARTITION", null);
                parts.partitionBy = clauseList("PARTITION BY", this::expr);
                break;
            case ORDER:
                expectWord("BY", "after ORDER", null);
                parts.orderBy = clauseList("ORDER BY", this::orderItem);
                break;
            case MEASURES:
                parts.measures = clauseList("MEASURES", this::measure);
                break;
            case ROWS:
                parts.rowsPerMatch = rowsPerMatch(word.equals("ONE"));
                break;
            case AFTER:
                parts.afterMatch = afterMatch(keyword);
                break;
            case PATTERN:
                parts.patternSeen = true;
                parts.pattern = patternClause();
                break;
            case WITHIN:
                Expr e = additive();
                if (atWord("BETWEEN") && peek(1).isWord("ROWS")) {
                    advance();
                    advance();
                    if (parts.gapWithin != null) {
                        report(keyword.span(), "duplicate WITHIN ... BETWEEN ROWS clause", null);
                    }
                    parts.gapWithin = e;
                } else {
                    if (parts.within != null) {
                        report(keyword.span(), "duplicate WITHIN clause", null);
                    }
                    parts.within = e;
                }
                break;
            case EMIT:
                expectWord("TIMEOUTS", "after EMIT", null);
                parts.emitTimeouts = true;
                break;
            case SUBSET:
                List<Subset> subsets = new ArrayList<>();
                do {
                    subsets.add(subset());
                } while (accept(TokenKind.COMMA));
                parts.subsets = subsets;
                break;
            default:
                parts.defines = defines();
        }
    }

    /** A comma-separated list inside a clause, with per-item recovery and a hint for missing commas. */
    private <T> List<T> clauseList(String clause, Supplier<T> item) {
        List<T> items = new ArrayList<>();
        while (true) {
            Mark m = mark();
            try {
                items.add(item.get());
            } catch (SyntaxError e) {
                syncItem(m, true);
            }
            if (accept(TokenKind.COMMA)) {
                continue;
            }
            Token t = peek();
            if (t.kind() == TokenKind.RPAREN || clauseAt(true) >= 0 || !canStartExpression(t)
                    || t.isBareWord() && Keywords.closest(t.text(), CLAUSE_WORD_LIST) != null) {
                return items;
            }
            report(peek().span(), "expected ',' between " + clause + " items, found " + describe(peek()),
                    "separate the items of " + clause + " with commas");
        }
    }

    private OrderItem orderItem() {
        Expr e = expr();
        boolean descending = false;
        if (acceptWord("DESC")) {
            descending = true;
        } else {
            acceptWord("ASC");
        }
        if (atWord("NULLS")) {
            throw fail(peek(), "NULLS FIRST / NULLS LAST is not supported in ORDER BY", null);
        }
        return new OrderItem(spanFrom(e.span().start()), e, descending);
    }

    private Measure measure() {
        Expr e = expr();
        Ident alias;
        if (acceptWord("AS")) {
            alias = name("a measure name after AS");
        } else if (peek().isName()) {
            report(peek().span(), "expected AS before the measure name " + peek().text(),
                    "write <expression> AS " + peek().text());
            alias = name("a measure name");
        } else {
            throw fail(peek(), "expected AS and a name after the measure, found " + describe(peek()),
                    "every measure is named: <expression> AS name");
        }
        return new Measure(spanFrom(e.span().start()), e, alias);
    }

    private RowsPerMatch rowsPerMatch(boolean one) {
        if (one) {
            expectWord("ROW", "after ONE", atWord("ROWS") ? "write ONE ROW PER MATCH" : null);
            expectWord("PER", "in ONE ROW PER MATCH", null);
            expectWord("MATCH", "in ONE ROW PER MATCH", null);
            return RowsPerMatch.ONE;
        }
        expectWord("ROWS", "after ALL", atWord("ROW") ? "write ALL ROWS PER MATCH" : null);
        expectWord("PER", "in ALL ROWS PER MATCH", null);
        expectWord("MATCH", "in ALL ROWS PER MATCH", null);
        if (atWord("SHOW")) {
            advance();
            expectWord("EMPTY", "after SHOW", null);
            expectWord("MATCHES", "in SHOW EMPTY MATCHES", null);
            return RowsPerMatch.ALL;
        }
        if (atWord("OMIT")) {
            advance();
            expectWord("EMPTY", "after OMIT", null);
            expectWord("MATCHES", "in OMIT EMPTY MATCHES", null);
            return RowsPerMatch.ALL_OMIT_EMPTY;
        }
        if (atWord("WITH")) {
            advance();
            expectWord("UNMATCHED", "after ALL ROWS PER MATCH WITH", null);
            expectWord("ROWS", "in WITH UNMATCHED ROWS", null);
            return RowsPerMatch.ALL_WITH_UNMATCHED;
        }
        return RowsPerMatch.ALL;
    }

    private AfterMatch afterMatch(Token keyword) {
        expectWord("MATCH", "after AFTER", null);
        String options = "PAST LAST ROW, TO NEXT ROW, TO FIRST variable, TO LAST variable or TO variable";
        if (atWord("NO")) {
            advance();
            expectWord("SKIP", "after AFTER MATCH NO", null);
            return new AfterMatch(spanFrom(keyword.start()), SkipKind.NO_SKIP, null);
        }
        expectWord("SKIP", "after AFTER MATCH", "write AFTER MATCH SKIP " + options + ", or AFTER MATCH NO SKIP");
        if (atWord("PAST")) {
            advance();
            expectWord("LAST", "after SKIP PAST", null);
            expectWord("ROW", "after SKIP PAST LAST", null);
            return new AfterMatch(spanFrom(keyword.start()), SkipKind.PAST_LAST_ROW, null);
        }
        if (!atWord("TO")) {
            throw fail(peek(), "expected " + options + " after AFTER MATCH SKIP, found " + describe(peek()), null);
        }
        advance();
        if (atWord("NEXT") && peek(1).isWord("ROW")) {
            advance();
            advance();
            return new AfterMatch(spanFrom(keyword.start()), SkipKind.TO_NEXT_ROW, null);
        }
        SkipKind kind = SkipKind.TO_LAST;
        if ((atWord("FIRST") || atWord("LAST")) && peek(1).isName()) {
            kind = advance().isWord("FIRST") ? SkipKind.TO_FIRST : SkipKind.TO_LAST;
        }
        Ident variable = name("a pattern variable after SKIP TO");
        return new AfterMatch(spanFrom(keyword.start()), kind, variable);
    }

    private RowPattern patternClause() {
        boolean open = accept(TokenKind.LPAREN);
        if (!open) {
            report(peek().span(), "expected '(' after PATTERN, found " + describe(peek()), "write PATTERN (A B+ C)");
        }
        if (at(TokenKind.RPAREN)) {
            throw fail(peek(), "the PATTERN is empty", "write the pattern's variables, as in PATTERN (A B+ C)");
        }
        RowPattern p = rowPattern();
        if (open) {
            expectSoft(TokenKind.RPAREN, "after the PATTERN");
        } else {
            accept(TokenKind.RPAREN);
        }
        return p;
    }

    private Subset subset() {
        Ident name = name("a subset name after SUBSET");
        int start = name.span().start();
        expect(TokenKind.EQ, "after SUBSET " + name.name());
        expect(TokenKind.LPAREN, "after SUBSET " + name.name() + " =");
        List<Ident> variables = new ArrayList<>();
        variables.add(name("a pattern variable"));
        while (accept(TokenKind.COMMA)) {
            variables.add(name("a pattern variable"));
        }
        expectSoft(TokenKind.RPAREN, "to close SUBSET " + name.name());
        return new Subset(spanFrom(start), name, variables);
    }

    private List<Define> defines() {
        List<Define> defines = new ArrayList<>();
        while (true) {
            Mark m = mark();
            try {
                defines.add(define());
            } catch (SyntaxError e) {
                syncItem(m, true);
            }
            if (accept(TokenKind.COMMA)) {
                continue;
            }
            if (peek().isName() && peek(1).isWord("AS")) {
                String after = defines.isEmpty() ? "" : " after the condition of "
                        + defines.get(defines.size() - 1).variable().name();
                report(peek().span(), "expected ',' between DEFINE items, found " + describe(peek()),
                        "add a comma" + after);
                continue;
            }
            return defines;
        }
    }

    private Define define() {
        Ident variable = name("a pattern variable in DEFINE");
        if (!atWord("AS")) {
            Token t = peek();
            String message = "expected AS after " + variable.name() + " in DEFINE, found " + describe(t);
            String hint = "write DEFINE " + variable.name() + " AS <condition>";
            if (!canStartExpression(t)) {
                throw fail(t, message, hint);
            }
            report(t.span(), message, hint);
        } else {
            advance();
        }
        Expr condition = expr();
        Expr until = null;
        if (acceptWord("UNTIL")) {
            until = expr();
        }
        return new Define(spanFrom(variable.span().start()), variable, condition, until);
    }

    // ---------------------------------------------------------------- row patterns

    /** alternation := sequence ('|' sequence)* */
    private RowPattern rowPattern() {
        RowPattern first = sequence();
        if (!at(TokenKind.BAR)) {
            return first;
        }
        List<RowPattern> alternatives = new ArrayList<>();
        alternatives.add(first);
        while (accept(TokenKind.BAR)) {
            alternatives.add(sequence());
        }
        return new RowPattern.Alternation(spanFrom(first.span().start()), alternatives);
    }

    /** sequence := quantified ((ε | '->' | '->>') quantified)* */
    private RowPattern sequence() {
        RowPattern first = quantified();
        List<RowPattern> items = new ArrayList<>();
        List<Contiguity> links = new ArrayList<>();
        items.add(first);
        while (true) {
            Contiguity link;
            if (at(TokenKind.ARROW) || at(TokenKind.DOUBLE_ARROW)) {
                link = advance().kind() == TokenKind.ARROW ? Contiguity.RELAXED : Contiguity.ANY;
            } else if (canStartPatternItem(peek())) {
                link = Contiguity.STRICT;
            } else {
                break;
            }
            items.add(quantified());
            links.add(link);
        }
        if (items.size() == 1) {
            return first;
        }
        return new RowPattern.Concat(spanFrom(first.span().start()), items, links);
    }

    private static boolean canStartPatternItem(Token t) {
        switch (t.kind()) {
            case IDENTIFIER:
            case QUOTED_IDENTIFIER:
            case DOUBLE_QUOTED:
            case LPAREN:
            case LBRACE_MINUS:
            case CARET:
            case DOLLAR:
            case BANG:
                return true;
            default:
                return t.isWord("PERMUTE");
        }
    }

    private static boolean isQuantifier(Token t) {
        TokenKind k = t.kind();
        return k == TokenKind.STAR || k == TokenKind.PLUS || k == TokenKind.QUESTION || k == TokenKind.LBRACE;
    }

    /** quantified := primary [('->' | '->>')] quantifier ['?'] */
    private RowPattern quantified() {
        RowPattern body = patternPrimary();
        Contiguity loop = Contiguity.STRICT;
        if ((at(TokenKind.ARROW) || at(TokenKind.DOUBLE_ARROW)) && isQuantifier(peek(1))) {
            loop = advance().kind() == TokenKind.ARROW ? Contiguity.RELAXED : Contiguity.ANY;
        }
        if (!isQuantifier(peek())) {
            return body;
        }
        int[] bounds = quantifier();
        boolean reluctant = accept(TokenKind.QUESTION);
        RowPattern q = new RowPattern.Quantified(spanFrom(body.span().start()), body, bounds[0], bounds[1],
                reluctant, loop);
        if (isQuantifier(peek())) {
            Token t = peek();
            report(t.span(), "a quantifier cannot follow another quantifier",
                    "put the quantified part in parentheses, as in (A+)*");
            quantifier();
            accept(TokenKind.QUESTION);
        }
        return q;
    }

    /** {@code * + ? {n} {n,} {n,m} {,m} {,}}: [min, max], max -1 when unbounded. */
    private int[] quantifier() {
        Token t = advance();
        switch (t.kind()) {
            case STAR:
                return new int[] {0, RowPattern.Quantified.UNBOUNDED};
            case PLUS:
                return new int[] {1, RowPattern.Quantified.UNBOUNDED};
            case QUESTION:
                return new int[] {0, 1};
            default:
                break;
        }
        int min = 0;
        int max;
        boolean hasMin = false;
        if (at(TokenKind.INTEGER)) {
            min = bound();
            hasMin = true;
        }
        if (accept(TokenKind.COMMA)) {
            max = at(TokenKind.INTEGER) ? bound() : RowPattern.Quantified.UNBOUNDED;
        } else if (hasMin) {
            max = min;
        } else {
            throw fail(peek(), "expected a number in the quantifier, found " + describe(peek()),
                    "write {n}, {n,}, {n,m} or {,m}");
        }
        expectSoft(TokenKind.RBRACE, "to close the quantifier");
        if (max != RowPattern.Quantified.UNBOUNDED && min > max) {
            report(spanFrom(t.start()), "quantifier {" + min + "," + max + "} has its minimum above its maximum", null);
            max = min;
        }
        return new int[] {min, max};
    }

    private int bound() {
        Token t = advance();
        if (t.value() instanceof Long && (Long) t.value() <= Integer.MAX_VALUE) {
            return (int) (long) (Long) t.value();
        }
        report(t.span(), "quantifier bound " + t.text() + " is too large", null);
        return Integer.MAX_VALUE;
    }

    private RowPattern patternPrimary() {
        Token t = peek();
        switch (t.kind()) {
            case IDENTIFIER:
            case QUOTED_IDENTIFIER:
            case DOUBLE_QUOTED:
                advance();
                return new RowPattern.Var(t.span(), ident(t));
            case LPAREN: {
                advance();
                if (at(TokenKind.RPAREN)) {
                    // reported, and stood in for by an empty alternation (the parser makes none otherwise)
                    report(spanFrom(t.start()).to(peek().span()), "the empty pattern '()' is not supported", null);
                    advance();
                    return new RowPattern.Alternation(spanFrom(t.start()), List.of());
                }
                enter();
                try {
                    RowPattern p = rowPattern();
                    expectSoft(TokenKind.RPAREN, "to close the pattern group");
                    return p;
                } finally {
                    leave();
                }
            }
            case LBRACE_MINUS: {
                advance();
                enter();
                try {
                    RowPattern p = rowPattern();
                    expectSoft(TokenKind.MINUS_RBRACE, "to close the exclusion {- ... -}");
                    return new RowPattern.Exclusion(spanFrom(t.start()), p);
                } finally {
                    leave();
                }
            }
            case CARET:
            case DOLLAR:
                advance();
                return new RowPattern.Anchor(t.span(), t.kind() == TokenKind.CARET);
            case BANG: {
                advance();
                Token v = peek();
                if (!v.isName()) {
                    throw fail(v, "expected a pattern variable after '!', found " + describe(v),
                            "only a single variable can be negated, as in A !B C or A -> !B");
                }
                advance();
                RowPattern.Var var = new RowPattern.Var(v.span(), ident(v));
                return new RowPattern.Not(spanFrom(t.start()), var);
            }
            default:
                break;
        }
        if (t.isWord("PERMUTE")) {
            advance();
            expect(TokenKind.LPAREN, "after PERMUTE");
            enter();
            try {
                List<RowPattern> items = new ArrayList<>();
                items.add(rowPattern());
                while (accept(TokenKind.COMMA)) {
                    items.add(rowPattern());
                }
                expectSoft(TokenKind.RPAREN, "to close PERMUTE");
                return new RowPattern.Permute(spanFrom(t.start()), items);
            } finally {
                leave();
            }
        }
        if (t.kind() == TokenKind.KEYWORD) {
            throw fail(t, "expected a pattern variable, found reserved word '" + t.text() + "'",
                    "back-quote a reserved word to use it as a variable: `" + t.text() + "`");
        }
        String hint = isQuantifier(t) ? "a quantifier follows a variable or a group, as in A+ or (A B)*" : null;
        throw fail(t, "expected a pattern variable, '(', PERMUTE, {-, ^, $ or !, found " + describe(t), hint);
    }

    // ---------------------------------------------------------------- expressions

    private static boolean canStartExpression(Token t) {
        switch (t.kind()) {
            case IDENTIFIER:
            case QUOTED_IDENTIFIER:
            case DOUBLE_QUOTED:
            case STRING:
            case INTEGER:
            case DECIMAL:
            case DOUBLE:
            case LPAREN:
            case MINUS:
            case PLUS:
                return true;
            case KEYWORD:
                return t.isWord("NULL") || t.isWord("TRUE") || t.isWord("FALSE") || t.isWord("INTERVAL")
                        || t.isWord("CASE") || t.isWord("CAST") || t.isWord("RUNNING") || t.isWord("FINAL")
                        || t.isWord("NOT");
            default:
                return false;
        }
    }

    private Expr expr() {
        return or();
    }

    private Expr or() {
        Expr left = and();
        int h = height;
        while (atWord("OR")) {
            advance();
            grow();
            Expr right = and();
            left = new Expr.Binary(left.span().to(right.span()), BinaryOp.OR, left, right);
        }
        height = h;
        return left;
    }

    private Expr and() {
        Expr left = not();
        int h = height;
        while (atWord("AND")) {
            advance();
            grow();
            Expr right = not();
            left = new Expr.Binary(left.span().to(right.span()), BinaryOp.AND, left, right);
        }
        height = h;
        return left;
    }

    private Expr not() {
        if (!atWord("NOT")) {
            return comparison();
        }
        Token t = advance();
        enter();
        try {
            Expr operand = not();
            return new Expr.Unary(spanFrom(t.start()), UnaryOp.NOT, operand);
        } finally {
            leave();
        }
    }

    private static BinaryOp comparisonOp(TokenKind kind) {
        switch (kind) {
            case EQ:
                return BinaryOp.EQ;
            case NE:
                return BinaryOp.NE;
            case LT:
                return BinaryOp.LT;
            case LE:
                return BinaryOp.LE;
            case GT:
                return BinaryOp.GT;
            case GE:
                return BinaryOp.GE;
            default:
                return null;
        }
    }

    /** comparison, IS [NOT] NULL, [NOT] BETWEEN, [NOT] IN, [NOT] LIKE: one level, left to right. */
    private Expr comparison() {
        Expr left = additive();
        int h = height;
        int start = left.span().start();
        while (true) {
            Token t = peek();
            BinaryOp op = comparisonOp(t.kind());
            if (op != null) {
                advance();
                grow();
                Expr right = additive();
                left = new Expr.Binary(left.span().to(right.span()), op, left, right);
                continue;
            }
            if (t.isWord("IS")) {
                advance();
                grow();
                boolean negated = acceptWord("NOT");
                if (!atWord("NULL")) {
                    Token x = peek();
                    String hint = x.isWord("TRUE") || x.isWord("FALSE") ? "compare with = " + x.text().toUpperCase(Locale.ROOT)
                            : x.isWord("DISTINCT") ? "IS DISTINCT FROM is not supported" : null;
                    throw fail(x, "expected NULL after IS" + (negated ? " NOT" : "") + ", found " + describe(x), hint);
                }
                advance();
                left = new Expr.IsNull(spanFrom(start), left, negated);
                continue;
            }
            boolean negated = false;
            if (t.isWord("NOT") && (peek(1).isWord("BETWEEN") || peek(1).isWord("IN") || peek(1).isWord("LIKE"))) {
                advance();
                negated = true;
                t = peek();
            }
            if (t.isWord("BETWEEN")) {
                advance();
                grow();
                Expr low = additive();
                expectWord("AND", "between the bounds of BETWEEN", null);
                Expr high = additive();
                left = new Expr.Between(spanFrom(start), left, low, high, negated);
                continue;
            }
            if (t.isWord("IN")) {
                advance();
                grow();
                expect(TokenKind.LPAREN, "after IN");
                if (at(TokenKind.RPAREN)) {
                    throw fail(peek(), "IN needs at least one value", null);
                }
                List<Expr> list = new ArrayList<>();
                enter();
                try {
                    list.add(expr());
                    while (accept(TokenKind.COMMA)) {
                        list.add(expr());
                    }
                } finally {
                    leave();
                }
                expectSoft(TokenKind.RPAREN, "to close the IN list");
                left = new Expr.In(spanFrom(start), left, list, negated);
                continue;
            }
            if (t.isWord("LIKE")) {
                advance();
                grow();
                Expr pattern = additive();
                Expr escape = null;
                if (acceptWord("ESCAPE")) {
                    escape = additive();
                }
                left = new Expr.Like(spanFrom(start), left, pattern, escape, negated);
                continue;
            }
            break;
        }
        height = h;
        return left;
    }

    /** {@code + - ||}: left-associative. */
    private Expr additive() {
        Expr left = multiplicative();
        int h = height;
        while (true) {
            TokenKind k = peek().kind();
            BinaryOp op = k == TokenKind.PLUS ? BinaryOp.ADD : k == TokenKind.MINUS ? BinaryOp.SUBTRACT
                    : k == TokenKind.CONCAT ? BinaryOp.CONCAT : null;
            if (op == null) {
                break;
            }
            advance();
            grow();
            Expr right = multiplicative();
            left = new Expr.Binary(left.span().to(right.span()), op, left, right);
        }
        height = h;
        return left;
    }

    private Expr multiplicative() {
        Expr left = unary();
        int h = height;
        while (true) {
            TokenKind k = peek().kind();
            BinaryOp op = k == TokenKind.STAR ? BinaryOp.MULTIPLY : k == TokenKind.SLASH ? BinaryOp.DIVIDE
                    : k == TokenKind.PERCENT ? BinaryOp.MODULO : null;
            if (op == null) {
                break;
            }
            advance();
            grow();
            Expr right = unary();
            left = new Expr.Binary(left.span().to(right.span()), op, left, right);
        }
        height = h;
        return left;
    }

    private Expr unary() {
        Token t = peek();
        if (t.kind() != TokenKind.MINUS && t.kind() != TokenKind.PLUS) {
            return primary();
        }
        advance();
        Token n = peek();
        if (t.kind() == TokenKind.MINUS && n.kind() == TokenKind.INTEGER && n.value() instanceof BigInteger) {
            advance();
            return new Expr.Literal(spanFrom(t.start()), LiteralKind.INTEGER, Long.MIN_VALUE);
        }
        enter();
        try {
            Expr operand = unary();
            return new Expr.Unary(spanFrom(t.start()), t.kind() == TokenKind.MINUS ? UnaryOp.NEGATE : UnaryOp.PLUS,
                    operand);
        } finally {
            leave();
        }
    }

    private Expr primary() {
        Token t = peek();
        switch (t.kind()) {
            case INTEGER: {
                advance();
                Object v = t.value();
                if (v instanceof BigInteger) {
                    report(t.span(), "integer " + t.text() + " is out of range", null);
                }
                return new Expr.Literal(t.span(), LiteralKind.INTEGER, v instanceof Long ? v : 0L);
            }
            case DECIMAL:
                advance();
                return new Expr.Literal(t.span(), LiteralKind.DECIMAL, t.value());
            case DOUBLE:
                advance();
                return new Expr.Literal(t.span(), LiteralKind.DOUBLE, t.value() == null ? 0.0 : t.value());
            case STRING:
            case DOUBLE_QUOTED:
                advance();
                return new Expr.Literal(t.span(), LiteralKind.STRING, t.value());
            case LPAREN: {
                advance();
                enter();
                try {
                    Expr e = expr();
                    expectSoft(TokenKind.RPAREN, "to close the parenthesis");
                    return e;
                } finally {
                    leave();
                }
            }
            case IDENTIFIER:
            case QUOTED_IDENTIFIER:
                return nameExpression(t);
            case KEYWORD:
                return keywordExpression(t);
            case BANG:
                throw fail(t, "expected an expression, found '!'", "use NOT for negation (! negates pattern variables)");
            case STAR:
                throw fail(t, "'*' is only allowed as a function argument, as in COUNT(*)", null);
            default:
                throw fail(t, "expected an expression, found " + describe(t), null);
        }
    }

    private Expr keywordExpression(Token t) {
        switch (t.text().toUpperCase(Locale.ROOT)) {
            case "NULL":
                advance();
                return new Expr.Literal(t.span(), LiteralKind.NULL, null);
            case "TRUE":
            case "FALSE":
                advance();
                return new Expr.Literal(t.span(), LiteralKind.BOOLEAN, t.isWord("TRUE"));
            case "INTERVAL":
                return interval();
            case "CASE":
                return caseExpression();
            case "CAST":
                return cast();
            case "RUNNING":
            case "FINAL": {
                advance();
                Token f = peek();
                if (!(f.isName() && peek(1).kind() == TokenKind.LPAREN)) {
                    throw fail(f, "expected a function call after " + t.text().toUpperCase(Locale.ROOT) + ", found "
                            + describe(f), "as in " + t.text().toUpperCase(Locale.ROOT) + " LAST(A.price)");
                }
                advance();
                return call(f, t.isWord("RUNNING") ? Semantics.RUNNING : Semantics.FINAL, t.start());
            }
            case "NOT":
                throw fail(t, "NOT must be in parentheses here", "write (NOT ...)");
            default:
                throw fail(t, "expected an expression, found reserved word '" + t.text() + "'",
                        "back-quote a reserved word to use it as a name: `" + t.text() + "`");
        }
    }

    private Expr nameExpression(Token t) {
        Token next = peek(1);
        if (t.kind() == TokenKind.IDENTIFIER && next.kind() == TokenKind.STRING) {
            if (t.isWord("TIMESTAMP")) {
                advance();
                Token value = advance();
                return new Expr.TimestampLiteral(spanFrom(t.start()), value.stringValue());
            }
            if (t.isWord("DATE") || t.isWord("TIME")) {
                throw fail(t, t.text().toUpperCase(Locale.ROOT) + " literals are not supported",
                        "write TIMESTAMP '2024-01-31 12:00:00'");
            }
        }
        advance();
        if (next.kind() == TokenKind.LPAREN) {
            return call(t, Semantics.DEFAULT, t.start());
        }
        Ident first = ident(t);
        if (!accept(TokenKind.DOT)) {
            return new Expr.ColumnRef(t.span(), null, first);
        }
        if (at(TokenKind.STAR)) {
            throw fail(peek(), "'" + t.text() + ".*' is only allowed as a function argument, as in COUNT("
                    + t.text() + ".*)", null);
        }
        Ident column = name("a column name after '" + t.text() + ".'");
        if (at(TokenKind.DOT)) {
            throw fail(peek(), "a column reference has at most two parts (variable.column)", null);
        }
        return new Expr.ColumnRef(spanFrom(t.start()), first, column);
    }

    /** A call after its name; {@code start} is where the call (with any RUNNING/FINAL) starts. */
    private Expr call(Token nameToken, Semantics semantics, int start) {
        String name = nameToken.stringValue().toUpperCase(Locale.ROOT);
        advance(); // (
        List<Expr> args = new ArrayList<>();
        boolean distinct = false;
        enter();
        try {
            if (!at(TokenKind.RPAREN)) {
                if (acceptWord("DISTINCT")) {
                    distinct = true;
                } else {
                    acceptWord("ALL");
                }
                args.add(argument());
                if (name.equals("SUBSTRING") && atWord("FROM")) {
                    advance();
                    args.add(expr());
                    if (acceptWord("FOR")) {
                        args.add(expr());
                    }
                } else {
                    while (accept(TokenKind.COMMA)) {
                        args.add(argument());
                    }
                }
            }
            expectSoft(TokenKind.RPAREN, "to close the arguments of " + name);
        } finally {
            leave();
        }
        return new Expr.Call(spanFrom(start), name, args, distinct, semantics);
    }

    private Expr argument() {
        Token t = peek();
        if (t.kind() == TokenKind.STAR) {
            advance();
            return new Expr.Star(t.span(), null);
        }
        if (t.isName() && peek(1).kind() == TokenKind.DOT && peek(2).kind() == TokenKind.STAR) {
            advance();
            advance();
            advance();
            return new Expr.Star(spanFrom(t.start()), ident(t));
        }
        return expr();
    }

    private Expr interval() {
        Token keyword = advance();
        Token v = peek();
        String value;
        if (v.kind() == TokenKind.STRING || v.kind() == TokenKind.DOUBLE_QUOTED) {
            value = advance().stringValue();
        } else if (v.kind() == TokenKind.INTEGER || v.kind() == TokenKind.DECIMAL) {
            value = advance().text();
        } else {
            throw fail(v, "expected the interval's length after INTERVAL, found " + describe(v),
                    "write INTERVAL '10' MINUTE");
        }
        if (!INTERVAL_VALUE.matcher(value).matches()) {
            report(v.span(), "interval length '" + value + "' is not a number",
                    value.indexOf(':') >= 0 || value.indexOf(' ') >= 0
                            ? "interval ranges such as '1:30' HOUR TO MINUTE are not supported; write INTERVAL '90' MINUTE"
                            : "write INTERVAL '10' MINUTE");
        }
        Token u = peek();
        if (!u.isBareWord()) {
            throw fail(u, "expected a time unit (" + UNIT_LIST + ") after INTERVAL '" + value + "', found "
                    + describe(u), null);
        }
        advance();
        String word = u.text().toUpperCase(Locale.ROOT);
        TimeUnit unit = UNITS.get(word);
        if (unit == null) {
            String hint;
            if (word.startsWith("WEEK")) {
                hint = "write INTERVAL '7' DAY for a week";
            } else if (word.startsWith("MONTH") || word.startsWith("YEAR")) {
                hint = "months and years have no fixed length; use DAY";
            } else {
                String guess = Keywords.closest(word, UNIT_WORDS);
                hint = guess == null ? null : "did you mean " + guess + "?";
            }
            report(u.span(), "unknown interval unit '" + u.text() + "'; expected " + UNIT_LIST, hint);
            unit = TimeUnit.SECOND;
        }
        if (atWord("TO") && peek(1).isBareWord() && UNITS.containsKey(peek(1).text().toUpperCase(Locale.ROOT))) {
            Token to = advance();
            advance();
            report(spanFrom(to.start()), "interval ranges (" + word + " TO ...) are not supported",
                    "write the length in one unit, as in INTERVAL '90' MINUTE");
        }
        return new Expr.IntervalLiteral(spanFrom(keyword.start()), value, unit);
    }

    private Expr caseExpression() {
        Token keyword = advance();
        enter();
        try {
            Expr operand = atWord("WHEN") ? null : expr();
            if (!atWord("WHEN")) {
                throw fail(peek(), "expected WHEN in CASE, found " + describe(peek()), null);
            }
            List<Expr.When> whens = new ArrayList<>();
            while (atWord("WHEN")) {
                Token w = advance();
                Expr condition = expr();
                expectWord("THEN", "after the WHEN condition", null);
                Expr result = expr();
                whens.add(new Expr.When(spanFrom(w.start()), condition, result));
            }
            Expr otherwise = acceptWord("ELSE") ? expr() : null;
            expectWord("END", "to close CASE", "every CASE ends with END");
            return new Expr.Case(spanFrom(keyword.start()), operand, whens, otherwise);
        } finally {
            leave();
        }
    }

    private Expr cast() {
        Token keyword = advance();
        expect(TokenKind.LPAREN, "after CAST");
        enter();
        try {
            Expr operand = expr();
            expectWord("AS", "in CAST(value AS type)", null);
            TypeName type = typeName("a type after AS in CAST");
            expectSoft(TokenKind.RPAREN, "to close CAST");
            return new Expr.Cast(spanFrom(keyword.start()), operand, type);
        } finally {
            leave();
        }
    }

    // ---------------------------------------------------------------- features

    // CREATE FEATURES name ON stream KEY col, ... ( feature = expr [FILTER (WHERE e)] [FROM p] [OVER window], ... )
    private Statement createFeatures(Token create) {
        Ident name = name("a feature set name after CREATE FEATURES");
        expectWord("ON", "after CREATE FEATURES " + name.name(),
                "write CREATE FEATURES " + name.name() + " ON stream KEY column (...)");
        Ident stream = name("a stream name after ON");
        expectWord("KEY", "after ON " + stream.name(), atWord("KEYS") || atWord("BY") ? "write KEY column"
                : at(TokenKind.LPAREN) ? "name the key columns before the features: KEY column (...)" : null);
        List<Ident> key = new ArrayList<>();
        boolean parenthesised = at(TokenKind.LPAREN) && peek(1).isName()
                && (peek(2).kind() == TokenKind.COMMA || peek(2).kind() == TokenKind.RPAREN);
        if (parenthesised) {
            advance();
        }
        key.add(name("a key column after KEY"));
        while (accept(TokenKind.COMMA)) {
            key.add(name("a key column"));
        }
        if (parenthesised) {
            expectSoft(TokenKind.RPAREN, "to close the KEY columns");
        }
        expectSoft(TokenKind.LPAREN, "before the features of " + name.name());
        List<Statement.FeatureDef> features = new ArrayList<>();
        if (at(TokenKind.RPAREN)) {
            report(peek().span(), "feature set " + name.name() + " needs at least one feature", null);
        } else {
            while (true) {
                Mark m = mark();
                try {
                    features.add(feature());
                } catch (SyntaxError e) {
                    syncItem(m, false);
                }
                if (accept(TokenKind.COMMA)) {
                    continue;
                }
                if (peek().isName() && peek(1).kind() == TokenKind.EQ) {
                    report(peek().span(), "expected ',' between features, found " + describe(peek()),
                            "separate features with commas");
                    continue;
                }
                break;
            }
        }
        expectSoft(TokenKind.RPAREN, "to close the features of " + name.name());
        return new Statement.CreateFeatures(spanFrom(create.start()), name, stream, key, features);
    }

    private Statement.FeatureDef feature() {
        Ident name = name("a feature name");
        if (!at(TokenKind.EQ)) {
            throw fail(peek(), "expected '=' after feature " + name.name() + ", found " + describe(peek()),
                    "a feature is written name = AGG(...) [FILTER (WHERE ...)] [FROM pattern] [OVER window]");
        }
        advance();
        Expr aggregate = expr();
        Expr filter = null;
        Ident fromPattern = null;
        Statement.Window window = null;
        if (atWord("FILTER")) {
            advance();
            expect(TokenKind.LPAREN, "after FILTER");
            expectWord("WHERE", "after FILTER (", null);
            filter = expr();
            expectSoft(TokenKind.RPAREN, "to close FILTER (WHERE ...)");
        }
        if (atWord("FROM")) {
            advance();
            fromPattern = name("a pattern name after FROM");
        }
        if (atWord("OVER")) {
            window = window();
        }
        return new Statement.FeatureDef(spanFrom(name.span().start()), name, aggregate, filter, fromPattern, window);
    }

    private Statement.Window window() {
        Token over = advance();
        boolean parenthesised = accept(TokenKind.LPAREN);
        Token kind = peek();
        Statement.Window window;
        if (kind.isWord("SLIDING")) {
            advance();
            Expr size = expr();
            window = new Statement.Window(spanFrom(over.start()), Statement.WindowKind.SLIDING, size, null);
        } else if (kind.isWord("HOPPING")) {
            advance();
            Expr size = expr();
            expectWord("EVERY", "after the size of a HOPPING window",
                    "write HOPPING INTERVAL '7' DAY EVERY INTERVAL '1' HOUR");
            Expr hop = expr();
            window = new Statement.Window(spanFrom(over.start()), Statement.WindowKind.HOPPING, size, hop);
        } else {
            String hint = null;
            if (kind.isWord("TUMBLING")) {
                hint = "a tumbling window is a HOPPING window whose EVERY equals its size";
            } else if (kind.isWord("INTERVAL")) {
                hint = "write OVER SLIDING INTERVAL ...";
            } else if (kind.isBareWord()) {
                String guess = Keywords.closest(kind.text(), List.of("SLIDING", "HOPPING"));
                hint = guess == null ? null : "did you mean " + guess + "?";
            }
            throw fail(kind, "expected SLIDING or HOPPING after OVER, found " + describe(kind), hint);
        }
        if (parenthesised) {
            expectSoft(TokenKind.RPAREN, "to close the window");
        }
        return window;
    }
}
