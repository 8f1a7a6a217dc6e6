package io.peregrine.runtime.source;

import io.peregrine.dsl.schema.DataType;
import io.peregrine.dsl.schema.Schema;
import java.io.IOException;
import java.io.OutputStream;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Seeded card transactions, in arrival order: the same configuration gives the same records in the
 * same order on every machine.
 *
 * <ul>
 *   <li>Event time advances by exponential gaps averaging {@code 1000 / eventsPerSecond} ms from
 *       {@code startMillis}; each record arrives after a uniform delay in [0, {@code maxDelayMillis}],
 *       so records are out of order by at most that much (a watermark bound of that size makes none late).
 *   <li>Cards are uniform over {@code cards}; amounts 3% small (0.01-0.99), 3% large (500.01-2500),
 *       the rest log-normal in [1, 500], in whole cents; countries 96% {@code US}; merchants 1-50,000.
 *   <li>With probability {@code fraudRate} per record a card-testing burst is injected for a random
 *       card: 3 or 4 small amounts seconds to a minute apart, then a large one within 5 minutes.
 * </ul>
 * Columns: see {@link #SCHEMA}; a stream may use any of them, with INT/BIGINT/STRING for ids and
 * DOUBLE or DECIMAL for the amount.
 */
public final class TransactionGenerator {

    /** The columns the generator can fill. */
    public static final Schema SCHEMA = Schema.builder()
            .add("card_id", DataType.STRING)
            .add("amount", DataType.DOUBLE)
            .add("merchant_id", DataType.BIGINT)
            .add("country", DataType.STRING)
            .add("ts", DataType.TIMESTAMP)
            .build();

    public static final long DEFAULT_START_MILLIS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    static final String HOME = "US";
    static final String[] ABROAD = {"CA", "MX", "GB", "DE", "FR", "JP", "BR", "IN"};

    /**
     * @param events number of records, or {@link Long#MAX_VALUE} for an endless stream
     */
    public record Config(long seed, long events, int cards, double eventsPerSecond, long maxDelayMillis,
                         long startMillis, double fraudRate) {

        public Config {
            if (events < 0 || cards < 1 || !(eventsPerSecond > 0) || maxDelayMillis < 0 || fraudRate < 0) {
                throw new IllegalArgumentException("bad generator configuration " + this);
            }
        }

        /** 100,000 cards, 100 records per second of event time, 2 s out of order, from 2026-01-01. */
        public static Config of(long seed, long events) {
            return new Config(seed, events, 100_000, 100.0, 2_000, DEFAULT_START_MILLIS, 0.0005);
        }

        public Config withCards(int n) {
            return new Config(seed, events, n, eventsPerSecond, maxDelayMillis, startMillis, fraudRate);
        }

        public Config withEventsPerSecond(double rate) {
            return new Config(seed, events, cards, rate, maxDelayMillis, startMillis, fraudRate);
        }

        public Config withMaxDelayMillis(long delay) {
            return new Config(seed, events, cards, eventsPerSecond, delay, startMillis, fraudRate);
        }

        public Config withFraudRate(double rate) {
            return new Config(seed, events, cards, eventsPerSecond, maxDelayMillis, startMillis, rate);
        }
    }

    private static final class Txn {
        final int card;
        final long cents;
        final long merchant;
        final String country;
        final long ts;
        final long order;
        long arrival;
        long seq;

        Txn(int card, long cents, long merchant, String country, long ts, long order) {
            this.card = card;
            this.cents = cents;
            this.merchant = merchant;
            this.country = country;
            this.ts = ts;
            this.order = order;
        }
    }

    private final Config config;
    private final SplittableRandom rnd;
    private final PriorityQueue<Txn> injected = new PriorityQueue<>(
            (a, b) -> a.ts != b.ts ? Long.compare(a.ts, b.ts) : Long.compare(a.order, b.order));
    private final PriorityQueue<Txn> pending = new PriorityQueue<>(
            (a, b) -> a.arrival != b.arrival ? Long.compare(a.arrival, b.arrival) : Long.compare(a.seq, b.seq));
    private final double meanGapMillis;
    private double time;
    private long byTime;
    private long orders;
    private long seqs;
    private Txn regular;
    private Txn lookahead;
    private Txn current;
    private long emitted;

    public TransactionGenerator(Config config) {
        this.config = config;
        this.rnd = new SplittableRandom(config.seed());
        this.meanGapMillis = 1000.0 / config.eventsPerSecond();
        this.time = config.startMillis();
    }

    public Config config() {
        return config;
    }

    /** Moves to the next record in arrival order; false after the last. */
    public boolean next() {
        while (true) {
            if (lookahead == null) {
                lookahead = nextByTime();
            }
            Txn head = pending.peek();
            if (head != null && (lookahead == null || head.arrival <= lookahead.ts)) {
                current = pending.poll();
                emitted++;
                return true;
            }
            if (lookahead == null) {
                current = null;
                return false;
            }
            lookahead.arrival = lookahead.ts + rnd.nextLong(config.maxDelayMillis() + 1);
            lookahead.seq = seqs++;
            pending.add(lookahead);
            lookahead = null;
        }
    }

    /** Skips records (to replay from a position). */
    public void skip(long n) {
        for (long i = 0; i < n && next(); i++) {
            // advance
        }
    }

    private Txn nextByTime() {
        if (byTime == config.events()) {
            return null;
        }
        if (regular == null) {
            time += -Math.log(1.0 - rnd.nextDouble()) * meanGapMillis;
            long ts = (long) time;
            int card = rnd.nextInt(config.cards());
            regular = new Txn(card, amount(), randomMerchant(), country(), ts, orders++);
            if (rnd.nextDouble() < config.fraudRate()) {
                injectBurst(rnd.nextInt(config.cards()), ts);
            }
        }
        byTime++;
        Txn first = injected.peek();
        if (first != null && first.ts <= regular.ts) {
            return injected.poll();
        }
        Txn r = regular;
        regular = null;
        return r;
    }

    private void injectBurst(int card, long ts) {
        int smalls = 3 + rnd.nextInt(2);
        long at = ts;
        for (int i = 0; i < smalls; i++) {
            at += 2_000 + rnd.nextLong(60_000);
            injected.add(new Txn(card, 1 + rnd.nextInt(99), randomMerchant(), HOME, at, orders++));
        }
        at += 10_000 + rnd.nextLong(290_000);
        String country = rnd.nextInt(4) == 0 ? ABROAD[rnd.nextInt(ABROAD.length)] : HOME;
        injected.add(new Txn(card, 60_000 + rnd.nextInt(190_000), randomMerchant(), country, at, orders++));
    }

    private long amount() {
        double u = rnd.nextDouble();
        if (u < 0.03) {
            return 1 + rnd.nextInt(99);
        }
        if (u < 0.06) {
            return 50_001 + rnd.nextInt(200_000);
        }
        double g = Math.sqrt(-2 * Math.log(1.0 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
        double v = Math.exp(3.5 + g);
        return Math.round(Math.max(1.0, Math.min(500.0, v)) * 100);
    }

    private String country() {
        return rnd.nextInt(100) < 96 ? HOME : ABROAD[rnd.nextInt(ABROAD.length)];
    }

    private long randomMerchant() {
        return 1 + rnd.nextInt(50_000);
    }

    /** 0-based index of the current record in arrival order. */
    public long sequence() {
        return emitted - 1;
    }

    public int card() {
        return current.card;
    }

    /** The card as text, {@code card-0001234}. */
    public static String cardId(int card) {
        String n = Integer.toString(card);
        return "card-" + "0000000".substring(Math.min(7, n.length())) + n;
    }

    public long amountCents() {
        return current.cents;
    }

    public long merchant() {
        return current.merchant;
    }

    public String countryCode() {
        return current.country;
    }

    public long timestamp() {
        return current.ts;
    }

    /**
     * Writes the records as JSON lines ({@code card_id} as text, {@code amount} with two decimals,
     * {@code ts} as epoch milliseconds).
     *
     * @return the number of records written
     */
    public static long writeJsonLines(Config config, OutputStream out) throws IOException {
        TransactionGenerator g = new TransactionGenerator(config);
        byte[] buf = new byte[1 << 16];
        int n = 0;
        long count = 0;
        StringBuilder sb = new StringBuilder(128);
        while (g.next()) {
            sb.setLength(0);
            sb.append("{\"card_id\":\"").append(cardId(g.card())).append("\",\"amount\":")
                    .append(g.amountCents() / 100).append('.');
            long c = g.amountCents() % 100;
            if (c < 10) {
                sb.append('0');
            }
            sb.append(c).append(",\"merchant_id\":").append(g.merchant())
                    .append(",\"country\":\"").append(g.countryCode()).append("\",\"ts\":")
                    .append(g.timestamp()).append("}\n");
            if (n + sb.length() > buf.length) {
                out.write(buf, 0, n);
                n = 0;
            }
            for (int i = 0; i < sb.length(); i++) {
                buf[n++] = (byte) sb.charAt(i);
            }
            count++;
        }
        out.write(buf, 0, n);
        out.flush();
        return count;
    }
}
