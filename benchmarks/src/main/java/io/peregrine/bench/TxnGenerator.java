package io.peregrine.bench;

import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Deterministic card-transaction stream: the same seed and parameters give the same events in the
 * same arrival order, whatever engine consumes them.
 *
 * <ul>
 *   <li>Event time advances by exponential gaps averaging {@code 1000 / eventsPerSecond} ms.
 *   <li>Each event gets an arrival delay uniform in [0, {@link #MAX_DELAY_MS}] ms and the stream is
 *       ordered by arrival, so events are out of order by up to 2 s: a bounded-out-of-orderness
 *       watermark of 2 s never makes one late.
 *   <li>Amounts: 3% small (0.01 to 0.99), 3% large (500.01 to 2500), the rest log-normal in [1, 500].
 *   <li>Countries: 96% "US", the rest spread over eight others.
 *   <li>Cards are uniform over {@code cards}. With probability {@link #FRAUD_RATE} per event a
 *       card-testing burst is injected for a random card: 3 or 4 small amounts a few seconds to a
 *       minute apart, then a large one up to 5 minutes later (sometimes abroad).
 * </ul>
 */
public final class TxnGenerator {

    public static final long MAX_DELAY_MS = 2_000;
    public static final long START_TS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    public static final long CARD_BASE = 4_000_000_000_000_000L;
    public static final double FRAUD_RATE = 0.0005;

    static final String HOME = "US";
    static final String[] ABROAD = {"CA", "MX", "GB", "DE", "FR", "JP", "BR", "IN"};

    private TxnGenerator() {}

    /** The default workload: 100k cards, 100 events per second of event time. */
    public static Txn[] generate(long seed, int events) {
        return generate(seed, events, 100_000, 100.0);
    }

    /** Events in arrival order. */
    public static Txn[] generate(long seed, int events, int cards, double eventsPerSecond) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Txn[] byTime = new Txn[events];
        PriorityQueue<Txn> injected = new PriorityQueue<>((a, b) -> Long.compare(a.ts(), b.ts()));
        double meanGapMs = 1000.0 / eventsPerSecond;
        double t = START_TS;
        int n = 0;
        while (n < events) {
            t += -Math.log(1.0 - rnd.nextDouble()) * meanGapMs;
            long ts = (long) t;
            while (n < events && !injected.isEmpty() && injected.peek().ts() <= ts) {
                byTime[n++] = injected.poll();
            }
            if (n == events) {
                break;
            }
            long card = CARD_BASE + rnd.nextInt(cards);
            byTime[n++] = new Txn(card, amount(rnd), country(rnd), merchant(rnd), ts);
            if (rnd.nextDouble() < FRAUD_RATE) {
                injectBurst(rnd, injected, CARD_BASE + rnd.nextInt(cards), ts);
            }
        }
        return shuffleByArrival(rnd, byTime);
    }

    private static void injectBurst(SplittableRandom rnd, PriorityQueue<Txn> out, long card, long ts) {
        int smalls = 3 + rnd.nextInt(2);
        long at = ts;
        for (int i = 0; i < smalls; i++) {
            at += 2_000 + rnd.nextLong(60_000);
            out.add(new Txn(card, cents(0.01 + rnd.nextDouble() * 0.98), HOME, merchant(rnd), at));
        }
        at += 10_000 + rnd.nextLong(290_000);
        String country = rnd.nextInt(4) == 0 ? ABROAD[rnd.nextInt(ABROAD.length)] : HOME;
        out.add(new Txn(card, cents(600 + rnd.nextDouble() * 2400), country, merchant(rnd), at));
    }

    private static double amount(SplittableRandom rnd) {
        double u = rnd.nextDouble();
        if (u < 0.03) {
            return cents(0.01 + rnd.nextDouble() * 0.98);
        }
        if (u < 0.06) {
            return cents(500.01 + rnd.nextDouble() * 2000);
        }
        // log-normal around 33, clipped to [1, 500]
        double v = Math.exp(3.5 + gaussian(rnd));
        return cents(Math.max(1.0, Math.min(500.0, v)));
    }

    private static double gaussian(SplittableRandom rnd) {
        // Box-Muller, one value
        double u1 = 1.0 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static String country(SplittableRandom rnd) {
        return rnd.nextInt(100) < 96 ? HOME : ABROAD[rnd.nextInt(ABROAD.length)];
    }

    private static long merchant(SplittableRandom rnd) {
        return 1 + rnd.nextInt(50_000);
    }

    private static double cents(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** Orders by arrival = ts + uniform delay in [0, MAX_DELAY_MS], ties by generation order. */
    private static Txn[] shuffleByArrival(SplittableRandom rnd, Txn[] byTime) {
        int n = byTime.length;
        if (n == 0) {
            return byTime;
        }
        long base = byTime[0].ts();
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            long arrival = byTime[i].ts() - base + rnd.nextLong(MAX_DELAY_MS + 1);
            keys[i] = arrival * n + i; // arrival < 2^40 and n < 2^23 in any sane run
        }
        Arrays.sort(keys);
        Txn[] out = new Txn[n];
        for (int i = 0; i < n; i++) {
            out[i] = byTime[(int) (keys[i] % n)];
        }
        return out;
    }
}
