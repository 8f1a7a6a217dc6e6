package io.peregrine.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.peregrine.cep.AfterMatchSkipStrategy;
import io.peregrine.cep.Condition;
import io.peregrine.cep.Match;
import io.peregrine.cep.MatchCollector;
import io.peregrine.cep.Nfa;
import io.peregrine.cep.NfaState;
import io.peregrine.cep.Pattern;
import io.peregrine.dsl.schema.Row;
import io.peregrine.dsl.schema.Schema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * For random patterns, the program compiled from the language and the same pattern written by
 * hand with cep-core's Java API (conditions as plain lambdas that walk the partial match) give the
 * same matches, row for row and in the same order, on random streams, also with an alternation of two
 * of the elements (cep-core's {@code Pattern.anyOf} by hand). The quantifier translation
 * written here is Flink SQL's, so this also pins the lowering to it.
 */
class DslVersusJavaPropertiesTest {

    enum Quant { ONE, PLUS, STAR, OPTIONAL, TWO, ONE_TO_THREE, TWO_OR_MORE }

    enum Link { STRICT, RELAXED, ANY }

    enum Cond { NONE, LESS, AT_LEAST, EQUALS, ABOVE_AVG_OF_PREVIOUS, ABOVE_LAST_OF_PREVIOUS, COUNT_AT_MOST_TWO }

    record Item(Quant quant, boolean reluctant, Link link, Link loop, Cond cond, int constant) {}

    /** {@code altAt}: items altAt and altAt + 1 form an alternation {@code (Vi | Vj)} (no alternation when out of range). */
    record Spec(List<Item> items, int skip, boolean within, int altAt) {

        boolean alternated(int i) {
            return i == altAt && i + 1 < items.size();
        }

        String text() {
            StringBuilder p = new StringBuilder();
            StringBuilder d = new StringBuilder();
            for (int i = 0; i < items.size(); i++) {
                Item it = items.get(i);
                String c = condition(i, it);
                if (c != null) {
                    d.append(d.length() == 0 ? "" : ", ").append('V').append(i).append(" AS ").append(c);
                }
            }
            for (int i = 0; i < items.size(); i++) {
                Item it = items.get(i);
                if (i > 0) {
                    p.append(it.link == Link.STRICT ? " " : it.link == Link.RELAXED ? " -> " : " ->> ");
                }
                if (alternated(i)) {
                    p.append('(').append(element(i)).append(" | ").append(element(i + 1)).append(')');
                    i++;
                } else {
                    p.append(element(i));
                }
            }
            return program(p, d);
        }

        private String element(int i) {
            Item it = items.get(i);
            StringBuilder p = new StringBuilder();
            {
                p.append('V').append(i);
                String loop = it.loop == Link.RELAXED && it.quant != Quant.ONE && it.quant != Quant.OPTIONAL ? "->" : "";
                String q;
                switch (it.quant) {
                    case PLUS:
                        q = "+";
                        break;
                    case STAR:
                        q = "*";
                        break;
                    case OPTIONAL:
                        q = "?";
                        break;
                    case TWO:
                        q = "{2}";
                        break;
                    case ONE_TO_THREE:
                        q = "{1,3}";
                        break;
                    case TWO_OR_MORE:
                        q = "{2,}";
                        break;
                    default:
                        q = "";
                }
                if (!q.isEmpty()) {
                    p.append(loop).append(q).append(it.reluctant ? "?" : "");
                }
            }
            return p.toString();
        }

        private String program(StringBuilder p, StringBuilder d) {
            String skipClause = switch (skip) {
                case 0 -> "AFTER MATCH SKIP PAST LAST ROW";
                case 1 -> "AFTER MATCH SKIP TO NEXT ROW";
                case 2 -> "AFTER MATCH NO SKIP";
                case 3 -> "AFTER MATCH SKIP TO FIRST V0";
                default -> "AFTER MATCH SKIP TO LAST V0";
            };
            return "CREATE STREAM s (k STRING, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts);\n"
                    + "CREATE PATTERN p AS SELECT * FROM s MATCH_RECOGNIZE (\n PARTITION BY k ORDER BY ts\n"
                    + " MEASURES MATCH_NUMBER() AS mn, CLASSIFIER() AS cls\n ALL ROWS PER MATCH\n " + skipClause + "\n"
                    + " PATTERN (" + p + ")" + (within ? " WITHIN INTERVAL '5' MILLISECOND" : "") + "\n"
                    + (d.length() == 0 ? " DEFINE V0 AS TRUE" : " DEFINE " + d) + "\n);";
        }

        private static String condition(int i, Item it) {
            String v = "V" + i;
            switch (it.cond) {
                case LESS:
                    return v + ".v < " + it.constant;
                case AT_LEAST:
                    return v + ".v >= " + it.constant;
                case EQUALS:
                    return v + ".v = " + it.constant;
                case ABOVE_AVG_OF_PREVIOUS:
                    return i == 0 ? null : v + ".v > AVG(V" + (i - 1) + ".v)";
                case ABOVE_LAST_OF_PREVIOUS:
                    return i == 0 ? null : v + ".v > V" + (i - 1) + ".v";
                case COUNT_AT_MOST_TWO:
                    return "COUNT(" + v + ".*) <= 2";
                default:
                    return null;
            }
        }

        /** The same pattern through the Java API, translated as Flink SQL's planner does. */
        Pattern<Row> java(Schema schema) {
            AfterMatchSkipStrategy strategy = switch (skip) {
                case 0 -> AfterMatchSkipStrategy.skipPastLastEvent();
                case 1 -> AfterMatchSkipStrategy.skipToNext();
                case 2 -> AfterMatchSkipStrategy.noSkip();
                case 3 -> AfterMatchSkipStrategy.skipToFirst("V0");
                default -> AfterMatchSkipStrategy.skipToLast("V0");
            };
            Pattern<Row> p = null;
            for (int i = 0; i < items.size(); i++) {
                Item it = items.get(i);
                if (alternated(i)) {
                    Pattern<Row> alternation = Pattern.anyOf(quantified(Pattern.begin("V" + i), i), quantified(Pattern.begin("V" + (i + 1)), i + 1));
                    if (p == null) {
                        p = Pattern.begin(alternation, strategy);
                    } else {
                        p = it.link == Link.STRICT ? p.next(alternation) : it.link == Link.RELAXED ? p.followedBy(alternation)
                                : p.followedByAny(alternation);
                    }
                    i++;
                    continue;
                }
                String name = "V" + i;
                if (p == null) {
                    p = Pattern.begin(name, strategy);
                } else {
                    p = it.link == Link.STRICT ? p.next(name) : it.link == Link.RELAXED ? p.followedBy(name) : p.followedByAny(name);
                }
                p = quantified(p, i);
            }
            if (p.isGreedy()) {
                // a greedy loop at the end ends at the first row that would not continue it
                int last = items.size() - 1;
                Condition<Row> loop = lambda(last, items.get(last));
                p = p.notNext("V" + last + "#end").where(loop == null ? (e, ctx) -> true : loop);
            }
            return within ? p.within(Duration.ofMillis(5)) : p;
        }

        /** The element's condition and quantifier, as Flink SQL's planner applies them. */
        private Pattern<Row> quantified(Pattern<Row> p, int i) {
            Item it = items.get(i);
            Condition<Row> c = lambda(i, it);
            if (c != null) {
                p = p.where(c);
            }
            boolean optional = it.quant == Quant.OPTIONAL;
            switch (it.quant) {
                case PLUS:
                    p = p.oneOrMore();
                    break;
                case STAR:
                    p = p.oneOrMore().optional();
                    break;
                case OPTIONAL:
                    p = p.optional();
                    break;
                case TWO:
                    p = p.times(2, 2);
                    break;
                case ONE_TO_THREE:
                    p = p.times(1, 3);
                    break;
                case TWO_OR_MORE:
                    p = p.timesOrMore(2);
                    break;
                default:
                    break;
            }
            if (it.quant != Quant.ONE && !optional) {
                if (it.loop != Link.RELAXED) {
                    p = p.consecutive();
                }
                if (!it.reluctant && it.quant != Quant.TWO) {
                    p = p.greedy();
                }
            }
            return p;
        }

        private static Condition<Row> lambda(int i, Item it) {
            int k = it.constant;
            String prev = "V" + (i - 1);
            String self = "V" + i;
            switch (it.cond) {
                case LESS:
                    return (e, ctx) -> e.getLong(1) < k;
                case AT_LEAST:
                    return (e, ctx) -> e.getLong(1) >= k;
                case EQUALS:
                    return (e, ctx) -> e.getLong(1) == k;
                case ABOVE_AVG_OF_PREVIOUS:
                    if (i == 0) {
                        return null;
                    }
                    return (e, ctx) -> {
                        long sum = 0;
                        int n = 0;
                        for (Row r : ctx.eventsOf(prev)) {
                            sum += r.getLong(1);
                            n++;
                        }
                        // AVG of BIGINT is a BIGINT (truncated) in Flink SQL; no rows: NULL, not true
                        return n > 0 && e.getLong(1) > sum / n;
                    };
                case ABOVE_LAST_OF_PREVIOUS:
                    if (i == 0) {
                        return null;
                    }
                    return (e, ctx) -> {
                        Row last = null;
                        for (Row r : ctx.eventsOf(prev)) {
                            last = r;
                        }
                        return last != null && e.getLong(1) > last.getLong(1);
                    };
                case COUNT_AT_MOST_TWO:
                    return (e, ctx) -> {
                        int n = 1;
                        for (Row r : ctx.eventsOf(self)) {
                            n++;
                        }
                        return n <= 2;
                    };
                default:
                    return null;
            }
        }
    }

    @Provide
    Arbitrary<Spec> specs() {
        Arbitrary<Item> item = Combinators.combine(
                Arbitraries.of(Quant.class), Arbitraries.of(true, false), Arbitraries.of(Link.class),
                Arbitraries.of(Link.STRICT, Link.RELAXED), Arbitraries.of(Cond.class), Arbitraries.integers().between(0, 4))
                .as(Item::new);
        return Combinators.combine(item.list().ofMinSize(1).ofMaxSize(4), Arbitraries.integers().between(0, 4),
                Arbitraries.of(true, false), Arbitraries.integers().between(0, 6)).as(Spec::new);
    }

    @Provide
    Arbitrary<List<Long>> values() {
        return Arbitraries.longs().between(0, 4).list().ofMinSize(1).ofMaxSize(14);
    }

    @Property(tries = 1500, seed = "20261125", shrinking = ShrinkingMode.BOUNDED)
    void languageAndJavaApiAgree(@ForAll("specs") Spec spec, @ForAll("values") List<Long> values) {
        Program program;
        try {
            program = Programs.compile(spec.text());
        } catch (DslException e) {
            // patterns Flink SQL rejects too (greedy last, empty matches); the Java API is not asked
            Assume.that(false);
            return;
        }
        CompiledPattern cp = program.patterns().get(0);
        Schema schema = cp.input().schema();
        Nfa<Row> javaNfa = Nfa.compile(spec.java(schema));

        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            rows.add(Row.of(schema, "k", values.get(i), (long) (i - i / 4))); // every fourth row ties with the previous
        }
        List<String> fromDsl = new ArrayList<>();
        List<String> fromJava = new ArrayList<>();
        long[] number = {0};
        run(cp.nfa(), rows, m -> cp.projector().project(m, ++number[0],
                r -> fromDsl.add(r.get(1) + "/" + r.get(2) + "@" + ((java.time.Instant) r.get(4)).toEpochMilli())));
        int[] count = {0};
        run(javaNfa, rows, m -> {
            count[0]++;
            for (int i = 0; i < m.size(); i++) {
                fromJava.add(count[0] + "/" + m.elementName(i) + "@" + m.timestamp(i));
            }
        });
        assertEquals(fromJava, fromDsl, spec.text());
    }

    private static void run(Nfa<Row> nfa, List<Row> rows, java.util.function.Consumer<Match<Row>> onMatch) {
        NfaState<Row> state = nfa.newState();
        MatchCollector<Row> c = onMatch::accept;
        for (Row r : rows) {
            nfa.advanceTime(state, r.getLong(2), c);
            nfa.process(state, r, r.getLong(2), c);
        }
        nfa.advanceTime(state, Long.MAX_VALUE, c);
    }
}
