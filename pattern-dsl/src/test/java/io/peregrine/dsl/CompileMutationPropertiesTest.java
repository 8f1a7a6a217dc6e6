package io.peregrine.dsl;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random edits of valid programs either still compile or give diagnostics: never another
 * exception (a crash in the checker, generated code that does not compile), never a hang. Edits
 * work on words, so most of them keep the program parseable and reach the type checker and the
 * code generator, which is where a crash would hide.
 */
class CompileMutationPropertiesTest {

    static final List<String> PROGRAMS = List.of(
            LanguageTest.TX + """
                    CREATE PATTERN p AS SELECT * FROM tx MATCH_RECOGNIZE (
                      PARTITION BY card ORDER BY ts
                      MEASURES FIRST(S.ts) AS first_small, B.amount AS big, COUNT(S.*) AS n, AVG(S.amount) AS avg_small,
                               FINAL LAST(S.amount, 1) AS prev_small, CLASSIFIER() AS cls, MATCH_NUMBER() AS mn
                      ONE ROW PER MATCH
                      AFTER MATCH SKIP PAST LAST ROW
                      PATTERN (S{3,} B) WITHIN INTERVAL '10' MINUTE
                      DEFINE S AS S.amount < 1.00 AND S.country IN ('US', 'CA'),
                             B AS B.amount > 500 AND B.amount > 100 * AVG(S.amount) AND B.merchant <> LAST(S.merchant)
                    );
                    """,
            LanguageTest.TX + """
                    CREATE PATTERN q AS SELECT T.card, total * 2 AS doubled FROM tx MATCH_RECOGNIZE (
                      PARTITION BY card ORDER BY ts, merchant DESC
                      MEASURES SUM(AB.amount) AS total, COUNT(DISTINCT merchant) AS merchants, MATCH_ROWTIME() AS at
                      ALL ROWS PER MATCH
                      PATTERN (A -> B ->> {- C -} !D E+? (F | G H){2} PERMUTE(I, J)) WITHIN INTERVAL '1' HOUR EMIT TIMEOUTS
                      SUBSET AB = (A, B)
                      DEFINE A AS CASE WHEN A.amount BETWEEN 1 AND 10 THEN TRUE ELSE A.country LIKE 'U%' END,
                             B AS B.ts - A.ts < INTERVAL '5' MINUTE AND UPPER(B.country) = 'FR',
                             E AS CAST(E.amount AS DECIMAL(10, 2)) / 3 > 1.5 OR E.merchant % 2 = 0 UNTIL E.amount > 3,
                             F AS COALESCE(NULL, F.amount) IS NOT NULL AND SUBSTRING(F.country FROM 1 FOR 1) || 'x' = 'Ux'
                    ) AS T;
                    """);

    record Edit(int kind, int position, int other) {}

    @Provide
    Arbitrary<List<Edit>> edits() {
        Arbitrary<Edit> edit = Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 10_000),
                Arbitraries.integers().between(0, 10_000)).as(Edit::new);
        return edit.list().ofMinSize(1).ofMaxSize(3);
    }

    private static final String[] REPLACEMENTS = {"A", "B", "S", "amount", "ts", "country", "1", "'US'", "NULL", "(", ")", ",",
        "+", "AND", "*", "LAST(", "AVG(", "INTERVAL '1' SECOND", "TIMESTAMP", "DECIMAL(3, 2)", "|", "->", "{2}", "?", "FINAL"};

    static String mutate(String program, List<Edit> edits) {
        List<String> words = new ArrayList<>(Arrays.asList(program.split("(?<=\\s)|(?=\\s)")));
        for (Edit e : edits) {
            if (words.isEmpty()) {
                break;
            }
            int i = e.position() % words.size();
            int j = e.other() % words.size();
            switch (e.kind()) {
                case 0 -> words.remove(i);
                case 1 -> words.add(i, words.get(j));
                case 2 -> {
                    String w = words.get(i);
                    words.set(i, words.get(j));
                    words.set(j, w);
                }
                case 3 -> words.set(i, REPLACEMENTS[e.other() % REPLACEMENTS.length]);
                case 4 -> words.add(i, " " + REPLACEMENTS[e.other() % REPLACEMENTS.length] + " ");
                default -> {
                    String w = words.get(i);
                    if (!w.isEmpty()) {
                        words.set(i, w.substring(0, e.other() % w.length()));
                    }
                }
            }
        }
        return String.join("", words);
    }

    @Property(tries = 600, seed = "20261125")
    void editedProgramsCompileOrGiveDiagnostics(@ForAll("edits") List<Edit> edits, @ForAll boolean second) {
        String program = mutate(PROGRAMS.get(second ? 1 : 0), edits);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try {
                Programs.compile("mutant.cep", program);
            } catch (DslException e) {
                assertTrue(!e.diagnostics().isEmpty(), "a DslException lists its diagnostics");
                for (Diagnostic d : e.diagnostics()) {
                    assertTrue(d.span().end() <= program.length(), () -> "span beyond the text: " + d);
                    d.render(e.source());
                }
            }
        }, () -> "program:\n" + program);
    }

    @Property(tries = 1)
    void theUneditedProgramsCompile() throws DslException {
        for (String p : PROGRAMS) {
            Programs.compile(p);
        }
    }
}
