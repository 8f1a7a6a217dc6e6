package io.peregrine.dsl.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.dsl.Diagnostic;
import io.peregrine.dsl.SourceFile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Whatever happens to a valid program (tokens deleted, duplicated, swapped or replaced, characters
 * inserted, the text cut short) the parser returns, quickly, without throwing; every diagnostic lies
 * within the text and renders; and a mutant that still parses cleanly prints back to itself.
 */
class ParserRobustnessPropertiesTest {

    /** One edit: what, where (a fraction of the text or token list), and what to insert. */
    record Mutation(Kind kind, double where, String insert) {}

    enum Kind { DELETE_TOKEN, DUPLICATE_TOKEN, SWAP_TOKENS, REPLACE_TOKEN, INSERT_TEXT, TRUNCATE }

    private static final List<String> FRAGMENTS = List.of("CREATE", "PATTERN", "STREAM", "FEATURES", "SELECT", "FROM",
            "MATCH_RECOGNIZE", "DEFINE", "MEASURES", "AS", "AND", "NOT", "CASE", "END", "INTERVAL", "PERMUTE", "(", ")",
            ",", ";", "'", "`", "\"", "/*", "*/", "--", "->", "->>", "{-", "-}", "{", "}", "==", "!", "||", "*", "+", "?",
            "\n", "\u0000", "\ud800", "😀", "9223372036854775808", "1e999", "1.2.3", "$", "^", ".", "A.*", "x");

    private static final String DESIGN_EXAMPLE = "CREATE STREAM transactions (\n"
            + "  card_id STRING, amount DOUBLE, merchant_id BIGINT, country STRING, ts TIMESTAMP(3),\n"
            + "  WATERMARK FOR ts AS ts - INTERVAL '2' SECOND\n"
            + ") WITH (format = 'json');\n"
            + "CREATE PATTERN card_testing AS SELECT * FROM transactions MATCH_RECOGNIZE (\n"
            + "  PARTITION BY card_id ORDER BY ts\n"
            + "  MEASURES FIRST(S.ts) AS first_small, B.amount AS big_amount, COUNT(S.*) AS smalls\n"
            + "  ONE ROW PER MATCH AFTER MATCH SKIP PAST LAST ROW\n"
            + "  PATTERN (S{3,} -> B !C ->> (D | E)+? PERMUTE(F, G) {- H -}) WITHIN INTERVAL '10' MINUTE\n"
            + "  DEFINE S AS S.amount < 1.00, B AS B.amount > 500 AND B.amount > 100 * AVG(S.amount) UNTIL x\n"
            + ");\n"
            + "CREATE FEATURES card_features ON transactions KEY card_id (\n"
            + "  txn_count_1h = COUNT(*) OVER SLIDING INTERVAL '1' HOUR,\n"
            + "  p95 = APPROX_PERCENTILE(amount, 0.95) FILTER (WHERE amount > 0) OVER HOPPING INTERVAL '7' DAY EVERY INTERVAL '1' HOUR,\n"
            + "  card_testing_24h = COUNT(*) FROM card_testing OVER SLIDING INTERVAL '24' HOUR\n"
            + ");";

    @Provide
    Arbitrary<String> validPrograms() {
        List<String> corpus = Stream.concat(Stream.of(DESIGN_EXAMPLE),
                Stream.concat(FlinkSqlExamplesTest.flinkExamples(), FlinkSqlExamplesTest.standardExamples())
                        .map(q -> "CREATE PATTERN x AS " + q))
                .collect(Collectors.toList());
        return Arbitraries.oneOf(Arbitraries.of(corpus), AstArbitraries.program().map(AstPrinter::print));
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<String> insert = Arbitraries.oneOf(Arbitraries.of(FRAGMENTS),
                Arbitraries.strings().all().ofMinLength(1).ofMaxLength(3));
        return Combinators.combine(Arbitraries.of(Kind.values()), Arbitraries.doubles().between(0, 1), insert)
                .as(Mutation::new).list().ofMinSize(1).ofMaxSize(6);
    }

    @Property(tries = 1000, seed = "20260404")
    void mutatedProgramsNeverBreakTheParser(@ForAll("validPrograms") String program,
            @ForAll("mutations") List<Mutation> mutations) {
        check(mutate(program, mutations));
    }

    @Property(tries = 300, seed = "20260405")
    void arbitraryTextNeverBreaksTheParser(@ForAll("garbage") String text) {
        check(text);
    }

    @Provide
    Arbitrary<String> garbage() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(200),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(200).map(b -> new String(b, StandardCharsets.ISO_8859_1)),
                Arbitraries.of(FRAGMENTS).list().ofMaxSize(60).map(l -> String.join(" ", l)));
    }

    private static void check(String text) {
        SourceFile source = new SourceFile("mutant.cep", text);
        ParseResult result = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> Parser.parse(source), text);
        for (Diagnostic d : result.diagnostics()) {
            assertTrue(d.span().start() >= 0 && d.span().end() <= text.length(), () -> d + " outside " + text.length());
            d.render(source);
        }
        String printed = AstPrinter.print(result.program());
        Statistics.label("mutant").collect(result.hasErrors() ? "has errors" : "clean");
        if (!result.hasErrors()) {
            ParseResult again = Parser.parse(new SourceFile("printed.cep", printed));
            assertEquals(List.of(), again.diagnostics().stream().filter(Diagnostic::isError).collect(Collectors.toList()),
                    printed);
            assertEquals(SpanStripper.strip(result.program()), SpanStripper.strip(again.program()), printed);
        }
    }

    static String mutate(String text, List<Mutation> mutations) {
        String s = text;
        for (Mutation m : mutations) {
            List<Token> tokens = new ArrayList<>(new Lexer(s).tokenize());
            tokens.remove(tokens.size() - 1);
            int at = (int) (m.where() * s.length());
            int i = tokens.isEmpty() ? -1 : Math.min(tokens.size() - 1, (int) (m.where() * tokens.size()));
            switch (m.kind()) {
                case DELETE_TOKEN:
                    if (i >= 0) {
                        s = s.substring(0, tokens.get(i).start()) + s.substring(tokens.get(i).end());
                    }
                    break;
                case DUPLICATE_TOKEN:
                    if (i >= 0) {
                        s = s.substring(0, tokens.get(i).end()) + " " + tokens.get(i).text() + s.substring(tokens.get(i).end());
                    }
                    break;
                case SWAP_TOKENS:
                    if (i >= 0 && i + 1 < tokens.size()) {
                        Token a = tokens.get(i);
                        Token b = tokens.get(i + 1);
                        s = s.substring(0, a.start()) + s.substring(b.start(), b.end()) + s.substring(a.end(), b.start())
                                + s.substring(a.start(), a.end()) + s.substring(b.end());
                    }
                    break;
                case REPLACE_TOKEN:
                    if (i >= 0) {
                        s = s.substring(0, tokens.get(i).start()) + m.insert() + s.substring(tokens.get(i).end());
                    }
                    break;
                case INSERT_TEXT:
                    s = s.substring(0, at) + m.insert() + s.substring(at);
                    break;
                default:
                    s = s.substring(0, at);
            }
        }
        return s;
    }
}
