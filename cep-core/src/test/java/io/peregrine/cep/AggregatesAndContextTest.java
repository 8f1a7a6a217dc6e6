package io.peregrine.cep;

import static io.peregrine.cep.CepTestKit.begin;
import static io.peregrine.cep.CepTestKit.expectMatches;
import static io.peregrine.cep.CepTestKit.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.peregrine.cep.CepTestKit.Ev;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What iterative conditions see through {@link Context}: running aggregates, first/last event
 * references and {@code eventsOf}, all excluding the event under test and all per partial match.
 * Match expectations are checked against FlinkCEP 2.3.0, where aggregates and references are
 * recomputed from {@code getEventsForPattern}.
 */
class AggregatesAndContextTest {

    private static final AggregateKind[] KINDS = AggregateKind.values();

    /** b.times(3) then c; c records every aggregate of b it sees. */
    private static Map<AggregateKind, Double> aggregatesSeenByC(String input) {
        Pattern<Ev> b = begin("a").followedBy("b").where(named("b"));
        Map<AggregateKind, Aggregate<Ev>> handles = new EnumMap<>(AggregateKind.class);
        for (AggregateKind k : KINDS) {
            handles.put(k, b.aggregate(k, Ev::value));
        }
        Map<AggregateKind, Double> seen = new EnumMap<>(AggregateKind.class);
        Pattern<Ev> p = b.times(3).followedBy("c").where((e, ctx) -> {
            if (e.name().startsWith("c")) {
                handles.forEach((k, h) -> seen.put(k, ctx.aggregate(h)));
                return true;
            }
            return false;
        });
        assertEquals(List.of("{a=[a], b=[b1, b2, b3], c=[c]}"), CepTestKit.matches(p, input));
        return seen;
    }

    @Test
    void shouldComputeEveryAggregateKindOverTheEventsTheElementTook() {
        Map<AggregateKind, Double> seen = aggregatesSeenByC("a:100 b1:1 x:50 b2:5 b3:3 c:7");
        Map<AggregateKind, Double> want = new EnumMap<>(AggregateKind.class);
        want.put(AggregateKind.COUNT, 3.0);
        want.put(AggregateKind.SUM, 9.0);
        want.put(AggregateKind.AVG, 3.0);
        want.put(AggregateKind.MIN, 1.0);
        want.put(AggregateKind.MAX, 5.0);
        want.put(AggregateKind.FIRST, 1.0);
        want.put(AggregateKind.LAST, 3.0);
        assertEquals(want, seen);
    }

    @Test
    void shouldGiveZeroCountAndSumAndNaNOtherwiseBeforeTheElementTookAnything() {
        Pattern<Ev> a = begin("a");
        Map<AggregateKind, Aggregate<Ev>> handles = new EnumMap<>(AggregateKind.class);
        Pattern<Ev> b = a.followedBy("b");
        for (AggregateKind k : KINDS) {
            handles.put(k, b.aggregate(k, Ev::value));
        }
        // a condition may be evaluated more than once per event (take and ignore edges): keep distinct views
        Set<Map<AggregateKind, Double>> seen = new LinkedHashSet<>();
        b.where((e, ctx) -> {
            Map<AggregateKind, Double> m = new EnumMap<>(AggregateKind.class);
            handles.forEach((k, h) -> m.put(k, ctx.aggregate(h)));
            seen.add(m);
            return true;
        });
        assertEquals(List.of("{a=[a], b=[b]}"), CepTestKit.matches(b, "a:1 b:2"));
        assertEquals(1, seen.size());
        Map<AggregateKind, Double> m = seen.iterator().next();
        assertEquals(0.0, m.get(AggregateKind.COUNT));
        assertEquals(0.0, m.get(AggregateKind.SUM));
        for (AggregateKind k : List.of(AggregateKind.AVG, AggregateKind.MIN, AggregateKind.MAX,
                AggregateKind.FIRST, AggregateKind.LAST)) {
            assertEquals(Double.NaN, m.get(k), k.toString());
        }
    }

    /** s, then b's each above every b before it (the first always qualifies), then end. */
    private static Pattern<Ev> strictlyRising() {
        Pattern<Ev> b = begin("s").next("b");
        Aggregate<Ev> max = b.aggregate(AggregateKind.MAX, Ev::value);
        Aggregate<Ev> count = b.aggregate(AggregateKind.COUNT, Ev::value);
        return b.where(named("b")).where((e, ctx) -> ctx.aggregate(count) == 0 || e.value() > ctx.aggregate(max))
                .oneOrMore().consecutive()
                .next("end").where(named("end"));
    }

    @Test
    void shouldExcludeTheEventUnderTestFromAggregates() {
        // were the event under test included, e.value() > max would never hold for a second b
        expectMatches(strictlyRising(), "s b1:1 b2:3 b3:4 end", "{s=[s], b=[b1, b2, b3], end=[end]}");
        expectMatches(strictlyRising(), "s b1:1 b2:3 b3:3 end");
    }

    @Test
    void shouldExcludeTheEventUnderTestFromTheRunningAverage() {
        Pattern<Ev> b = begin("s").next("b");
        Aggregate<Ev> avg = b.aggregate(AggregateKind.AVG, Ev::value);
        Set<String> seen = new LinkedHashSet<>();
        b.where(named("b")).where((e, ctx) -> {
            seen.add(e + ":" + ctx.aggregate(avg));
            return true;
        }).times(3).consecutive();
        assertEquals(List.of("{s=[s], b=[b1, b2, b3]}"), CepTestKit.matches(b, "s b1:2 b2:4 b3:9"));
        assertEquals(List.of("b1:NaN", "b2:2.0", "b3:3.0"), List.copyOf(seen));
    }

    @Test
    void shouldKeepAggregatesPerPartialMatch() {
        Pattern<Ev> b = begin("b");
        Aggregate<Ev> sum = b.aggregate(AggregateKind.SUM, Ev::value);
        Pattern<Ev> p = b.times(2).allowCombinations().followedBy("c")
                .where((e, ctx) -> e.name().startsWith("c") && e.value() == ctx.aggregate(sum));
        // runs b1 b2 (3), b1 b3 (5), b2 b3 (6): only b1 b3 sums to c's 5
        expectMatches(p, "b1:1 b2:2 b3:4 c:5", "{b=[b1, b3], c=[c]}");
    }

    @Test
    void shouldExposeFirstAndLastEventOfAnElement() {
        Pattern<Ev> b = begin("a").followedBy("b").where(named("b"));
        EventRef<Ev> first = b.firstEvent();
        EventRef<Ev> last = b.lastEvent();
        Pattern<Ev> p = b.oneOrMore().followedBy("c").where((e, ctx) -> e.name().startsWith("c")
                && e.value() == ctx.event(first).value() + ctx.event(last).value());
        // c:5 = b1 (1) + b2 (4) only for the run that took b1 and b2
        expectMatches(p, "a b1:1 b2:4 b3:2 c:5", "{a=[a], b=[b1, b2], c=[c]}");
    }

    @Test
    void shouldGiveNullEventRefBeforeTheElementTookAnEvent() {
        Pattern<Ev> b = begin("a").followedBy("b");
        EventRef<Ev> first = b.firstEvent();
        EventRef<Ev> last = b.lastEvent();
        Set<String> seen = new LinkedHashSet<>();
        b.where((e, ctx) -> {
            seen.add(e + ": first " + ctx.event(first) + ", last " + ctx.event(last));
            return e.name().startsWith("b");
        }).times(3).consecutive();
        assertEquals(List.of("{a=[a], b=[b1, b2, b3]}"), CepTestKit.matches(b, "a b1 b2 b3"));
        assertEquals(List.of("b1: first null, last null", "b2: first b1, last b1", "b3: first b1, last b2"),
                List.copyOf(seen));
    }

    @Test
    void shouldListEventsOfAnElementOldestFirstAndExcludeTheEventUnderTest() {
        Set<String> seen = new LinkedHashSet<>();
        Pattern<Ev> p = begin("a").followedBy("b").where((e, ctx) -> {
            if (!e.name().startsWith("b")) {
                return false;
            }
            seen.add(e.name() + ":" + ctx.eventsOf("a") + ctx.eventsOf("b") + ctx.eventsOf("nothing") + "@"
                    + ctx.timestamp());
            return true;
        }).times(3).consecutive();
        assertEquals(List.of("{a=[a], b=[b1, b2, b3]}"), CepTestKit.matches(p, "a b1 b2 b3@9"));
        assertEquals(List.of("b1:[a][][]@2", "b2:[a][b1][]@3", "b3:[a][b1, b2][]@9"), List.copyOf(seen));
    }

    @Test
    void shouldMatchOnEventsOfAnEarlierElement() {
        Pattern<Ev> p = begin("a").oneOrMore().consecutive().next("b").where((e, ctx) -> {
            double sum = 0;
            for (Ev a : ctx.eventsOf("a")) {
                sum += a.value();
            }
            return e.name().startsWith("b") && e.value() == sum;
        });
        expectMatches(p, "a1:1 a2:2 b:3", "{a=[a1, a2], b=[b]}");
    }

    @Test
    void shouldRejectReadingAnAggregateOfAnotherPattern() {
        Aggregate<Ev> foreign = begin("z").aggregate(AggregateKind.SUM, Ev::value);
        Pattern<Ev> p = begin("a").next("b").where((e, ctx) -> ctx.aggregate(foreign) > 0);
        assertThrows(IllegalArgumentException.class, () -> CepTestKit.run(p, "a b"));
    }

    @Test
    void aggregateHandleRemembersItsElementAndKind() {
        Pattern<Ev> b = begin("b");
        Aggregate<Ev> h = b.aggregate(AggregateKind.MAX, Ev::value);
        assertEquals("b", h.element());
        assertSame(AggregateKind.MAX, h.kind());
        EventRef<Ev> r = b.lastEvent();
        assertEquals("b", r.element());
        assertEquals(false, r.first());
    }
}
