package io.peregrine.runtime.source;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Seeded synthetic data for the fraud examples: a {@code transactions} stream (card payments with a
 * location) and an {@code account_events} stream (logins, password resets, transfers, deposits),
 * with labelled fraud cases injected into realistic background traffic. The same configuration
 * gives the same records in the same order on every machine.
 *
 * <p>Every record carries {@code fraud_case}: empty for background traffic, else {@code kind#n}
 * naming the injected case it belongs to. Kinds: {@code card_testing} (3-5 tiny probes, then a large
 * purchase within minutes), {@code impossible_travel} (a purchase at home, then one at least 700 km
 * away within the hour), {@code account_takeover} (a password reset, a login from a new device, a
 * large transfer, within the hour), {@code velocity_spike} (9-14 purchases within 8 minutes),
 * {@code structuring} (3-5 deposits just under 10,000 within 20 hours).
 *
 * <p>Background traffic includes look-alikes that are not fraud, so detectors raise some false
 * alerts: cheap app-store charges, online purchases geolocated to the wrong city, shopping sprees,
 * customers who reset their password on a new phone and then move money, businesses depositing cash
 * several times a day.
 *
 * <p>Records are written in arrival order: event time plus a uniform delay of up to
 * {@link Config#maxDelayMillis()}, so a watermark bound of that size makes none late. Everything is
 * generated in memory (about 200 bytes per record).
 */
public final class FraudDataGenerator {

    /** The label column; the example program does not declare it, so its patterns cannot read it. */
    public static final String LABEL_COLUMN = "fraud_case";

    /** The kinds of injected fraud, as they appear in labels (and as the example's pattern names). */
    public static final List<String> KINDS = List.of("card_testing", "impossible_travel", "account_takeover",
            "velocity_spike", "structuring");

    /**
     * @param events         background records over both streams (injected cases come on top)
     * @param accounts       customers, each with one card, a home city and a usual device
     * @param casesPerKind   injected cases of each kind
     * @param days           the event-time span, from {@link TransactionGenerator#DEFAULT_START_MILLIS}
     * @param maxDelayMillis how far out of order records arrive
     */
    public record Config(long seed, int events, int accounts, int casesPerKind, int days, long maxDelayMillis) {
        public Config {
            if (events < 0 || accounts < 1 || casesPerKind < 0 || days < 1 || maxDelayMillis < 0) {
                throw new IllegalArgumentException("bad generator configuration " + this);
            }
        }

        public static Config of(long seed, int events) {
            return new Config(seed, events, 2_000, 10, 2, 2_000);
        }

        public Config withAccounts(int n) {
            return new Config(seed, events, n, casesPerKind, days, maxDelayMillis);
        }

        public Config withCasesPerKind(int n) {
            return new Config(seed, events, accounts, n, days, maxDelayMillis);
        }

        public Config withDays(int n) {
            return new Config(seed, events, accounts, casesPerKind, n, maxDelayMillis);
        }
    }

    /** What was written. */
    public record Summary(long transactions, long accountEvents, int cases) {}

    private record City(String name, String country, double lat, double lon) {}

    private static final City[] CITIES = {
        new City("New York", "US", 40.71, -74.01), new City("Los Angeles", "US", 34.05, -118.24),
        new City("Chicago", "US", 41.88, -87.63), new City("Houston", "US", 29.76, -95.37),
        new City("Miami", "US", 25.76, -80.19), new City("Seattle", "US", 47.61, -122.33),
        new City("Toronto", "CA", 43.65, -79.38), new City("Mexico City", "MX", 19.43, -99.13),
        new City("London", "GB", 51.51, -0.13), new City("Berlin", "DE", 52.52, 13.40),
        new City("Paris", "FR", 48.86, 2.35), new City("Tokyo", "JP", 35.68, 139.69),
        new City("Sao Paulo", "BR", -23.55, -46.63), new City("Mumbai", "IN", 19.08, 72.88),
        new City("Sydney", "AU", -33.87, 151.21), new City("Lagos", "NG", 6.52, 3.38),
    };

    /** One record of either stream, before it is written. */
    private static final class Rec {
        final boolean txn;
        final int account;
        final long ts;
        final String type;
        final double amount;
        final long merchant;
        final City city;
        final double lat;
        final double lon;
        final String device;
        final boolean newDevice;
        final String label;
        long arrival;
        long seq;

        Rec(boolean txn, int account, long ts, String type, double amount, long merchant, City city, double lat, double lon,
            String device, boolean newDevice, String label) {
            this.txn = txn;
            this.account = account;
            this.ts = ts;
            this.type = type;
            this.amount = amount;
            this.merchant = merchant;
            this.city = city;
            this.lat = lat;
            this.lon = lon;
            this.device = device;
            this.newDevice = newDevice;
            this.label = label;
        }
    }

    private final Config config;
    private final SplittableRandom rnd;
    private final int[] home;
    private final boolean[] business;
    private final List<Rec> recs = new ArrayList<>();
    private final long start = TransactionGenerator.DEFAULT_START_MILLIS;
    private final long span;
    private int newDevices;

    private FraudDataGenerator(Config config) {
        this.config = config;
        this.rnd = new SplittableRandom(config.seed());
        this.span = config.days() * 86_400_000L;
        this.home = new int[config.accounts()];
        this.business = new boolean[config.accounts()];
        for (int a = 0; a < config.accounts(); a++) {
            home[a] = rnd.nextInt(CITIES.length);
            business[a] = rnd.nextInt(100) < 3;
        }
    }

    /** Generates and writes both streams as JSON lines, in arrival order. */
    public static Summary write(Config config, Writer transactions, Writer accountEvents) throws IOException {
        FraudDataGenerator g = new FraudDataGenerator(config);
        g.background();
        int cases = g.inject();
        for (Rec r : g.recs) {
            r.arrival = r.ts + g.rnd.nextLong(config.maxDelayMillis() + 1);
        }
        for (int i = 0; i < g.recs.size(); i++) {
            g.recs.get(i).seq = i;
        }
        g.recs.sort(Comparator.<Rec>comparingLong(r -> r.arrival).thenComparingLong(r -> r.seq));
        long txns = 0;
        long events = 0;
        StringBuilder sb = new StringBuilder(200);
        for (Rec r : g.recs) {
            sb.setLength(0);
            if (r.txn) {
                sb.append("{\"card_id\":\"").append(id("card-", r.account)).append("\",\"account_id\":\"").append(id("acct-", r.account))
                        .append("\",\"amount\":").append(money(r.amount)).append(",\"merchant_id\":").append(r.merchant)
                        .append(",\"country\":\"").append(r.city.country()).append("\",\"lat\":").append(coord(r.lat))
                        .append(",\"lon\":").append(coord(r.lon)).append(",\"ts\":").append(r.ts)
                        .append(",\"fraud_case\":\"").append(r.label).append("\"}\n");
                transactions.append(sb);
                txns++;
            } else {
                sb.append("{\"account_id\":\"").append(id("acct-", r.account)).append("\",\"event_type\":\"").append(r.type)
                        .append("\",\"device_id\":\"").append(r.device).append("\",\"new_device\":").append(r.newDevice)
                        .append(",\"amount\":").append(money(r.amount)).append(",\"ts\":").append(r.ts)
                        .append(",\"fraud_case\":\"").append(r.label).append("\"}\n");
                accountEvents.append(sb);
                events++;
            }
        }
        transactions.flush();
        accountEvents.flush();
        return new Summary(txns, events, cases);
    }

    // ---------------------------------------------------------------- background

    private void background() {
        int n = config.events();
        int i = 0;
        while (i < n) {
            int a = rnd.nextInt(config.accounts());
            long ts = start + rnd.nextLong(span);
            int u = rnd.nextInt(10_000);
            if (u < 8_200) {
                purchase(a, ts, "");
                i++;
            } else if (u < 8_205) {
                // a shopping spree: many purchases in a few minutes, not fraud
                int k = 5 + rnd.nextInt(6);
                long t = ts;
                for (int j = 0; j < k && i < n; j++, i++) {
                    t += 30_000 + rnd.nextLong(120_000);
                    purchase(a, t, "");
                }
            } else if (u < 9_000) {
                login(a, ts, rnd.nextInt(100) < 2, "");
                i++;
            } else if (u < 9_010) {
                i += benignReset(a, ts);
            } else if (u < 9_600) {
                transfer(a, ts, rnd.nextInt(100) < 3 ? 2_000 + rnd.nextDouble() * 8_000 : logNormal(5.0, 1.0, 1, 1_999), "");
                i++;
            } else {
                i += deposits(a, ts);
            }
        }
    }

    private void purchase(int a, long ts, String label) {
        int v = rnd.nextInt(1000);
        double amount = v < 8 ? 0.99 : v < 30 ? 500 + rnd.nextDouble() * 1_500 : logNormal(3.4, 1.0, 1, 499);
        City c = CITIES[home[a]];
        if (rnd.nextInt(10_000) < 2) {
            // an online purchase geolocated by IP to some other city: a classic false positive
            c = CITIES[rnd.nextInt(CITIES.length)];
        }
        txn(a, ts, amount, c, label);
    }

    private void txn(int a, long ts, double amount, City c, String label) {
        recs.add(new Rec(true, a, ts, null, amount, 1 + rnd.nextInt(50_000), c, c.lat() + jitter(), c.lon() + jitter(),
                null, false, label));
    }

    private void login(int a, long ts, boolean newDevice, String label) {
        recs.add(new Rec(false, a, ts, "login", 0, 0, null, 0, 0, newDevice ? "dev-" + (++newDevices) + "n" : usualDevice(a),
                newDevice, label));
    }

    private void transfer(int a, long ts, double amount, String label) {
        recs.add(new Rec(false, a, ts, "transfer", amount, 0, null, 0, 0, usualDevice(a), false, label));
    }

    private void accountEvent(int a, long ts, String type, double amount, String device, boolean newDevice, String label) {
        recs.add(new Rec(false, a, ts, type, amount, 0, null, 0, 0, device, newDevice, label));
    }

    /** A customer resets a password, often on a new phone, and sometimes then moves money: not fraud. */
    private int benignReset(int a, long ts) {
        boolean phone = rnd.nextInt(100) < 40;
        String device = phone ? "dev-" + (++newDevices) + "n" : usualDevice(a);
        accountEvent(a, ts, "password_reset", 0, device, phone, "");
        long t = ts + 60_000 + rnd.nextLong(600_000);
        accountEvent(a, t, "login", 0, device, phone, "");
        if (rnd.nextInt(100) < 25) {
            accountEvent(a, t + 120_000 + rnd.nextLong(1_800_000), "transfer", 2_000 + rnd.nextDouble() * 3_000, device, false, "");
            return 3;
        }
        return 2;
    }

    /** One deposit; a business deposits its cash several times a day, sometimes just under 10,000. */
    private int deposits(int a, long ts) {
        if (!business[a]) {
            accountEvent(a, ts, "deposit", logNormal(6.0, 1.0, 10, 9_000), usualDevice(a), false, "");
            return 1;
        }
        int k = 2 + rnd.nextInt(3);
        long t = ts;
        for (int j = 0; j < k; j++) {
            t += 3_600_000L + rnd.nextLong(4 * 3_600_000L);
            accountEvent(a, t, "deposit", 4_000 + rnd.nextDouble() * 7_000, usualDevice(a), false, "");
        }
        return k;
    }

    // ---------------------------------------------------------------- injected fraud

    private int inject() {
        int id = 0;
        for (int c = 0; c < config.casesPerKind(); c++) {
            for (String kind : KINDS) {
                int a = rnd.nextInt(config.accounts());
                long ts = start + rnd.nextLong(Math.max(1, span - 86_400_000L));
                String label = kind + "#" + (++id);
                switch (kind) {
                    case "card_testing" -> {
                        int probes = 3 + rnd.nextInt(3);
                        long t = ts;
                        for (int j = 0; j < probes; j++) {
                            t += 5_000 + rnd.nextLong(55_000);
                            txn(a, t, 0.01 + rnd.nextInt(99) / 100.0, CITIES[home[a]], label);
                        }
                        txn(a, t + 10_000 + rnd.nextLong(290_000), 500 + rnd.nextDouble() * 2_000, CITIES[home[a]], label);
                    }
                    case "impossible_travel" -> {
                        City here = CITIES[home[a]];
                        City far;
                        do {
                            far = CITIES[rnd.nextInt(CITIES.length)];
                        } while (Math.abs(far.lat() - here.lat()) + Math.abs(far.lon() - here.lon()) < 20);
                        txn(a, ts, logNormal(3.4, 1.0, 1, 499), here, label);
                        txn(a, ts + 600_000 + rnd.nextLong(2_400_000), logNormal(4.5, 1.0, 1, 2_000), far, label);
                    }
                    case "account_takeover" -> {
                        String device = "dev-" + (++newDevices) + "x";
                        accountEvent(a, ts, "password_reset", 0, device, true, label);
                        long t = ts + 120_000 + rnd.nextLong(1_080_000);
                        accountEvent(a, t, "login", 0, device, true, label);
                        accountEvent(a, t + 300_000 + rnd.nextLong(2_100_000), "transfer", 3_000 + rnd.nextDouble() * 6_000,
                                device, false, label);
                    }
                    case "velocity_spike" -> {
                        int k = 9 + rnd.nextInt(6);
                        long t = ts;
                        for (int j = 0; j < k; j++) {
                            t += 10_000 + rnd.nextLong(40_000);
                            txn(a, t, 20 + rnd.nextDouble() * 280, CITIES[home[a]], label);
                        }
                    }
                    case "structuring" -> {
                        int k = 3 + rnd.nextInt(3);
                        long t = ts;
                        for (int j = 0; j < k; j++) {
                            t += 1_800_000L + rnd.nextLong(3 * 3_600_000L);
                            accountEvent(a, t, "deposit", 9_000 + rnd.nextInt(950) + rnd.nextInt(100) / 100.0, usualDevice(a), false, label);
                        }
                    }
                    default -> throw new IllegalStateException(kind);
                }
            }
        }
        return id;
    }

    // ---------------------------------------------------------------- values

    private static String usualDevice(int a) {
        return id("dev-", a);
    }

    private double logNormal(double mu, double sigma, double min, double max) {
        double g = Math.sqrt(-2 * Math.log(1.0 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
        return Math.max(min, Math.min(max, Math.exp(mu + sigma * g)));
    }

    private double jitter() {
        return (rnd.nextDouble() - 0.5) * 0.2;
    }

    private static String id(String prefix, int n) {
        String s = Integer.toString(n);
        return prefix + "0000000".substring(Math.min(7, s.length())) + s;
    }

    private static String money(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String coord(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
