package io.peregrine.properties;

import io.peregrine.dsl.DslException;
import io.peregrine.dsl.Program;
import io.peregrine.dsl.Programs;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Random pattern programs over one transaction stream: 1 to 4 variables with quantifiers, the three
 * contiguities, NOT NEXT / NOT FOLLOWED BY, every skip strategy, WITHIN, timeouts, ONE ROW and ALL
 * ROWS PER MATCH, conditions reading the row, earlier variables and running aggregates.
 */
final class RandomPrograms {

    static final String STREAM = """
            CREATE STREAM tx (card STRING, amount DOUBLE, kind STRING, ts TIMESTAMP(3),
              WATERMARK FOR ts AS ts - INTERVAL '3' SECOND) WITH (format = 'json');
            """;

    private static final String[] VARS = {"A", "B", "C", "D"};
    private static final String[] QUANTIFIERS = {"", "", "+", "?", "{2}", "{1,3}", "+?", "*", "{2,}"};
    private static final String[] LINKS = {" ", " ", " -> ", " ->> "};
    /** Feature definitions with exact (order-independent) values: every window kind, most aggregates. */
    private static final String[] FEATURES = {
        "COUNT(*) OVER SLIDING INTERVAL '10' SECOND",
        "SUM(amount) OVER SLIDING INTERVAL '30' SECOND",
        "MIN(amount) OVER SLIDING INTERVAL '20' SECOND",
        "MAX(amount) OVER HOPPING INTERVAL '1' MINUTE EVERY INTERVAL '10' SECOND",
        "AVG(amount) OVER HOPPING INTERVAL '30' SECOND EVERY INTERVAL '5' SECOND",
        "STDDEV(amount) OVER SLIDING INTERVAL '1' MINUTE",
        "COUNT(DISTINCT kind) OVER SLIDING INTERVAL '15' SECOND",
        "APPROX_COUNT_DISTINCT(kind)",
        "COUNT(*) FILTER (WHERE kind = 'a') OVER SLIDING INTERVAL '30' SECOND",
        "FIRST(kind) OVER SLIDING INTERVAL '20' SECOND",
        "LAST(amount)",
        "LAST_N(kind, 3) OVER SLIDING INTERVAL '30' SECOND",
        "TIME_SINCE_LAST()",
    };
    private static final String[] SKIPS = {"SKIP PAST LAST ROW", "SKIP TO NEXT ROW", "NO SKIP", "SKIP TO LAST"};

    private RandomPrograms() {
    }

    /** A compiled program with one pattern {@code p}; draws that do not compile are filtered out. */
    static Arbitrary<Program> programs() {
        return texts().map(RandomPrograms::compileOrNull).filter(p -> p != null);
    }

    static Arbitrary<String> texts() {
        Arbitrary<Integer> size = Arbitraries.integers().between(1, 4);
        return size.flatMap(n -> Combinators.combine(
                Arbitraries.of(QUANTIFIERS).list().ofSize(n),
                Arbitraries.of(LINKS).list().ofSize(n),
                Arbitraries.integers().between(0, 6).list().ofSize(n),
                Arbitraries.integers().between(0, 8),   // negation: 0..n-1 inserts a !N before element i
                Arbitraries.of(SKIPS),
                Arbitraries.integers().between(0, 3),   // 0: no WITHIN, else 5/10/20 s (+ timeouts when 3)
                Arbitraries.of(false, true),           // ALL ROWS PER MATCH
                Arbitraries.integers().between(0, FEATURES.length - 1).list().ofMaxSize(4)) // features, maybe none
                .as((quantifiers, links, conditions, negation, skip, within, allRows, features) ->
                        text(n, quantifiers, links, conditions, negation, skip, within, allRows) + features(features, allRows)));
    }

    private static String text(int n, List<String> quantifiers, List<String> links, List<Integer> conditions,
                               int negation, String skip, int within, boolean allRows) {
        StringBuilder pattern = new StringBuilder();
        List<String> defines = new ArrayList<>();
        boolean anyMandatory = false;
        for (int i = 0; i < n; i++) {
            String v = VARS[i];
            if (i > 0) {
                pattern.append(links.get(i));
            }
            if (i > 0 && negation == i) {
                // NOT NEXT (strict link) or NOT FOLLOWED BY (relaxed link) before element i
                pattern.append("!N ");
                defines.add("N AS N.kind = 'd'");
            }
            String q = quantifiers.get(i);
            if (i == 0 && (q.equals("*") || q.equals("?"))) {
                q = "+"; // an optional first element is not a pattern Flink (or we) accept
            }
            anyMandatory |= !(q.equals("*") || q.equals("?"));
            pattern.append(v).append(q);
            String c = condition(v, i, conditions.get(i));
            if (c != null) {
                defines.add(v + " AS " + c);
            }
        }
        if (!anyMandatory) {
            pattern.append(" Z");
        }
        if (negation == n && within > 0) {
            pattern.append(" -> !N");
            defines.add("N AS N.kind = 'd'");
        }
        String skipClause = skip.equals("SKIP TO LAST") ? "SKIP TO LAST " + VARS[n - 1] : skip;
        StringBuilder s = new StringBuilder(STREAM);
        s.append("CREATE PATTERN p AS SELECT * FROM tx MATCH_RECOGNIZE (\n  PARTITION BY card ORDER BY ts\n");
        if (allRows) {
            s.append("  MEASURES CLASSIFIER() AS cls, RUNNING COUNT(*) AS n, MATCH_NUMBER() AS m, FINAL LAST(A.amount) AS last_a\n");
            s.append("  ALL ROWS PER MATCH\n");
        } else {
            s.append("  MEASURES FIRST(A.ts) AS first_ts, LAST(A.amount) AS last_a, COUNT(*) AS n, ")
                    .append("MATCH_NUMBER() AS m, MATCH_ROWTIME() AS rt\n");
            s.append("  ONE ROW PER MATCH\n");
        }
        s.append("  AFTER MATCH ").append(skipClause).append('\n');
        s.append("  PATTERN (").append(pattern).append(')');
        if (within > 0) {
            s.append(" WITHIN INTERVAL '").append(new int[] {0, 5, 10, 20}[within]).append("' SECOND");
            if (within == 3) {
                s.append(" EMIT TIMEOUTS");
            }
        }
        s.append('\n');
        if (!defines.isEmpty()) {
            s.append("  DEFINE ").append(String.join(",\n    ", defines)).append('\n');
        }
        return s.append(");\n").toString();
    }

    /** A feature set over the stream, and one over the pattern's rows when there are features at all. */
    private static String features(List<Integer> picks, boolean allRows) {
        if (picks.isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder("CREATE FEATURES f ON tx KEY card (\n");
        for (int i = 0; i < picks.size(); i++) {
            s.append(i == 0 ? "  " : ",\n  ").append("f").append(i).append(" = ").append(FEATURES[picks.get(i)]);
        }
        s.append("\n);\n");
        // pattern rows as a stream: how many, and (ONE ROW PER MATCH) the last match number
        s.append("CREATE FEATURES fp ON p KEY card (matches_1m = COUNT(*) OVER SLIDING INTERVAL '1' MINUTE")
                .append(allRows ? "" : ", last_m = LAST(m)").append(");\n");
        return s.toString();
    }

    private static String condition(String v, int index, int kind) {
        return switch (kind) {
            case 0 -> null; // any row
            case 1 -> v + ".amount < 50";
            case 2 -> v + ".amount >= 20 AND " + v + ".kind <> 'b'";
            case 3 -> v + ".kind = 'a' OR " + v + ".kind = 'c'";
            case 4 -> index == 0 ? v + ".amount > 10" : v + ".amount > FIRST(A.amount)";
            case 5 -> "SUM(" + v + ".amount) < 150";
            default -> "COUNT(" + v + ".*) <= 2 OR " + v + ".amount < 30";
        };
    }

    static Program compileOrNull(String text) {
        try {
            return Programs.compile("random.pg", text);
        } catch (DslException e) {
            return null;
        }
    }
}
