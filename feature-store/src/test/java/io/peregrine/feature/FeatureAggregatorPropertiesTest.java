package io.peregrine.feature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Every aggregate over every window kind, fed random out-of-order streams with expiry and
 * checkpoint round trips in between, read at random times, equals a naive recomputation from the
 * accepted raw events (sketches within their documented error).
 */
class FeatureAggregatorPropertiesTest {

    /** A test event: one value per kind, and whether the argument is NULL. */
    record Ev(long ts, long n, double d, String s, boolean nullArg, long seq) {
    }

    static final ValueKind[] KINDS = {ValueKind.BIGINT, ValueKind.DOUBLE, ValueKind.STRING, ValueKind.BOOLEAN,
            ValueKind.TIMESTAMP};

    static EventExtractor<Ev> extractor(ValueKind kind) {
        return new EventExtractor<>() {
            @Override
            public boolean present(Ev e) {
                return !e.nullArg();
            }

            @Override
            public long bits(Ev e) {
                return switch (kind) {
                    case BIGINT -> e.n();
                    case DOUBLE -> Double.doubleToRawLongBits(e.d());
                    case BOOLEAN -> e.n() % 2 == 0 ? 1 : 0;
                    case TIMESTAMP -> e.ts();
                    default -> throw new AssertionError(kind);
                };
            }

            @Override
            public String string(Ev e) {
                return e.s();
            }
        };
    }

    static Object value(ValueKind kind, Ev e) {
        return switch (kind) {
            case BIGINT -> e.n();
            case DOUBLE -> e.d();
            case BOOLEAN -> e.n() % 2 == 0;
            case TIMESTAMP -> e.ts();
            case STRING -> e.s();
            case NONE -> null;
        };
    }

    @Property(tries = 400, seed = "20261125")
    void everyAggregateEqualsNaiveRecomputation(@ForAll @IntRange(min = 0, max = 15) int kindIndex,
                                                @ForAll @IntRange(min = 0, max = 4) int inputIndex,
                                                @ForAll @IntRange(min = 0, max = 2) int windowKind,
                                                @ForAll @LongRange(min = 0, max = 40) long lateness,
                                                @ForAll boolean filtered,
                                                @ForAll long seed) throws IOException {
        AggregateKind kind = AggregateKind.values()[kindIndex];
        Random random = new Random(seed);
        ValueKind input = KINDS[inputIndex];
        if (kind == AggregateKind.TIME_SINCE_LAST || (kind == AggregateKind.COUNT && random.nextBoolean())) {
            input = ValueKind.NONE;
        }
        int n = kind == AggregateKind.LAST_N ? 1 + random.nextInt(5) : 0;
        double fraction = kind == AggregateKind.APPROX_PERCENTILE ? random.nextInt(101) / 100.0 : 0;
        if (Aggregate.problem(kind, input, n, fraction) != null) {
            input = random.nextBoolean() ? ValueKind.BIGINT : ValueKind.DOUBLE;
        }
        Aggregate aggregate = new Aggregate(kind, input, n, fraction);
        long hop = 1 + random.nextInt(20);
        Window window = switch (windowKind) {
            case 0 -> Window.LIFETIME;
            case 1 -> new Window.Sliding(1 + random.nextInt(100));
            default -> new Window.Hopping(hop * (1 + random.nextInt(6)), hop);
        };
        EventFilter<Ev> filter = filtered ? e -> e.n() % 3 != 0 : null;
        FeatureDefinition<Ev> f = new FeatureDefinition<>("f", aggregate,
                input == ValueKind.NONE ? null : extractor(input), filter, window, "f");
        FeatureSetDefinition<Ev> set = new FeatureSetDefinition<>("s", "events", "k", List.of(f), lateness);
        FeatureKeyState<Ev> state = set.newKeyState();

        int events = 1 + random.nextInt(150);
        long bound = random.nextInt(30);
        long clock = random.nextInt(50) - 25;
        long maxSeen = Long.MIN_VALUE;
        List<Ev> accepted = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            clock += random.nextInt(6);
            long ts = clock - (bound == 0 ? 0 : random.nextInt((int) bound + 1));
            Ev e = new Ev(ts, random.nextInt(12) - 3, (random.nextInt(40) - 10) / 4.0,
                    "s" + random.nextInt(8), random.nextInt(10) == 0, i);
            if (ts > state.retainedFromMillis()) {
                state.add(e, ts);
                accepted.add(e);
            }
            maxSeen = Math.max(maxSeen, ts);
            if (random.nextInt(4) == 0) {
                state.expire(maxSeen - bound);
            }
            if (random.nextInt(10) == 0) {
                state = roundTrip(set, state);
            }
            if (random.nextInt(3) == 0) {
                long from = Math.max(state.retainedFromMillis(), ts - 60);
                long asOf = from + random.nextInt(80);
                check(f, accepted, state, asOf);
            }
        }
        check(f, accepted, state, maxSeen);

        // the same events in time order, without expiry or checkpoints (as backfill feeds them): the
        // very same value, bit for bit (KLL alone compacts at random, once past its exact range)
        FeatureKeyState<Ev> inOrder = set.newKeyState();
        List<Ev> sorted = new ArrayList<>(accepted);
        sorted.sort(Comparator.comparingLong(Ev::ts).thenComparingLong(Ev::seq));
        for (Ev e : sorted) {
            inOrder.add(e, e.ts());
        }
        if (kind != AggregateKind.APPROX_PERCENTILE || accepted.size() <= Partials.KLL_K) {
            assertEquals(inOrder.value(0, maxSeen), state.value(0, maxSeen), "arrival order changed the value");
        }
    }

    /**
     * Several features of one key (mixed windows, filters and argument kinds) share the key's log:
     * each still equals its naive recomputation, through expiry and checkpoints, and the key reports
     * empty exactly when no feature can still read a sample.
     */
    @Property(tries = 200, seed = "20261126")
    void featuresSharingOneKeyEachEqualNaiveRecomputation(@ForAll @IntRange(min = 2, max = 6) int count,
                                                          @ForAll @LongRange(min = 0, max = 40) long lateness,
                                                          @ForAll long seed) throws IOException {
        Random random = new Random(seed);
        List<FeatureDefinition<Ev>> features = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            features.add(randomFeature(random, "f" + i));
        }
        FeatureSetDefinition<Ev> set = new FeatureSetDefinition<>("s", "events", "k", features, lateness);
        FeatureKeyState<Ev> state = set.newKeyState();
        int events = 1 + random.nextInt(200);
        long bound = random.nextInt(30);
        long clock = random.nextInt(50) - 25;
        long maxSeen = Long.MIN_VALUE;
        List<Ev> accepted = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            clock += random.nextInt(random.nextInt(20) == 0 ? 300 : 6);
            long ts = clock - (bound == 0 ? 0 : random.nextInt((int) bound + 1));
            Ev e = new Ev(ts, random.nextInt(12) - 3, (random.nextInt(40) - 10) / 4.0,
                    "s" + random.nextInt(8), random.nextInt(10) == 0, i);
            if (ts > state.retainedFromMillis()) {
                state.add(e, ts);
                accepted.add(e);
            }
            maxSeen = Math.max(maxSeen, ts);
            if (random.nextInt(4) == 0) {
                long before = state.retainedFromMillis();
                boolean empty = state.expire(maxSeen - bound);
                if (state.retainedFromMillis() > before) {  // else it answers from the last expiry
                    assertEquals(naiveEmpty(features, accepted, state.retainedFromMillis()), empty,
                            "empty after expiry to " + state.retainedFromMillis() + " of " + features + " over " + accepted);
                }
            }
            if (random.nextInt(10) == 0) {
                state = roundTrip(set, state);
            }
            if (random.nextInt(3) == 0) {
                long from = Math.max(state.retainedFromMillis(), ts - 60);
                long asOf = from + random.nextInt(80);
                for (int f = 0; f < count; f++) {
                    check(features.get(f), f, accepted, state, asOf);
                }
            }
        }
        for (int f = 0; f < count; f++) {
            check(features.get(f), f, accepted, state, maxSeen);
        }
    }

    /** Whether no feature could read any accepted event at or after {@code retainedFrom}. */
    static boolean naiveEmpty(List<FeatureDefinition<Ev>> features, List<Ev> accepted, long retainedFrom) {
        for (FeatureDefinition<Ev> f : features) {
            if (f.window() == Window.LIFETIME) {
                return false;
            }
            for (Ev e : accepted) {
                boolean counts = (f.filter() == null || f.filter().test(e)) && (f.input() == null || f.input().present(e));
                long firstEnd = retainedFrom;
                long size;
                if (f.window() instanceof Window.Sliding s) {
                    size = s.sizeMillis();
                } else {
                    Window.Hopping h = (Window.Hopping) f.window();
                    firstEnd = Math.floorDiv(retainedFrom, h.hopMillis()) * h.hopMillis();
                    size = h.sizeMillis();
                }
                if (counts && e.ts() > firstEnd - size) {
                    return false;
                }
            }
        }
        return true;
    }

    static FeatureDefinition<Ev> randomFeature(Random random, String name) {
        AggregateKind kind = AggregateKind.values()[random.nextInt(16)];
        ValueKind input = KINDS[random.nextInt(KINDS.length)];
        if (kind == AggregateKind.TIME_SINCE_LAST || (kind == AggregateKind.COUNT && random.nextBoolean())) {
            input = ValueKind.NONE;
        }
        int n = kind == AggregateKind.LAST_N ? 1 + random.nextInt(5) : 0;
        double fraction = kind == AggregateKind.APPROX_PERCENTILE ? random.nextInt(101) / 100.0 : 0;
        if (Aggregate.problem(kind, input, n, fraction) != null) {
            input = random.nextBoolean() ? ValueKind.BIGINT : ValueKind.DOUBLE;
        }
        long hop = 1 + random.nextInt(20);
        Window window = switch (random.nextInt(3)) {
            case 0 -> Window.LIFETIME;
            case 1 -> new Window.Sliding(1 + random.nextInt(100));
            default -> new Window.Hopping(hop * (1 + random.nextInt(6)), hop);
        };
        int filterKind = random.nextInt(3);
        EventFilter<Ev> filter = filterKind == 0 ? null : filterKind == 1 ? e -> e.n() % 3 != 0 : e -> e.n() % 2 == 0;
        return new FeatureDefinition<>(name, new Aggregate(kind, input, n, fraction),
                input == ValueKind.NONE ? null : extractor(input), filter, window, name);
    }

    static FeatureKeyState<Ev> roundTrip(FeatureSetDefinition<Ev> set, FeatureKeyState<Ev> state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        state.write(new DataOutputStream(bytes));
        return FeatureKeyState.read(set, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    }

    static void check(FeatureDefinition<Ev> f, List<Ev> accepted, FeatureKeyState<Ev> state, long asOf) {
        check(f, 0, accepted, state, asOf);
    }

    static void check(FeatureDefinition<Ev> f, int index, List<Ev> accepted, FeatureKeyState<Ev> state, long asOf) {
        FeatureValue got = state.value(index, asOf);
        long lo;
        long hi;
        if (f.window() instanceof Window.Sliding s) {
            lo = asOf - s.sizeMillis();
            hi = asOf;
        } else if (f.window() instanceof Window.Hopping h) {
            hi = Math.floorDiv(asOf, h.hopMillis()) * h.hopMillis();
            lo = hi - h.sizeMillis();
        } else {
            lo = Long.MIN_VALUE;
            hi = asOf;
        }
        List<Ev> in = new ArrayList<>();
        for (Ev e : accepted) {
            boolean passes = f.filter() == null || f.filter().test(e);
            boolean present = f.input() == null || f.input().present(e);
            if (e.ts() > lo && e.ts() <= hi && passes && present) {
                in.add(e);
            }
        }
        in.sort(Comparator.comparingLong(Ev::ts).thenComparingLong(Ev::seq));
        String where = f.aggregate() + " " + f.window() + " as of " + asOf + " over " + in;
        expect(f.aggregate(), in, asOf, got, where);
    }

    static void expect(Aggregate a, List<Ev> in, long asOf, FeatureValue got, String where) {
        ValueKind k = a.input();
        if (in.isEmpty()) {
            if (a.kind().countLike()) {
                assertEquals(FeatureValue.present(0L), got, where);
            } else {
                assertEquals(FeatureStatus.OUT_OF_WINDOW, got.status(), where);
            }
            return;
        }
        switch (a.kind()) {
            case COUNT -> assertEquals(FeatureValue.present((long) in.size()), got, where);
            case SUM -> {
                if (k == ValueKind.BIGINT) {
                    assertEquals(FeatureValue.present(in.stream().mapToLong(Ev::n).sum()), got, where);
                } else {
                    assertClose(in.stream().mapToDouble(Ev::d).sum(), got, where);
                }
            }
            case AVG, VAR_POP, VAR_SAMP, STDDEV_POP, STDDEV_SAMP -> {
                double[] xs = in.stream().mapToDouble(e -> k == ValueKind.DOUBLE ? e.d() : e.n()).toArray();
                boolean samp = a.kind() == AggregateKind.VAR_SAMP || a.kind() == AggregateKind.STDDEV_SAMP;
                if (samp && xs.length < 2) {
                    assertEquals(FeatureStatus.OUT_OF_WINDOW, got.status(), where);
                    return;
                }
                double mean = 0;
                for (double x : xs) {
                    mean += x;
                }
                mean /= xs.length;
                double ss = 0;
                for (double x : xs) {
                    ss += (x - mean) * (x - mean);
                }
                double var = ss / (samp ? xs.length - 1 : xs.length);
                double expected = switch (a.kind()) {
                    case AVG -> mean;
                    case VAR_POP, VAR_SAMP -> var;
                    default -> Math.sqrt(var);
                };
                assertClose(expected, got, where);
            }
            case MIN, MAX -> {
                Ev best = in.get(0);
                for (Ev e : in) {
                    int c = compare(k, e, best);
                    if (a.kind() == AggregateKind.MAX ? c > 0 : c < 0) {
                        best = e;
                    }
                }
                assertEquals(FeatureValue.present(value(k, best)), got, where);
            }
            case FIRST -> assertEquals(FeatureValue.present(value(k, in.get(0))), got, where);
            case LAST -> assertEquals(FeatureValue.present(value(k, in.get(in.size() - 1))), got, where);
            case TIME_SINCE_LAST -> assertEquals(FeatureValue.present(asOf - in.get(in.size() - 1).ts()), got, where);
            case LAST_N -> {
                List<Object> expected = new ArrayList<>();
                for (Ev e : in.subList(Math.max(0, in.size() - a.n()), in.size())) {
                    expected.add(value(k, e));
                }
                assertEquals(FeatureValue.present(expected), got, where);
            }
            case COUNT_DISTINCT, APPROX_COUNT_DISTINCT -> {
                Set<Object> distinct = new HashSet<>();
                for (Ev e : in) {
                    Object v = value(k, e);
                    distinct.add(v instanceof Double d && d == 0.0 ? 0.0 : v);
                }
                if (a.kind() == AggregateKind.COUNT_DISTINCT) {
                    assertEquals(FeatureValue.present((long) distinct.size()), got, where);
                } else {
                    long est = (Long) got.value();
                    assertTrue(Math.abs(est - distinct.size()) <= Math.max(1, 0.05 * distinct.size()),
                            where + ": estimate " + est + ", exact " + distinct.size());
                }
            }
            case APPROX_PERCENTILE -> {
                double[] xs = in.stream().mapToDouble(e -> k == ValueKind.DOUBLE ? e.d() : e.n()).sorted().toArray();
                // inclusive: the smallest value whose share of values at or below it reaches the fraction
                // a rank within rounding of a whole number is that number (0.56 * 25 is 14.000000000000002),
                // as DataSketches takes it
                double rank = a.fraction() * xs.length;
                if (Math.abs(rank - Math.rint(rank)) < 1e-9) {
                    rank = Math.rint(rank);
                }
                int index = 0;
                while (index < xs.length - 1 && (index + 1) < rank) {
                    index++;
                }
                assertEquals(FeatureStatus.PRESENT, got.status(), where);
                if (xs.length <= Partials.KLL_K) {
                    assertEquals(xs[index], (Double) got.value(), 0.0, where);
                } else {
                    double v = (Double) got.value();
                    long atOrBelow = java.util.Arrays.stream(xs).filter(x -> x <= v).count();
                    assertTrue(Math.abs((double) atOrBelow / xs.length - a.fraction()) <= 0.05, where);
                }
            }
            default -> throw new AssertionError(a);
        }
    }

    static int compare(ValueKind k, Ev a, Ev b) {
        return switch (k) {
            case DOUBLE -> Double.compare(a.d(), b.d());
            case STRING -> a.s().compareTo(b.s());
            case BOOLEAN -> Boolean.compare(a.n() % 2 == 0, b.n() % 2 == 0);
            case TIMESTAMP -> Long.compare(a.ts(), b.ts());
            default -> Long.compare(a.n(), b.n());
        };
    }

    static void assertClose(double expected, FeatureValue got, String where) {
        assertEquals(FeatureStatus.PRESENT, got.status(), where);
        double v = (Double) got.value();
        assertEquals(expected, v, 1e-9 + 1e-9 * Math.abs(expected), where);
    }
}
