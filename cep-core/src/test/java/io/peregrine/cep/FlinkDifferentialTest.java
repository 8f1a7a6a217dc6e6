package io.peregrine.cep;

import static io.peregrine.cep.CepTestKit.events;
import static io.peregrine.cep.CepTestKit.flink;
import static io.peregrine.cep.CepTestKit.named;
import static io.peregrine.cep.CepTestKit.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.peregrine.cep.CepTestKit.Ev;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random patterns and inputs, run through Peregrine and FlinkCEP 2.3.0: both must emit the
 * same matches in the same order and the same timed-out partial matches (with their timestamps).
 * Patterns mix every contiguity, NOT elements, quantifiers and their options, groups, windows, gap
 * windows, quantifier gaps, running-aggregate conditions and all skip strategies; inputs have
 * repeated timestamps and watermarks between events; the final watermark is either the end of time or shortly after the input.
 * Deterministic: the same seeds every run.
 */
class FlinkDifferentialTest {

    private static final String[] NAMES = {"a", "b", "c"};
    /** Cases per chunk; raise with the environment variable {@code PEREGRINE_DIFFERENTIAL_CASES=5000} to hunt. */
    private static final int CASES_PER_CHUNK = Integer.parseInt(
            System.getenv().getOrDefault("PEREGRINE_DIFFERENTIAL_CASES", "150"));

    @ParameterizedTest(name = "seeds {0}xx")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7})
    void peregrineEmitsWhatFlinkEmits(int chunk) {
        List<String> failures = new ArrayList<>();
        int compared = 0;
        for (int seed = chunk * CASES_PER_CHUNK; seed < (chunk + 1) * CASES_PER_CHUNK; seed++) {
            Random r = new Random(seed);
            StringBuilder description = new StringBuilder();
            Pattern<Ev> pattern;
            try {
                pattern = randomPattern(r, description);
            } catch (MalformedPatternException e) {
                continue; // the builder refused a combination (as FlinkCEP's would)
            }
            String input = randomInput(r);
            List<Ev> evs = events(input);
            long watermark = r.nextBoolean() ? Long.MAX_VALUE : ts(evs) + r.nextInt(6);
            String theirs = outcome(() -> flink(pattern, evs, watermark));
            String ours = outcome(() -> run(pattern, evs, watermark));
            if (theirs.startsWith("threw") && ours.startsWith("threw")) {
                continue; // both refuse the pattern (e.g. a skip strategy naming an element inside a group)
            }
            compared++;
            if (!theirs.equals(ours)) {
                failures.add("seed " + seed + ": " + description + "\n  input " + input + ", final watermark "
                        + watermark + "\n  flink " + theirs + "\n  ours  " + ours);
            }
        }
        assertEquals(List.of(), failures, compared + " cases compared");
    }

    private static long ts(List<Ev> evs) {
        return evs.stream().mapToLong(Ev::ts).max().orElse(0);
    }

    private interface Outcome {
        Object get();
    }

    private static String outcome(Outcome o) {
        try {
            return String.valueOf(o.get());
        } catch (RuntimeException e) {
            return "threw " + e.getClass().getSimpleName();
        }
    }

    static Pattern<Ev> randomPattern(Random r, StringBuilder d) {
        int n = 2 + r.nextInt(3);
        AfterMatchSkipStrategy[] skips = {
            AfterMatchSkipStrategy.noSkip(), AfterMatchSkipStrategy.skipToNext(),
            AfterMatchSkipStrategy.skipPastLastEvent(),
            AfterMatchSkipStrategy.skipToFirst("e0"), AfterMatchSkipStrategy.skipToFirst("e1"),
            AfterMatchSkipStrategy.skipToLast("e1"), AfterMatchSkipStrategy.skipToLast("e" + (n - 1))};
        AfterMatchSkipStrategy skip = skips[r.nextInt(skips.length)];
        d.append(skip).append(": ");
        Pattern<Ev> p = null;
        boolean prevOptional = false;
        for (int i = 0; i < n; i++) {
            if (i > 0 && !prevOptional && r.nextInt(5) == 0) {
                String c1 = NAMES[r.nextInt(3)];
                String c2 = NAMES[r.nextInt(3)];
                boolean strict = r.nextBoolean();
                Pattern<Ev> g = Pattern.<Ev>begin("g" + i + "x").where(named(c1));
                g = (strict ? g.next("g" + i + "y") : g.followedBy("g" + i + "y")).where(named(c2));
                int c = r.nextInt(3);
                p = c == 0 ? p.next(g) : c == 1 ? p.followedBy(g) : p.followedByAny(g);
                d.append(c == 0 ? ".next" : c == 1 ? ".followedBy" : ".followedByAny").append("((g").append(i)
                        .append("x[").append(c1).append(strict ? "] next g" : "] followedBy g").append(i)
                        .append("y[").append(c2).append("]))");
                int q = r.nextInt(5);
                if (q == 0) {
                    p.oneOrMore();
                    d.append(".oneOrMore()");
                } else if (q == 1) {
                    p.times(2);
                    d.append(".times(2)");
                } else if (q == 2) {
                    p.times(1, 2);
                    d.append(".times(1,2)");
                }
                prevOptional = r.nextInt(4) == 0;
                if (prevOptional) {
                    p.optional();
                    d.append(".optional()");
                }
                continue;
            }
            String name = "e" + i;
            String cond = NAMES[r.nextInt(NAMES.length)];
            if (p == null) {
                p = Pattern.begin(name, skip);
                d.append("begin(").append(name);
            } else {
                switch (r.nextInt(prevOptional ? 3 : (i == n - 1 ? 4 : 5))) {
                    case 0 -> {
                        p = p.next(name);
                        d.append(".next(").append(name);
                    }
                    case 1 -> {
                        p = p.followedBy(name);
                        d.append(".followedBy(").append(name);
                    }
                    case 2 -> {
                        p = p.followedByAny(name);
                        d.append(".followedByAny(").append(name);
                    }
                    case 3 -> {
                        p = p.notNext(name);
                        d.append(".notNext(").append(name);
                    }
                    default -> {
                        p = p.notFollowedBy(name);
                        d.append(".notFollowedBy(").append(name);
                    }
                }
            }
            d.append(")[").append(cond).append(']');
            p.where(named(cond));
            if (r.nextInt(4) == 0) {
                String o = NAMES[r.nextInt(3)];
                p.or(named(o));
                d.append(".or(").append(o).append(')');
            }
            if (r.nextInt(5) == 0) {
                AggregateKind k = AggregateKind.values()[r.nextInt(AggregateKind.values().length)];
                Aggregate<Ev> h = p.aggregate(k, Ev::value);
                double limit = r.nextInt(8);
                p.where((e, ctx) -> {
                    double v = ctx.aggregate(h);
                    return Double.isNaN(v) || v + e.value() > limit;
                });
                d.append(".where(").append(k).append(" + value > ").append(limit).append(')');
            }
            if (i > 0 && r.nextInt(6) == 0) {
                long gap = 2 + r.nextInt(4);
                p.within(Duration.ofMillis(gap), WithinType.PREVIOUS_AND_CURRENT);
                d.append(".within(").append(gap).append(", PREVIOUS_AND_CURRENT)");
            }
            prevOptional = false;
            boolean isNot = p.consumingStrategy() == ConsumingStrategy.NOT_NEXT
                    || p.consumingStrategy() == ConsumingStrategy.NOT_FOLLOW;
            if (isNot) {
                continue;
            }
            boolean quantified = true;
            switch (r.nextInt(7)) {
                case 0 -> {
                    p.oneOrMore();
                    d.append(".oneOrMore()");
                }
                case 1 -> {
                    int t = 1 + r.nextInt(3);
                    if (r.nextInt(3) == 0) {
                        p.times(t, Duration.ofMillis(3));
                        d.append(".times(").append(t).append(", 3ms)");
                    } else {
                        p.times(t);
                        d.append(".times(").append(t).append(')');
                    }
                }
                case 2 -> {
                    int from = r.nextInt(2);
                    int to = from + 1 + r.nextInt(2);
                    p.times(from, to);
                    d.append(".times(").append(from).append(',').append(to).append(')');
                    prevOptional = from == 0;
                }
                case 3 -> {
                    int t = 1 + r.nextInt(2);
                    p.timesOrMore(t);
                    d.append(".timesOrMore(").append(t).append(')');
                }
                default -> quantified = false;
            }
            if (quantified) {
                int inner = r.nextInt(6);
                if (inner == 0) {
                    p.consecutive();
                    d.append(".consecutive()");
                } else if (inner == 1) {
                    p.allowCombinations();
                    d.append(".allowCombinations()");
                }
                if (p.isLooping() && r.nextInt(4) == 0) {
                    String u = NAMES[r.nextInt(3)];
                    p.until(named(u));
                    d.append(".until(").append(u).append(')');
                }
                if (inner != 1 && r.nextInt(4) == 0) {
                    p.greedy();
                    d.append(".greedy()");
                }
            }
            if (!prevOptional && r.nextInt(4) == 0) {
                p.optional();
                d.append(".optional()");
                prevOptional = true;
            }
        }
        if (r.nextInt(2) == 0 || p.consumingStrategy() == ConsumingStrategy.NOT_FOLLOW) {
            long w = 3 + r.nextInt(8);
            p.within(Duration.ofMillis(w));
            d.append(".within(").append(w).append(')');
        }
        return p;
    }

    static String randomInput(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = 4 + r.nextInt(8);
        long ts = 1;
        for (int i = 0; i < n; i++) {
            long previous = ts;
            ts += r.nextInt(3);
            if (ts > previous && r.nextInt(4) == 0) {
                // a watermark between two events, below the next one (FlinkCEP's operator would drop
                // an event at or below the watermark as late)
                sb.append('!').append(previous + r.nextInt((int) (ts - previous))).append(' ');
            }
            sb.append(NAMES[r.nextInt(3)]).append(i).append('@').append(ts).append(':').append(r.nextInt(10)).append(' ');
        }
        return sb.toString().trim();
    }
}
