package io.peregrine.testkit;

import io.peregrine.dsl.Program;
import io.peregrine.dsl.StreamDef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Arrival orders for events given in event-time order: shuffles that stay within each stream's
 * out-of-orderness bound (so no event is late), and shuffles that make chosen events late.
 *
 * <p>A stream's watermark trails the highest timestamp seen by its bound plus 1 ms, so an event is
 * late exactly when some event before it, of the same stream, is more than the bound newer. A
 * bounded shuffle delays each event by a random {@code d} in {@code [0, bound]} and sorts by
 * {@code timestamp + d}: for any two events that swap, the older one was delayed by at least the
 * difference, which is therefore at most the bound. Events with equal timestamps share their delay,
 * so they keep their relative order (the order a pattern sees ties in).
 */
public final class Disorder {

    private Disorder() {
    }

    /** A random arrival order of {@code inOrder} in which no event is late. */
    public static List<TestEvent> boundedShuffle(Program program, List<TestEvent> inOrder, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Long> bounds = bounds(program);
        record Delayed(TestEvent event, long arrival, int index) {
        }
        List<Delayed> delayed = new ArrayList<>(inOrder.size());
        Map<String, long[]> lastDelay = new HashMap<>(); // per stream: last timestamp, its delay
        for (int i = 0; i < inOrder.size(); i++) {
            TestEvent e = inOrder.get(i);
            long bound = bounds.getOrDefault(e.stream(), 0L);
            long[] last = lastDelay.get(e.stream());
            long d;
            if (last != null && last[0] == e.timestamp()) {
                d = last[1];
            } else {
                d = bound == 0 ? 0 : random.nextLong(bound + 1);
                lastDelay.put(e.stream(), new long[] {e.timestamp(), d});
            }
            delayed.add(new Delayed(e, e.timestamp() + d, i));
        }
        delayed.sort(Comparator.comparingLong(Delayed::arrival).thenComparingInt(Delayed::index));
        List<TestEvent> out = new ArrayList<>(delayed.size());
        for (Delayed d : delayed) {
            out.add(d.event());
        }
        return out;
    }

    /**
     * Makes up to {@code count} randomly chosen events of {@code arrival} (an order in which none is
     * late) late: each moves to just after the first event that puts the watermark at or above its
     * timestamp. The other events keep their order and stay on time: a moved event is older than
     * what precedes its new place, so it raises no watermark.
     */
    public static LateInjection injectLate(Program program, List<TestEvent> arrival, int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Long> bounds = bounds(program);
        Set<TestEvent> chosen = Collections.newSetFromMap(new IdentityHashMap<>()); // equal events are distinct
        for (int attempt = 0; attempt < count * 4 && chosen.size() < count && !arrival.isEmpty(); attempt++) {
            chosen.add(arrival.get(random.nextInt(arrival.size())));
        }
        // Taking events out lowers the watermark after them, so keep only those that can still be
        // late without the others; putting one back only raises watermarks, so this settles.
        int[] targets;
        List<TestEvent> base;
        while (true) {
            base = new ArrayList<>();
            for (TestEvent e : arrival) {
                if (!chosen.contains(e)) {
                    base.add(e);
                }
            }
            targets = new int[arrival.size()];
            boolean dropped = false;
            for (int i = 0; i < arrival.size(); i++) {
                TestEvent e = arrival.get(i);
                if (chosen.contains(e)) {
                    targets[i] = lateAfter(base, e, bounds.getOrDefault(e.stream(), 0L));
                    if (targets[i] < 0) {
                        chosen.remove(e);
                        dropped = true;
                    }
                }
            }
            if (!dropped) {
                break;
            }
        }
        List<TestEvent> order = new ArrayList<>();
        List<TestEvent> late = new ArrayList<>();
        for (int j = 0; j < base.size(); j++) {
            order.add(base.get(j));
            for (int i = 0; i < arrival.size(); i++) {
                if (chosen.contains(arrival.get(i)) && targets[i] == j) {
                    order.add(arrival.get(i));
                    late.add(arrival.get(i));
                }
            }
        }
        return new LateInjection(List.copyOf(order), List.copyOf(late), List.copyOf(base));
    }

    /** The index in {@code base} of the first event after which {@code e} is late, or -1. */
    private static int lateAfter(List<TestEvent> base, TestEvent e, long bound) {
        long max = Long.MIN_VALUE;
        for (int j = 0; j < base.size(); j++) {
            TestEvent f = base.get(j);
            if (f.stream().equals(e.stream())) {
                max = Math.max(max, f.timestamp());
                if (max - bound - 1 >= e.timestamp()) {
                    return j;
                }
            }
        }
        return -1;
    }

    /**
     * The result of {@link #injectLate}.
     *
     * @param arrival the new arrival order
     * @param late the events that are now late, in arrival order
     * @param onTime {@code arrival} without them
     */
    public record LateInjection(List<TestEvent> arrival, List<TestEvent> late, List<TestEvent> onTime) {
    }

    static Map<String, Long> bounds(Program program) {
        Map<String, Long> bounds = new HashMap<>();
        for (StreamDef s : program.streams()) {
            bounds.put(s.name(), s.maxOutOfOrderMillis());
        }
        return bounds;
    }
}
