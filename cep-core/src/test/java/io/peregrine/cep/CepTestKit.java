package io.peregrine.cep;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Shared test support: a small event type, an input notation, runners that record matches and
 * timeouts with {@link Recorder} (as {@code "{a=[a1], b=[b1]}"} and {@code "{a=[a1]}@11"}), and the
 * translation of a pattern to FlinkCEP 2.3.0, run on {@link FlinkReference} for cross-checks.
 */
final class CepTestKit {

    private CepTestKit() {}

    /** A test event: its name is what matches print; conditions look at the name's prefix or the value. */
    record Ev(String name, long ts, double value) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * Parses {@code "a1 c b1@7 b2:3.5 x@9:2 !12"}: names separated by blanks, an optional {@code @timestamp}
     * (default: the previous timestamp + 1, starting at 1) and an optional {@code :value} (default 0).
     * A token {@code !t} is a watermark: the runners advance time to {@code t} there.
     */
    static List<Ev> events(String spec) {
        List<Ev> out = new ArrayList<>();
        long ts = 0;
        for (String token : spec.trim().split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            if (token.startsWith("!")) {
                out.add(new Ev(WATERMARK, Long.parseLong(token.substring(1)), 0));
                continue;
            }
            String name = token;
            double value = 0;
            int colon = name.indexOf(':');
            if (colon >= 0) {
                value = Double.parseDouble(name.substring(colon + 1));
                name = name.substring(0, colon);
            }
            int at = name.indexOf('@');
            if (at >= 0) {
                ts = Long.parseLong(name.substring(at + 1));
                name = name.substring(0, at);
            } else {
                ts++;
            }
            out.add(new Ev(name, ts, value));
        }
        return out;
    }

    /** The name of the pseudo-event that stands for a watermark in a parsed input. */
    static final String WATERMARK = "!";

    static boolean isWatermark(Ev e) {
        return WATERMARK.equals(e.name());
    }

    /** Events whose name starts with {@code prefix}. */
    static Predicate<Ev> named(String prefix) {
        return e -> e.name().startsWith(prefix);
    }

    /** Starts a pattern whose first element takes events named {@code name...}. */
    static Pattern<Ev> begin(String name) {
        return Pattern.<Ev>begin(name).where(named(name));
    }

    static Pattern<Ev> begin(String name, AfterMatchSkipStrategy skip) {
        return Pattern.<Ev>begin(name, skip).where(named(name));
    }

    static String format(Map<String, List<Ev>> match) {
        return match.toString();
    }

    /** Result of one run: matches and timeouts in emission order. */
    record Result(List<String> matches, List<String> timeouts) {}

    /** Runs {@code pattern} over {@code spec} with timeouts on, then advances time to the end of time. */
    static Result run(Pattern<Ev> pattern, String spec) {
        return run(pattern, events(spec), Long.MAX_VALUE);
    }

    static List<String> matches(Pattern<Ev> pattern, String spec) {
        return run(pattern, spec).matches();
    }

    static Result run(Pattern<Ev> pattern, List<Ev> events, long finalWatermark) {
        Nfa<Ev> nfa = Nfa.compile(pattern, NfaOptions.defaults().withTimedOutMatches(true));
        NfaState<Ev> state = nfa.newState();
        Recorder<Ev> rec = new Recorder<>();
        for (Ev e : events) {
            if (isWatermark(e)) {
                nfa.advanceTime(state, e.ts(), rec);
            } else {
                nfa.process(state, e, e.ts(), rec);
            }
        }
        nfa.advanceTime(state, finalWatermark, rec);
        return new Result(rec.matches, rec.timeouts);
    }

    /**
     * Asserts that FlinkCEP (the reference) and Peregrine both emit exactly {@code expected}, in this
     * order, for {@code pattern} over {@code spec} (time advanced to the end of time afterwards).
     */
    static void expectMatches(Pattern<Ev> pattern, String spec, String... expected) {
        List<String> want = List.of(expected);
        org.junit.jupiter.api.Assertions.assertEquals(want, flink(pattern, spec).matches(),
                "the expected value must be what FlinkCEP 2.3.0 emits");
        org.junit.jupiter.api.Assertions.assertEquals(want, run(pattern, spec).matches(), "Peregrine's matches");
    }

    /** As {@link #expectMatches} for both channels: matches and timed-out partial matches. */
    static void expect(Pattern<Ev> pattern, String spec, long finalWatermark, List<String> matches, List<String> timeouts) {
        Result want = new Result(matches, timeouts);
        List<Ev> evs = events(spec);
        org.junit.jupiter.api.Assertions.assertEquals(want, flink(pattern, evs, finalWatermark),
                "the expected value must be what FlinkCEP 2.3.0 emits");
        org.junit.jupiter.api.Assertions.assertEquals(want, run(pattern, evs, finalWatermark), "Peregrine's output");
    }

    // ------------------------------------------------------------------ FlinkCEP reference

    /** Runs the FlinkCEP translation of {@code pattern} (see {@link #toFlink}). */
    static Result flink(Pattern<Ev> pattern, String spec) {
        return flink(toFlink(pattern), events(spec), Long.MAX_VALUE);
    }

    static Result flink(Pattern<Ev> pattern, List<Ev> events, long finalWatermark) {
        return flink(toFlink(pattern), events, finalWatermark);
    }

    /**
     * Builds the FlinkCEP pattern that {@code last} describes, element for element and call for call.
     * Conditions are ours, run against an adapter of Flink's context whose aggregates and event
     * references are recomputed from {@code getEventsForPattern} (so they are Flink's semantics).
     */
    static org.apache.flink.cep.pattern.Pattern<Ev, Ev> toFlink(Pattern<Ev> last) {
        List<Pattern<Ev>> chain = new ArrayList<>();
        for (Pattern<Ev> p = last; p != null; p = p.previous()) {
            chain.add(0, p);
        }
        org.apache.flink.cep.pattern.Pattern<Ev, Ev> out = null;
        for (Pattern<Ev> p : chain) {
            if (out == null) {
                org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy skip = toFlink(p.skipStrategy());
                out = p.isGroup()
                        ? org.apache.flink.cep.pattern.Pattern.begin(toFlink(p.group()), skip)
                        : org.apache.flink.cep.pattern.Pattern.<Ev>begin(p.name(), skip);
            } else if (p.isGroup()) {
                org.apache.flink.cep.pattern.Pattern<Ev, Ev> g = toFlink(p.group());
                switch (p.consumingStrategy()) {
                    case STRICT -> out = out.next(g);
                    case SKIP_TILL_NEXT -> out = out.followedBy(g);
                    case SKIP_TILL_ANY -> out = out.followedByAny(g);
                    default -> throw new IllegalArgumentException("NOT group " + p);
                }
            } else {
                switch (p.consumingStrategy()) {
                    case STRICT -> out = out.next(p.name());
                    case SKIP_TILL_NEXT -> out = out.followedBy(p.name());
                    case SKIP_TILL_ANY -> out = out.followedByAny(p.name());
                    case NOT_NEXT -> out = out.notNext(p.name());
                    case NOT_FOLLOW -> out = out.notFollowedBy(p.name());
                    default -> throw new IllegalArgumentException(p.toString());
                }
            }
            if (p.condition() != null) {
                out.where(new FlinkCondition(p.condition()));
            }
            java.time.Duration gap = p.timesGapMillis() > 0 ? java.time.Duration.ofMillis(p.timesGapMillis()) : null;
            if (p.isLooping()) {
                if (p.timesFrom() == 1) {
                    out.oneOrMore(gap);
                } else {
                    out.timesOrMore(p.timesFrom(), gap);
                }
            } else if (p.isTimes()) {
                // times(0, n) is how an optional times(1, n) is built (optional() itself would refuse
                // to follow a greedy element)
                out.times(p.isOptional() && p.timesFrom() == 1 ? 0 : p.timesFrom(), p.timesTo(), gap);
            }
            if (p.untilCondition() != null) {
                out.until(new FlinkCondition(p.untilCondition()));
            }
            if (p.isOptional() && !(p.isTimes() && p.timesFrom() == 1)) {
                out.optional();
            }
            if (p.isGreedy()) {
                out.greedy();
            }
            if (p.innerConsumingStrategy() == ConsumingStrategy.STRICT) {
                out.consecutive();
            } else if (p.innerConsumingStrategy() == ConsumingStrategy.SKIP_TILL_ANY) {
                out.allowCombinations();
            }
            if (p.windowMillis() > 0) {
                out.within(java.time.Duration.ofMillis(p.windowMillis()));
            }
            if (p.gapWindowMillis() > 0) {
                out.within(java.time.Duration.ofMillis(p.gapWindowMillis()),
                        org.apache.flink.cep.pattern.WithinType.PREVIOUS_AND_CURRENT);
            }
        }
        return out;
    }

    static org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy toFlink(AfterMatchSkipStrategy s) {
        if (s instanceof AfterMatchSkipStrategy.SkipToNext) {
            return org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy.skipToNext();
        }
        if (s instanceof AfterMatchSkipStrategy.SkipPastLastEvent) {
            return org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy.skipPastLastEvent();
        }
        if (s instanceof AfterMatchSkipStrategy.SkipToFirst f) {
            var r = org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy.skipToFirst(f.name());
            return f.throwOnMiss() ? r.throwExceptionOnMiss() : r;
        }
        if (s instanceof AfterMatchSkipStrategy.SkipToLast l) {
            var r = org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy.skipToLast(l.name());
            return l.throwOnMiss() ? r.throwExceptionOnMiss() : r;
        }
        return org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy.noSkip();
    }

    /** One of our conditions, evaluated by FlinkCEP. */
    private static final class FlinkCondition extends org.apache.flink.cep.pattern.conditions.IterativeCondition<Ev> {
        private static final long serialVersionUID = 1L;
        private final transient Condition<Ev> condition;

        FlinkCondition(Condition<Ev> condition) {
            this.condition = condition;
        }

        @Override
        public boolean filter(Ev value, Context<Ev> ctx) {
            return condition.test(value, new FlinkContext(ctx));
        }
    }

    /** Our context over Flink's: everything recomputed from the events Flink reports per element. */
    private record FlinkContext(org.apache.flink.cep.pattern.conditions.IterativeCondition.Context<Ev> ctx)
            implements io.peregrine.cep.Context<Ev> {

        private List<Ev> of(String element) {
            List<Ev> out = new ArrayList<>();
            try {
                ctx.getEventsForPattern(element).forEach(out::add);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return out;
        }

        @Override
        public double aggregate(Aggregate<Ev> aggregate) {
            List<Ev> evs = of(aggregate.element());
            int n = evs.size();
            switch (aggregate.kind()) {
                case COUNT:
                    return n;
                case SUM: {
                    double s = 0;
                    for (Ev e : evs) {
                        s += aggregate.valueOf(e);
                    }
                    return s;
                }
                default:
                    break;
            }
            if (n == 0) {
                return Double.NaN;
            }
            double acc = aggregate.valueOf(evs.get(0));
            switch (aggregate.kind()) {
                case AVG: {
                    double s = 0;
                    for (Ev e : evs) {
                        s += aggregate.valueOf(e);
                    }
                    return s / n;
                }
                case MIN:
                    for (Ev e : evs) {
                        acc = Math.min(acc, aggregate.valueOf(e));
                    }
                    return acc;
                case MAX:
                    for (Ev e : evs) {
                        acc = Math.max(acc, aggregate.valueOf(e));
                    }
                    return acc;
                case FIRST:
                    return acc;
                case LAST:
                    return aggregate.valueOf(evs.get(n - 1));
                default:
                    throw new IllegalArgumentException(aggregate.toString());
            }
        }

        @Override
        public Ev event(EventRef<Ev> ref) {
            List<Ev> evs = of(ref.element());
            return evs.isEmpty() ? null : ref.first() ? evs.get(0) : evs.get(evs.size() - 1);
        }

        @Override
        public Iterable<Ev> eventsOf(String element) {
            return of(element);
        }

        @Override
        public long timestamp() {
            return ctx.timestamp();
        }

        @Override
        public Ev previous(int n) {
            throw new UnsupportedOperationException("FlinkCEP keeps no physical history");
        }

        @Override
        public long previousTimestamp(int n) {
            throw new UnsupportedOperationException("FlinkCEP keeps no physical history");
        }

        @Override
        public long position() {
            throw new UnsupportedOperationException("FlinkCEP keeps no physical history");
        }
    }

    /**
     * Runs {@code pattern} on {@link FlinkReference}: a watermark in the input advances time there.
     * Matches are reported with keys in order of first appearance, like {@link Match#toMap()}.
     */
    static Result flink(org.apache.flink.cep.pattern.Pattern<Ev, ?> pattern, List<Ev> events, long finalWatermark) {
        Map<Ev, Integer> order = new IdentityHashMap<>();
        for (Ev e : events) {
            order.put(e, order.size());
        }
        try (FlinkReference<Ev> flink = new FlinkReference<>(pattern, m -> canonical(m, order))) {
            for (Ev e : events) {
                if (isWatermark(e)) {
                    flink.advanceTime(e.ts());
                } else {
                    flink.process(e, e.ts());
                }
            }
            flink.advanceTime(finalWatermark);
            return new Result(flink.matches, flink.timeouts);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static String canonical(Map<String, List<Ev>> m, Map<Ev, Integer> order) {
        List<Map.Entry<String, List<Ev>>> entries = new ArrayList<>(m.entrySet());
        entries.sort((x, y) -> Integer.compare(order.get(x.getValue().get(0)), order.get(y.getValue().get(0))));
        Map<String, List<Ev>> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<Ev>> e : entries) {
            out.put(e.getKey(), e.getValue());
        }
        return format(out);
    }
}
